import { act, renderHook, waitFor } from '@testing-library/react'
import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it, vi } from 'vitest'
import { failOnConsole, totpCode } from '../harness.testing'
import { mfaKeys } from '../query-options'
import { fixture, fixtureBlob, photoBlob, sideBySide, useFaceKit } from './face.testing'
import { useFaceBinding } from './use-face-binding'

failOnConsole()
vi.setConfig({ testTimeout: 60_000 })

const kit = useFaceKit()

const hopper = () => fixtureBlob('grace_hopper.jpg')
const hopperAgain = () => fixtureBlob('grace_hopper_512x512.jpg')

describe('useFaceBinding', () => {
  it('takes the first photo, then the second, then binds the face for the signed-in user', async () => {
    const { client } = await kit().signedInToBindFace()
    const onDone = vi.fn()
    const onVerified = vi.fn()
    const queryClient = new QueryClient()
    const invalidated = vi.spyOn(queryClient, 'invalidateQueries')
    const { result } = renderHook(() => useFaceBinding({ onDone, onVerified }), { wrapper: kit().wrapper(client, { queryClient }) })
    expect(result.current).toMatchObject({ status: 'capturing_base', error: null, data: { photo: 'base', base: null, progress: null } })
    expect(result.current.getRetakeProps().disabled).toBe(true)

    const first = hopper()
    await act(() => result.current.capture(first))
    expect(result.current).toMatchObject({ status: 'capturing_compare', data: { photo: 'compare', base: first } })
    expect(result.current.getRetakeProps().disabled).toBe(false)

    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.capture(hopperAgain())
    })
    expect(result.current).toMatchObject({ status: 'uploading', data: { photo: null, fraction: 0 } })
    expect(result.current.getFileInputProps().disabled).toBe(true)
    await act(() => pending)
    expect(result.current).toMatchObject({ status: 'done', error: null, data: { base: null, user: null } })
    expect(onDone).toHaveBeenCalledExactlyOnceWith(null)
    expect(onVerified).not.toHaveBeenCalled()
    expect(invalidated).toHaveBeenCalledWith({ queryKey: mfaKeys.authenticatorLists })
    expect((await client.mfa.getMfaAuthenticators({ type: 'face' })).map((a) => a.authenticatorType)).toEqual(['face'])
  })

  it('retakes the first photo', async () => {
    const { client } = await kit().signedInToBindFace()
    const { result } = renderHook(() => useFaceBinding(), { wrapper: kit().wrapper(client) })
    await act(() => result.current.capture(fixtureBlob('astronaut.png')))
    act(() => result.current.getRetakeProps().onClick())
    expect(result.current).toMatchObject({ status: 'capturing_base', data: { base: null } })
    await act(() => result.current.capture(hopper()))
    await act(() => result.current.capture(hopperAgain()))
    expect(result.current.status).toBe('done')
  })

  it.each([
    ['two different people', () => fixtureBlob('astronaut.png'), 'face_mismatch'],
    ['a photo without a face', () => fixtureBlob('coffee.png'), 'face_not_detected'],
  ])('starts over with the error for %s', async (_, second, code) => {
    const { client } = await kit().signedInToBindFace()
    const { result } = renderHook(() => useFaceBinding(), { wrapper: kit().wrapper(client) })
    await act(() => result.current.capture(hopper()))
    await act(() => result.current.capture(second()))
    expect(result.current).toMatchObject({ status: 'capturing_base', error: { code }, data: { base: null, photo: 'base' } })
    expect(result.current.getErrorProps()).toMatchObject({ 'aria-live': 'polite' })
    // And binds with two good photos.
    await act(() => result.current.capture(hopper()))
    await act(() => result.current.capture(hopperAgain()))
    expect(result.current.status).toBe('done')
  })

  it('refuses two faces in one photo', async () => {
    const { client } = await kit().signedInToBindFace()
    const { result } = renderHook(() => useFaceBinding(), { wrapper: kit().wrapper(client) })
    const two = photoBlob(await sideBySide(fixture('grace_hopper.jpg'), fixture('astronaut.png')))
    await act(() => result.current.capture(two))
    await act(() => result.current.capture(hopperAgain()))
    expect(result.current.error?.code).toBe('multiple_faces')
  })

  it('finishes a login when bound with its mfaToken, and signs the user in', async () => {
    const during = kit().with({ enrollmentDuringLogin: 'any' })
    const account = await during.signedInWithTotp()
    const { client, mfaToken } = await during.signIn(account.account)
    const onVerified = vi.fn()
    const onDone = vi.fn()
    const { result } = renderHook(() => useFaceBinding({ mfaToken, onVerified, onDone }), { wrapper: during.wrapper(client) })
    await act(() => result.current.capture(hopper()))
    await act(() => result.current.capture(hopperAgain()))
    expect(result.current.status).toBe('done')
    const user = result.current.data.user
    expect(user?.token).toBeTruthy()
    expect(client.getToken()).toBe(user?.token)
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(user)
    expect(onDone).toHaveBeenCalledExactlyOnceWith(user)
  })

  it('is unavailable for an account with no other factor, and calls onUnavailable', async () => {
    const { client, mfaToken } = await kit().signInToBind()
    const onUnavailable = vi.fn()
    const { result } = renderHook(() => useFaceBinding({ mfaToken, onUnavailable }), { wrapper: kit().wrapper(client) })
    await act(() => result.current.capture(hopper()))
    await act(() => result.current.capture(hopperAgain()))
    expect(result.current).toMatchObject({ status: 'unavailable', error: { code: 'another_factor_required' } })
    expect(onUnavailable).toHaveBeenCalledExactlyOnceWith(result.current.error)
  })

  it('asks an old sign-in for a fresh proof in place, then binds', async () => {
    const { client, secret } = await kit().signedInToBindFace()
    kit().clock.advance(6 * 60_000)
    const { result } = renderHook(() => useFaceBinding(), { wrapper: kit().wrapper(client) })
    await act(() => result.current.capture(hopper()))
    act(() => {
      void result.current.capture(hopperAgain())
    })
    await waitFor(() => expect(result.current.status).toBe('reverifying'))
    await waitFor(() => expect(result.current.reverification.status).toBe('awaiting_proof'))
    expect(result.current.reverification.data.factors.map((f) => f.type)).toContain('totp')
    kit().clock.advance(30_000)
    await act(() => result.current.reverification.verify(totpCode(secret, kit().clock.now())))
    await waitFor(() => expect(result.current.status).toBe('done'), { timeout: 20_000 })
  })

  it('starts over on reset', async () => {
    const { client } = await kit().signedInToBindFace()
    const { result } = renderHook(() => useFaceBinding(), { wrapper: kit().wrapper(client) })
    await act(() => result.current.capture(hopper()))
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'capturing_base', data: { base: null } })
  })
})
