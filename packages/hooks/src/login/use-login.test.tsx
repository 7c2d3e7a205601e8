import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, failOnConsole, PASSWORD } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useLogin } from './use-login'

failOnConsole()

let kit: Kit
let plain: Kit
let n = 0
const newEmail = () => `login${++n}.${Date.now()}@example.com`
beforeAll(() => {
  kit = createKit({ limits: { passwordFailureThreshold: 2 } })
  plain = createKit({ factors: [] })
})
afterEach(() => {
  vi.useRealTimers()
})

async function register(k: Kit) {
  const email = newEmail()
  await k.newClient().auth.registerByEmail(email, PASSWORD)
  return email
}

describe('useLogin', () => {
  it('goes idle → submitting → mfa_required with the trigger', async () => {
    const email = await register(kit)
    const client = kit.newClient()
    const onSuccess = vi.fn()
    const { result } = renderHook(() => useLogin({ onSuccess }), { wrapper: kit.wrapper(client) })
    expect(result.current).toMatchObject({ status: 'idle', error: null, data: { user: null, trigger: null } })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.loginByEmail(email, PASSWORD)
    })
    expect(result.current.status).toBe('submitting')
    expect(await act(() => pending)).toMatchObject({ status: 'mfa_required', data: { trigger: { email } } })
    expect(result.current.status).toBe('mfa_required')
    expect(result.current.data.trigger).toMatchObject({ authingCode: 1636, email, totpMfaEnabled: false })
    expect(result.current.data.user).toBeNull()
    expect(client.getToken()).toBeNull()
    expect(onSuccess).toHaveBeenCalledExactlyOnceWith({
      status: 'mfa_required',
      mfaToken: result.current.data.trigger?.mfaToken,
      trigger: result.current.data.trigger,
    })
  })

  it('ends authenticated when the application asks for no second factor', async () => {
    const email = await register(plain)
    const client = plain.newClient()
    const { result } = renderHook(() => useLogin(), { wrapper: plain.wrapper(client) })
    await act(() => result.current.loginByEmail(email, PASSWORD))
    expect(result.current.status).toBe('authenticated')
    expect(result.current.data.trigger).toBeNull()
    expect(result.current.data.user?.token).toBe(client.getToken())
  })

  it('goes back to idle with invalid_credentials for a wrong password', async () => {
    const email = await register(kit)
    const { result } = renderHook(() => useLogin(), { wrapper: kit.wrapper(kit.newClient()) })
    const outcome = await act(() => result.current.loginByEmail(email, 'wrong password!'))
    expect(outcome).toMatchObject({ status: 'idle', error: { code: 'invalid_credentials' } })
    expect(result.current.status).toBe('idle')
    expect(result.current.error?.code).toBe('invalid_credentials')
  })

  it('goes rate_limited after repeated wrong passwords and counts down', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const email = await register(kit)
    const { result } = renderHook(() => useLogin(), { wrapper: kit.wrapper(kit.newClient()) })
    for (let i = 0; i < 5 && result.current.status !== 'rate_limited'; i++) {
      await act(() => result.current.loginByEmail(email, 'wrong password!'))
    }
    expect(result.current.status).toBe('rate_limited')
    const wait = result.current.error!.retryAfterMs!
    expect(result.current.secondsLeft).toBe(Math.ceil(wait / 1000))
    // Refused while throttled: nothing is sent, and the snapshot says so.
    expect(await act(() => result.current.loginByEmail(email, PASSWORD))).toMatchObject({ status: 'rate_limited' })
    kit.clock.advance(wait)
    act(() => vi.advanceTimersByTime(wait))
    expect(result.current.status).toBe('idle')
    await act(() => result.current.loginByEmail(email, PASSWORD))
    expect(result.current.status).toBe('mfa_required')
  })

  it('signs in with a phone and password, then resets to idle', async () => {
    const client = plain.newClient()
    const phone = `137${String(++n).padStart(8, '0')}`
    await plain.newClient().auth.registerByEmail(newEmail(), PASSWORD, { phone })
    const { result } = renderHook(() => useLogin(), { wrapper: plain.wrapper(client) })
    await act(() => result.current.loginByPhonePassword(phone, PASSWORD))
    expect(result.current.status).toBe('authenticated')
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'idle', error: null, data: { user: null, trigger: null } })
  })
})
