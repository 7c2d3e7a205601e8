import { act } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, failOnConsole, renderWithStatuses } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useRecoveryCodeVerify } from './use-recovery-code-verify'
import type { UseRecoveryCodeVerifyOptions } from './use-recovery-code-verify'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10 } })
})
afterEach(() => {
  vi.useRealTimers()
})

const renderRecovery = (options: UseRecoveryCodeVerifyOptions, wrapper: ReturnType<Kit['wrapper']>) =>
  renderWithStatuses(useRecoveryCodeVerify, options, wrapper)

describe('useRecoveryCodeVerify', () => {
  it('walks idle → verifying → showing_recovery_code → done and shows the new code once', async () => {
    const { client, mfaToken, recoveryCode } = await kit.signInWithTotp()
    const onVerified = vi.fn()
    const { result, statuses } = renderRecovery({ mfaToken, onVerified }, kit.wrapper(client))
    expect(result.current.getCodeInputProps()).toMatchObject({
      type: 'text',
      autoComplete: 'off',
      autoCapitalize: 'none',
      spellCheck: false,
      translate: 'no',
      value: '',
    })
    act(() => result.current.getCodeInputProps().onChange({ currentTarget: { value: ` ${recoveryCode} ` } } as never))
    expect(result.current.value).toBe(` ${recoveryCode} `)
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.verify()
    })
    expect(result.current.status).toBe('verifying')
    expect(await act(() => pending)).toMatchObject({ status: 'showing_recovery_code' })

    expect(result.current.status).toBe('showing_recovery_code')
    const next = result.current.data.recoveryCode
    expect(next).toBeTruthy()
    expect(next).not.toBe(recoveryCode)
    expect(result.current.value).toBe('')
    expect(result.current.data.user?.token).toBeTruthy()
    expect(client.getToken()).toBe(result.current.data.user?.token)
    // The user object the hook keeps does not carry the code.
    expect(Object.getOwnPropertyDescriptor(result.current.data.user, 'recoveryCode')).toBeUndefined()
    expect(onVerified).not.toHaveBeenCalled()

    act(() => result.current.finish())
    expect(result.current.status).toBe('showing_recovery_code')
    act(() => result.current.acknowledge(true))
    act(() => result.current.getFinishProps().onClick())
    expect(result.current.status).toBe('done')
    expect(result.current.data.recoveryCode).toBeNull()
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(result.current.data.user)
    expect(statuses).toEqual(['idle', 'verifying', 'showing_recovery_code', 'done'])
  })

  it('goes back to idle with invalid_recovery_code after a wrong code', async () => {
    const { client, mfaToken } = await kit.signInWithTotp()
    const { result } = renderRecovery({ mfaToken }, kit.wrapper(client))
    expect(await act(() => result.current.verify('0000-0000-0000-0000-0000-0000'))).toMatchObject({
      status: 'idle',
      error: { code: 'invalid_recovery_code' },
    })
    expect(result.current.status).toBe('idle')
    expect(result.current.error?.code).toBe('invalid_recovery_code')
  })

  it('shares the TOTP throttle: rate_limited counts down, then accepts the right code', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const { client, mfaToken, recoveryCode } = await kit.signInWithTotp()
    const { result } = renderRecovery({ mfaToken }, kit.wrapper(client))
    for (let i = 0; i < 5 && result.current.status !== 'rate_limited'; i++) {
      await act(() => result.current.verify('0000-0000-0000-0000-0000-0000'))
    }
    expect(result.current.status).toBe('rate_limited')
    const wait = result.current.error!.retryAfterMs!
    expect(result.current.secondsLeft).toBe(Math.ceil(wait / 1000))
    expect(result.current.getCodeInputProps().disabled).toBe(true)
    kit.clock.advance(wait)
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.status).toBe('idle')
    await act(() => result.current.verify(recoveryCode))
    expect(result.current.status).toBe('showing_recovery_code')
  })

  it('ends expired when the mfaToken is older than 10 minutes', async () => {
    const { client, mfaToken, recoveryCode } = await kit.signInWithTotp()
    const onExpired = vi.fn()
    const { result } = renderRecovery({ mfaToken, onExpired }, kit.wrapper(client))
    kit.clock.advance(10 * 60_000 + 1)
    await act(() => result.current.verify(recoveryCode))
    expect(result.current.status).toBe('expired')
    expect(onExpired).toHaveBeenCalledOnce()
  })

  it('resets to idle', async () => {
    const { client, mfaToken } = await kit.signInWithTotp()
    const { result } = renderRecovery({ mfaToken }, kit.wrapper(client))
    act(() => result.current.setValue('abc'))
    await act(() => result.current.verify())
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'idle', error: null, value: '' })
  })
})
