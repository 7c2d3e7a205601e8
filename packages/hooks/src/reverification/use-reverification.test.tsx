import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { MfaError } from '@mfa-kit/client'
import type { MfaClient } from '@mfa-kit/client'
import { createKit, failOnConsole, PASSWORD, settle, totpCode, wrongTotpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useReverification } from './use-reverification'

failOnConsole()

const HOUR = 60 * 60_000

let kit: Kit
let plain: Kit
let n = 0
beforeAll(() => {
  kit = createKit()
  plain = createKit({ factors: [] })
})

/** An account of the app without factors, signed in by password. */
async function signedInPlain(): Promise<MfaClient> {
  const email = `reverify${++n}.${Date.now()}@example.com`
  const client = plain.newClient()
  await client.auth.registerByEmail(email, PASSWORD)
  await client.auth.loginByEmail(email, PASSWORD)
  return client
}

describe('useReverification', () => {
  it('runs the action and ends done with its answer when the sign-in is recent', async () => {
    const { client } = await kit.signedInWithTotp()
    const { result } = renderHook(() => useReverification(() => client.mfa.regenerateRecoveryCode()), { wrapper: kit.wrapper(client) })
    const outcome = await act(() => result.current.run())
    expect(outcome).toMatchObject({ status: 'done', error: null, data: { result: { recoveryCode: expect.any(String) } } })
    expect(result.current.data.factors).toEqual([])
  })

  it('asks for a TOTP code when the server wants a recent sign-in, then runs the action once more', async () => {
    const { client, secret } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const action = vi.fn(() => client.mfa.regenerateRecoveryCode())
    const onChallenge = vi.fn()
    const onReverified = vi.fn()
    const { result } = renderHook(() => useReverification(action, { onChallenge, onReverified }), { wrapper: kit.wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.run()
    })
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    expect(onChallenge).toHaveBeenCalledOnce()
    expect(result.current.data).toMatchObject({ factors: [{ type: 'totp' }], factor: { type: 'totp' }, codeSent: false })
    expect(result.current.canSend).toBe(false)
    act(() => result.current.code.setValue(totpCode(secret, kit.clock.now())))
    expect(await act(() => pending)).toMatchObject({ status: 'done', data: { result: { recoveryCode: expect.any(String) } } })
    expect(onReverified).toHaveBeenCalledOnce()
    expect(action).toHaveBeenCalledTimes(2)
  })

  it('asks for a proof on demand with challenge(), even for a recent sign-in, without running the action', async () => {
    const { client, secret } = await kit.signedInWithTotp()
    const action = vi.fn(async () => 1)
    const { result } = renderHook(() => useReverification(action), { wrapper: kit.wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.challenge()
    })
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    // The code of the sign-in works once: the next one proves it again.
    kit.clock.advance(30_000)
    act(() => result.current.code.setValue(totpCode(secret, kit.clock.now())))
    expect(await act(() => pending)).toMatchObject({ status: 'done', error: null })
    expect(action).not.toHaveBeenCalled()

    // A cancelled step-up resolves idle with reauthentication_required.
    act(() => {
      pending = result.current.challenge()
    })
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    act(() => result.current.cancel())
    expect(await pending).toMatchObject({ status: 'idle', error: { code: 'reauthentication_required' } })
  })

  it('asks again after a wrong code, marking the input invalid and describing it with the error', async () => {
    const { client, secret } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const { result } = renderHook(() => useReverification(() => client.mfa.regenerateRecoveryCode()), { wrapper: kit.wrapper(client) })
    act(() => void result.current.run())
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    expect(result.current.getCodeInputProps()['aria-invalid']).toBe(false)
    expect(result.current.getCodeInputProps()['aria-describedby']).toBeUndefined()
    await act(() => result.current.verify(wrongTotpCode(secret, kit.clock.now())))
    expect(result.current).toMatchObject({ status: 'awaiting_proof', error: { code: 'invalid_code' } })
    const input = result.current.getCodeInputProps()
    expect(input['aria-invalid']).toBe(true)
    expect(input['aria-describedby']).toBe(result.current.getErrorProps().id)
    expect(result.current.getLabelProps().htmlFor).toBe(input.id)
    expect(result.current.code.value).toBe('')
  })

  it('sends a code to the bound phone by itself, and accepts it', async () => {
    const client = await signedInPlain()
    const phone = `1390${String(++n).padStart(7, '0')}`
    await client.auth.sendSmsCode(phone, { scene: 'mfa-bind' })
    await client.mfa.associateSmsMfa({ phone, code: await plain.lastCode(phone) })
    plain.clock.advance(HOUR)
    const { result } = renderHook(() => useReverification(() => client.mfa.deleteSmsMfa()), { wrapper: plain.wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.run()
    })
    await settle(() => expect(result.current.data.codeSent).toBe(true))
    expect(result.current.data.factor).toEqual({ type: 'sms', destination: expect.stringMatching(/\*+/) })
    expect(result.current.secondsLeft).toBeGreaterThan(0)
    const code = await plain.lastCode(phone)
    await act(() => result.current.verify(code))
    expect(await act(() => pending)).toMatchObject({ status: 'done' })
    expect(await client.mfa.getMfaAuthenticators({ type: 'all', source: 'SELF' })).toEqual([])
  })

  it('takes the password of an account with no factor', async () => {
    const client = await signedInPlain()
    plain.clock.advance(HOUR)
    const { result } = renderHook(() => useReverification(() => client.mfa.associateMfaAuthenticator({ source: 'SELF' })), {
      wrapper: plain.wrapper(client),
    })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.run()
    })
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    expect(result.current.data.factors).toEqual([{ type: 'password' }])
    expect(result.current.getPasswordInputProps()).toMatchObject({ type: 'password', autoComplete: 'current-password', disabled: false })
    expect(result.current.getCodeInputProps().disabled).toBe(true)
    act(() => result.current.getPasswordInputProps().onChange({ currentTarget: { value: 'not the password' } } as never))
    await act(() => result.current.verify())
    expect(result.current.error?.code).toBe('invalid_credentials')
    act(() => result.current.setPassword(PASSWORD))
    await act(() => result.current.verify())
    expect(await act(() => pending)).toMatchObject({ status: 'done', data: { result: { secret: expect.any(String) } } })
    expect(result.current.password).toBe('')
  })

  it('ends idle with reauthentication_required when the proof is given up', async () => {
    const { client } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const { result } = renderHook(() => useReverification(() => client.mfa.regenerateRecoveryCode()), { wrapper: kit.wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.run()
    })
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    act(() => result.current.cancel())
    expect(await act(() => pending)).toMatchObject({ status: 'idle', error: { code: 'reauthentication_required' } })
  })

  it('ends idle with the action’s own error, without asking for a proof', async () => {
    const client = await signedInPlain()
    const { result } = renderHook(() => useReverification(() => client.mfa.regenerateRecoveryCode()), { wrapper: plain.wrapper(client) })
    expect(await act(() => result.current.run())).toMatchObject({ status: 'idle', error: { code: 'not_bound' } })
  })

  it('runs the action once more only: a second reauthentication_required is final', async () => {
    const { client, secret } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    // An action that never accepts the proof (the app's own endpoint, say).
    const action = vi.fn(async () => {
      throw new MfaError('reauthentication_required', 'recent sign-in required')
    })
    const { result } = renderHook(() => useReverification(action), { wrapper: kit.wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.run()
    })
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    await act(() => result.current.verify(totpCode(secret, kit.clock.now())))
    expect(await act(() => pending)).toMatchObject({ status: 'idle', error: { code: 'reauthentication_required' } })
    expect(action).toHaveBeenCalledTimes(2)
  })

  it('ends expired when the session itself is gone', async () => {
    const { client } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const onExpired = vi.fn()
    const { result } = renderHook(() => useReverification(() => client.mfa.regenerateRecoveryCode(), { onExpired }), {
      wrapper: kit.wrapper(client),
    })
    act(() => void result.current.run())
    await settle(() => expect(result.current.status).toBe('awaiting_proof'))
    await client.auth.logout()
    await act(() => result.current.verify('123456'))
    expect(result.current.status).toBe('expired')
    expect(onExpired).toHaveBeenCalledOnce()
  })
})
