import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { useMfaChallenge } from '../challenge/use-mfa-challenge'
import { useEmailMfa } from '../oob/use-email-mfa'
import { useMfaSession } from '../session/use-mfa-session'
import { createKit, failOnConsole, PASSWORD, settle } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useSignUp } from './use-sign-up'

failOnConsole()

let kit: Kit
let plain: Kit
let n = 0
const newEmail = () => `signup${++n}.${Date.now()}@example.com`
beforeAll(() => {
  kit = createKit()
  plain = createKit({ factors: [] })
})

describe('useSignUp', () => {
  it('goes idle → submitting → sign_in_required when the server leaves signing in to the user', async () => {
    const email = newEmail()
    const onSuccess = vi.fn()
    const { result } = renderHook(() => useSignUp({ onSuccess }), { wrapper: kit.wrapper(kit.newClient()) })
    expect(result.current).toMatchObject({ status: 'idle', error: null, data: { user: null, trigger: null } })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.registerByEmail(email, PASSWORD, { nickname: 'New' })
    })
    expect(result.current.status).toBe('submitting')
    expect(await act(() => pending)).toMatchObject({ status: 'sign_in_required', data: { user: { email, nickname: 'New' } } })
    expect(result.current.data.user?.token ?? null).toBeNull()
    expect(onSuccess).toHaveBeenCalledExactlyOnceWith({ status: 'sign_in_required', user: result.current.data.user })
  })

  it('ends authenticated, and records the session, when the server signs the user in', async () => {
    const client = plain.newClient()
    const { result } = renderHook(() => ({ signUp: useSignUp(), session: useMfaSession() }), { wrapper: plain.wrapper(client) })
    await act(() => result.current.signUp.registerByUsername(`user_${++n}`, PASSWORD, undefined, { forceLogin: true }))
    expect(result.current.signUp.status).toBe('authenticated')
    expect(result.current.signUp.data.user?.token).toBe(client.getToken())
    expect(result.current.session).toMatchObject({ status: 'signed_in', data: { user: { id: result.current.signUp.data.user?.id } } })
  })

  it('answers mfa_required when registration with forceLogin meets an MFA policy, and the challenge finishes it', async () => {
    const guarded = createKit({ factors: ['EMAIL'] })
    const client = guarded.newClient()
    const email = 'guarded@example.com'
    const { result } = renderHook(() => ({ signUp: useSignUp(), session: useMfaSession() }), { wrapper: guarded.wrapper(client) })
    const answer = await act(() => result.current.signUp.registerByEmail(email, 'pass-word-1', undefined, { forceLogin: true }))
    if (answer.status !== 'mfa_required') throw new Error(`expected MFA, got ${answer.status}`)
    expect(answer.data.trigger.mfaEmail).toBe(email)
    expect(client.getToken()).toBeNull()
    expect(result.current.session.status).toBe('signed_out')

    const challenge = renderHook(
      () => {
        const c = useMfaChallenge(answer.data.trigger)
        return { challenge: c, email: useEmailMfa(c.flow), session: useMfaSession() }
      },
      { wrapper: guarded.wrapper(client) },
    )
    await settle(() => expect(challenge.result.current.email.status).toBe('code_sent'))
    await act(async () => challenge.result.current.email.verify(await guarded.lastCode(email)))
    expect(challenge.result.current.challenge.status).toBe('verified')
    expect(challenge.result.current.session).toMatchObject({ status: 'signed_in', data: { user: { email } } })
    expect(client.getToken()).toBeTruthy()
  })

  it('registers by phone code, sent with the register scene', async () => {
    const client = plain.newClient()
    const phone = `1371${String(++n).padStart(7, '0')}`
    await client.auth.sendSmsCode(phone, { scene: 'register' })
    const { result } = renderHook(() => useSignUp(), { wrapper: plain.wrapper(client) })
    await act(async () =>
      result.current.registerByPhoneCode(phone, await plain.lastCode(phone), PASSWORD, { nickname: 'Phone' }, { forceLogin: true }),
    )
    expect(result.current).toMatchObject({ status: 'authenticated', data: { user: { nickname: 'Phone' } } })
  })

  it('refuses a short password with weak_password before sending anything', async () => {
    const { result } = renderHook(() => useSignUp(), { wrapper: kit.wrapper(kit.newClient()) })
    const before = kit.requests()
    expect(await act(() => result.current.registerByEmail(newEmail(), 'short'))).toMatchObject({
      status: 'idle',
      error: { code: 'weak_password' },
    })
    expect(kit.requests()).toBe(before)
  })

  it('reports invalid_email and user_exists, and stays usable', async () => {
    const email = newEmail()
    await kit.newClient().auth.registerByEmail(email, PASSWORD)
    const { result } = renderHook(() => useSignUp(), { wrapper: kit.wrapper(kit.newClient()) })
    await act(() => result.current.registerByEmail('not an email', PASSWORD))
    expect(result.current.error?.code).toBe('invalid_email')
    await act(() => result.current.registerByEmail(email, PASSWORD))
    expect(result.current).toMatchObject({ status: 'idle', error: { code: 'user_exists' } })
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'idle', error: null })
  })
})
