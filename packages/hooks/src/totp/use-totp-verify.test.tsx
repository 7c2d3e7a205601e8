import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, failOnConsole, totpCode, wrongTotpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useTotpVerify } from './use-totp-verify'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10, lockBaseMs: 30_000 } })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('useTotpVerify', () => {
  it('goes idle → verifying → verified with a correct code and signs the client in', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const onVerified = vi.fn()
    const { result } = renderHook(() => useTotpVerify({ mfaToken, onVerified }), { wrapper: kit.wrapper(client) })
    expect(result.current).toMatchObject({ status: 'idle', error: null, data: { user: null } })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.verify(totpCode(secret, kit.clock.now()))
    })
    expect(result.current.status).toBe('verifying')
    await act(() => pending)
    expect(result.current.status).toBe('verified')
    expect(result.current.data.user?.token).toBeTruthy()
    expect(client.getToken()).toBe(result.current.data.user?.token)
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(result.current.data.user)
  })

  it('submits by itself when the sixth digit is pasted', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client) })
    act(() => result.current.code.setValue(totpCode(secret, kit.clock.now()).replace(/^(...)/, '$1 ')))
    await waitFor(() => expect(result.current.status).toBe('verified'))
  })

  it('does not submit by itself with autoSubmit off', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const before = kit.requests()
    const { result } = renderHook(() => useTotpVerify({ mfaToken, autoSubmit: false }), { wrapper: kit.wrapper(client) })
    act(() => result.current.code.setValue(totpCode(secret, kit.clock.now())))
    expect(result.current.status).toBe('idle')
    expect(kit.requests()).toBe(before)
  })

  it('goes back to idle with invalid_code and an empty input after a wrong code', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client) })
    act(() => result.current.code.setValue(wrongTotpCode(secret, kit.clock.now())))
    await waitFor(() => expect(result.current.error?.code).toBe('invalid_code'))
    expect(result.current.status).toBe('idle')
    expect(result.current.code.value).toBe('')
    expect(client.getToken()).toBeNull()
  })

  it('sends one request for a double submit', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client) })
    const before = kit.requests()
    const code = totpCode(secret, kit.clock.now())
    const outcomes = await act(() => Promise.all([result.current.verify(code), result.current.verify(code)]))
    expect(kit.requests() - before).toBe(1)
    // The second submit is refused while the first is in flight: it resolves at once, still verifying.
    expect(outcomes[0]).toMatchObject({ status: 'verified', data: { user: { token: expect.any(String) } } })
    expect(outcomes[1]).toMatchObject({ status: 'verifying' })
  })

  it('waits out rate_limited with a countdown, then verifies', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client) })
    for (let i = 0; i < 5 && result.current.status !== 'rate_limited'; i++) {
      await act(() => result.current.verify(wrongTotpCode(secret, kit.clock.now())))
    }
    expect(result.current.status).toBe('rate_limited')
    expect(result.current.error?.code).toBe('rate_limited')
    const wait = result.current.error!.retryAfterMs!
    expect(wait).toBeGreaterThan(0)
    expect(result.current.secondsLeft).toBe(Math.ceil(wait / 1000))
    expect(result.current.getCodeInputProps().disabled).toBe(true)
    // Codes are refused while the countdown runs.
    expect(await act(() => result.current.verify(totpCode(secret, kit.clock.now())))).toMatchObject({ status: 'rate_limited' })

    kit.clock.advance(10_000)
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.secondsLeft).toBe(Math.ceil((wait - 10_000) / 1000))
    kit.clock.advance(wait - 10_000)
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.status).toBe('idle')
    expect(result.current.secondsLeft).toBe(0)

    await act(() => result.current.verify(totpCode(secret, kit.clock.now())))
    expect(result.current.status).toBe('verified')
  })

  it('ends expired, and calls onExpired, once the mfaToken is older than 10 minutes', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const onExpired = vi.fn()
    const { result } = renderHook(() => useTotpVerify({ mfaToken, onExpired }), { wrapper: kit.wrapper(client) })
    kit.clock.advance(10 * 60_000 + 1)
    await act(() => result.current.verify(totpCode(secret, kit.clock.now())))
    expect(result.current.status).toBe('expired')
    expect(result.current.error?.code).toBe('mfa_token_expired')
    expect(onExpired).toHaveBeenCalledExactlyOnceWith(result.current.error)
    expect(result.current.getCodeInputProps().disabled).toBe(true)
  })

  it('ends expired with too_many_attempts, not as a timed-out sign-in, once the mfaToken used up its attempts', async () => {
    const strict = createKit({ limits: { failureThreshold: 100, mfaTokenMaxAttempts: 3 } })
    const { client, mfaToken, secret } = await strict.signInWithTotp()
    const onExpired = vi.fn()
    const { result } = renderHook(() => useTotpVerify({ mfaToken, onExpired }), { wrapper: strict.wrapper(client) })
    for (let i = 0; i < 3; i++) {
      await act(() => result.current.verify(wrongTotpCode(secret, strict.clock.now())))
      expect(result.current.status).toBe('idle')
    }
    // Even the right code cannot help now: the way out is a new sign-in.
    await act(() => result.current.verify(totpCode(secret, strict.clock.now())))
    expect(result.current.status).toBe('expired')
    expect(result.current.error?.code).toBe('too_many_attempts')
    expect(onExpired).toHaveBeenCalledExactlyOnceWith(result.current.error)
  })

  it('treats a success reply without a token as a failure', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client) })
    kit.tamper((body) => {
      const b = body as { data?: { token?: unknown } }
      if (b.data && typeof b.data === 'object') delete b.data.token
      return b
    })
    try {
      await act(() => result.current.verify(totpCode(secret, kit.clock.now())))
    } finally {
      kit.tamper(null)
    }
    expect(result.current.status).toBe('idle')
    expect(result.current.error?.code).toBe('bad_response')
    expect(client.getToken()).toBeNull()
  })

  it('resets to idle', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client) })
    await act(() => result.current.verify(wrongTotpCode(secret, kit.clock.now())))
    expect(result.current.error).not.toBeNull()
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'idle', error: null })
  })

  it('aborts the request in flight on unmount and ignores its outcome', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const onVerified = vi.fn()
    const signals: (AbortSignal | undefined)[] = []
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const verifyTotpMfa = client.mfa.verifyTotpMfa
    client.mfa.verifyTotpMfa = async (o) => {
      signals.push(o.signal)
      await gate
      return verifyTotpMfa(o)
    }
    const { result, unmount } = renderHook(() => useTotpVerify({ mfaToken, onVerified }), { wrapper: kit.wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.verify(totpCode(secret, kit.clock.now()))
    })
    await vi.waitFor(() => expect(signals).toHaveLength(1))
    expect(signals[0]?.aborted).toBe(false)
    unmount()
    await Promise.resolve()
    expect(signals[0]?.aborted).toBe(true)
    release()
    // It resolves to where the flow was left; nothing after the unmount reaches it.
    expect(await pending).toMatchObject({ status: 'verifying' })
    expect(onVerified).not.toHaveBeenCalled()
    expect(client.getToken()).toBeNull()
  })

  it("keeps its request alive through StrictMode's double effects", async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client, { strict: true }) })
    await act(() => result.current.verify(totpCode(secret, kit.clock.now())))
    expect(result.current.status).toBe('verified')
  })
})
