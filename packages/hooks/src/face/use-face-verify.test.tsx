import { act, renderHook } from '@testing-library/react'
import type { ChangeEvent } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { failOnConsole, queryUpdatesOnMicrotasks, renderWithStatuses, settle } from '../harness.testing'
import { fixture, fixtureBlob, photoBlob, sideBySide, useFaceKit, webcamFrame } from './face.testing'
import { useFaceVerify } from './use-face-verify'

failOnConsole()
vi.setConfig({ testTimeout: 60_000 })

const kit = useFaceKit({ limits: { faceFailureThreshold: 2, mfaTokenMaxAttempts: 10, lockBaseMs: 30_000 } })

afterEach(() => {
  vi.useRealTimers()
})

describe('useFaceVerify', () => {
  it('goes capturing → uploading → verifying → verified with a photo of the bound face, and signs in', async () => {
    const { client, mfaToken } = await kit().signInWithFace()
    const onVerified = vi.fn()
    const { result, statuses } = renderWithStatuses(useFaceVerify, { mfaToken, onVerified }, kit().wrapper(client))
    expect(result.current).toMatchObject({
      status: 'capturing',
      error: null,
      data: { progress: null, fraction: null, failures: 0, user: null },
    })

    const photo = photoBlob(await webcamFrame(fixture('grace_hopper.jpg')))
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.verify(photo)
    })
    expect(result.current).toMatchObject({ status: 'uploading', data: { fraction: 0 } })
    await act(() => pending)
    // (React renders the steps in between only when something waits in them.)
    expect(statuses).toEqual(expect.arrayContaining(['capturing', 'uploading', 'verified']))
    expect(result.current.data.user?.token).toBeTruthy()
    expect(client.getToken()).toBe(result.current.data.user?.token)
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(result.current.data.user)
  })

  it('reports the upload as a progress bar: a fraction while sending, indeterminate otherwise', async () => {
    const { client, mfaToken } = await kit().signInWithFace()
    const { result } = renderHook(() => useFaceVerify({ mfaToken }), { wrapper: kit().wrapper(client) })
    expect(result.current.getProgressProps({ 'aria-label': 'Sending' })).toEqual({ max: 1, value: undefined, 'aria-label': 'Sending' })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.verify(fixtureBlob('grace_hopper_512x512.jpg'))
    })
    expect(result.current.getProgressProps()).toEqual({ max: 1, value: 0 })
    await act(() => pending)
    expect(result.current.getProgressProps()).toEqual({ max: 1, value: undefined })
  })

  it('takes another photo after a refused one: another face, no face, two faces', async () => {
    const { client, mfaToken } = await kit().signInWithFace()
    const { result } = renderHook(() => useFaceVerify({ mfaToken }), { wrapper: kit().wrapper(client) })
    const refused = [
      [fixtureBlob('astronaut.png'), 'face_mismatch'],
      [fixtureBlob('coffee.png'), 'face_not_detected'],
      [photoBlob(await sideBySide(fixture('grace_hopper.jpg'), fixture('astronaut.png'))), 'multiple_faces'],
    ] as const
    for (const [index, [photo, code]] of refused.entries()) {
      const after = await act(() => result.current.verify(photo))
      expect(after).toMatchObject({ status: 'capturing', error: { code }, data: { failures: index + 1 } })
      expect(result.current.getErrorProps()).toEqual({ id: expect.any(String), 'aria-live': 'polite' })
    }
    expect(client.getToken()).toBeNull()
    await act(() => result.current.verify(fixtureBlob('grace_hopper_512x512.jpg')))
    expect(result.current.status).toBe('verified')
  })

  it('ends expired when the sign-in timed out before the photo was sent, as the code flows do', async () => {
    const { client, mfaToken } = await kit().signInWithFace()
    const { result } = renderHook(() => useFaceVerify({ mfaToken }), { wrapper: kit().wrapper(client) })
    kit().clock.advance(11 * 60_000)
    const after = await act(() => result.current.verify(fixtureBlob('grace_hopper_512x512.jpg')))
    expect(after.status).toBe('expired')
    expect(client.getToken()).toBeNull()
  })

  it('sends one photo for a double submit', async () => {
    const { client, mfaToken } = await kit().signInWithFace()
    const { result } = renderHook(() => useFaceVerify({ mfaToken }), { wrapper: kit().wrapper(client) })
    const before = kit().requests()
    const photo = fixtureBlob('grace_hopper_512x512.jpg')
    const outcomes = await act(() => Promise.all([result.current.verify(photo), result.current.verify(photo)]))
    expect(kit().requests() - before).toBe(2) // one upload, one verification
    expect(outcomes[0].status).toBe('verified')
    expect(outcomes[1].status).toBe('uploading')
  })

  it('takes a photo from a file input, and empties the input for the next one', async () => {
    const { client, mfaToken } = await kit().signInWithFace()
    const { result } = renderHook(() => useFaceVerify({ mfaToken }), { wrapper: kit().wrapper(client) })
    const props = result.current.getFileInputProps()
    expect(props).toMatchObject({ type: 'file', accept: 'image/jpeg,image/png,image/webp', disabled: false })
    const input = { files: [fixtureBlob('grace_hopper_512x512.jpg')], value: 'C:\\fakepath\\me.jpg' }
    act(() => props.onChange({ currentTarget: input } as unknown as ChangeEvent<HTMLInputElement>))
    expect(input.value).toBe('')
    expect(result.current.status).toBe('uploading')
    await settle(() => expect(result.current.status).toBe('verified'))
    expect(input.value).toBe('')
    expect(result.current.getFileInputProps().disabled).toBe(true)
  })

  describe('when the server throttles', () => {
    queryUpdatesOnMicrotasks()

    it('waits out rate_limited with a countdown, then takes the right face', async () => {
      const { client, mfaToken } = await kit().signInWithFace()
      const { result } = renderHook(() => useFaceVerify({ mfaToken }), { wrapper: kit().wrapper(client) })
      // Two mismatches (the threshold), with real timers while the matcher works.
      for (let i = 0; i < 2; i++) await act(() => result.current.verify(fixtureBlob('astronaut.png')))
      expect(result.current.status).toBe('capturing')

      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
      await act(() => result.current.verify(fixtureBlob('astronaut.png')))
      expect(result.current.status).toBe('rate_limited')
      const wait = result.current.error!.retryAfterMs!
      expect(wait).toBeGreaterThan(0)
      expect(result.current.secondsLeft).toBe(Math.ceil(wait / 1000))
      expect(result.current.getFileInputProps().disabled).toBe(true)
      expect(await act(() => result.current.verify(fixtureBlob('grace_hopper_512x512.jpg')))).toMatchObject({ status: 'rate_limited' })

      kit().clock.advance(wait)
      act(() => vi.advanceTimersByTime(1_000))
      expect(result.current.status).toBe('capturing')
      vi.useRealTimers()
      await act(() => result.current.verify(fixtureBlob('grace_hopper_512x512.jpg')))
      expect(result.current.status).toBe('verified')
    })
  })

  it('ends expired with too_many_attempts once the sign-in used up its attempts, and calls onExpired', async () => {
    const strict = kit().with({ limits: { faceFailureThreshold: 10, mfaTokenMaxAttempts: 2 } })
    const { client, mfaToken } = await strict.signInWithFace()
    const onExpired = vi.fn()
    const { result } = renderHook(() => useFaceVerify({ mfaToken, onExpired }), { wrapper: strict.wrapper(client) })
    for (let i = 0; i < 2; i++) await act(() => result.current.verify(fixtureBlob('coffee.png')))
    await act(() => result.current.verify(fixtureBlob('grace_hopper_512x512.jpg')))
    expect(result.current.status).toBe('expired')
    expect(result.current.error?.code).toBe('too_many_attempts')
    expect(onExpired).toHaveBeenCalledExactlyOnceWith(result.current.error)
  })

  it('is unavailable when the account has no face, and calls onUnavailable', async () => {
    const { client, mfaToken } = await kit().signInWithTotp()
    const onUnavailable = vi.fn()
    const { result } = renderHook(() => useFaceVerify({ mfaToken, onUnavailable }), { wrapper: kit().wrapper(client) })
    await act(() => result.current.verify(fixtureBlob('grace_hopper_512x512.jpg')))
    expect(result.current).toMatchObject({ status: 'unavailable', error: { code: 'not_bound' } })
    expect(onUnavailable).toHaveBeenCalledExactlyOnceWith(result.current.error)
  })

  it('aborts the upload on unmount', async () => {
    const { client, mfaToken } = await kit().signInWithFace()
    const { result, unmount } = renderHook(() => useFaceVerify({ mfaToken }), { wrapper: kit().wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.verify(fixtureBlob('grace_hopper_512x512.jpg'))
    })
    unmount()
    await pending
    expect(client.getToken()).toBeNull()
  })
})
