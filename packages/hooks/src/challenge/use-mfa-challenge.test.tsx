import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { MfaTrigger } from '@mfa-kit/client'
import { useEmailMfa } from '../oob/use-email-mfa'
import { useEmailBinding, useSmsBinding } from '../oob/use-oob-binding'
import { useSmsMfa } from '../oob/use-sms-mfa'
import { useRecoveryCodeVerify } from '../recovery/use-recovery-code-verify'
import { createKit, failOnConsole, settle, totpCode, wrongTotpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useTotpBinding } from '../totp/use-totp-binding'
import { useTotpVerify } from '../totp/use-totp-verify'
import { useMfaChallenge } from './use-mfa-challenge'
import type { UseMfaChallengeOptions } from './use-mfa-challenge'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

describe('useMfaChallenge', () => {
  it('offers an account that can verify a factor only what it can verify: the server refuses a binding then', async () => {
    const { client, trigger, mfaToken } = await kit.signIn()
    const { result } = renderHook(() => useMfaChallenge(trigger), { wrapper: kit.wrapper(client) })
    // The registration email counts: this account verifies it, and binds nothing while signing in.
    expect(result.current.data.factors).toEqual([{ type: 'EMAIL', bound: true, current: true }])
    expect(result.current).toMatchObject({ status: 'verifying', data: { factor: 'EMAIL' }, canRecover: false })
    await expect(client.mfa.associateMfaAuthenticator({ source: 'APPLICATION', mfaToken })).rejects.toMatchObject({
      code: 'unauthenticated',
    })
    act(() => result.current.selectFactor('OTP'))
    expect(result.current.data.factor).toBe('EMAIL')
  })

  it("offers every factor in the server's order, with what is bound and what is on screen, where any account may bind", async () => {
    const open = createKit({ enrollmentDuringLogin: 'any' })
    const { client, trigger } = await open.signIn()
    const { result } = renderHook(() => useMfaChallenge(trigger, { enrollment: 'any' }), { wrapper: open.wrapper(client) })
    expect(result.current.data.factors).toEqual([
      { type: 'OTP', bound: false, current: false },
      { type: 'SMS', bound: false, current: false },
      { type: 'EMAIL', bound: true, current: true },
    ])
    expect(result.current.data.factor).toBe(trigger.current)
    act(() => result.current.selectFactor('OTP'))
    expect(result.current).toMatchObject({ status: 'binding', data: { factor: 'OTP' }, canRecover: false })
    act(() => result.current.getFactorButtonProps('SMS').onClick())
    expect(result.current).toMatchObject({ status: 'binding', data: { factor: 'SMS' } })
    expect(result.current.getFactorButtonProps('SMS')).toMatchObject({ type: 'button', 'aria-current': true })
    expect(result.current.getFactorButtonProps('EMAIL')['aria-current']).toBeUndefined()
    act(() => result.current.getFactorButtonProps('EMAIL').onClick())
    expect(result.current).toMatchObject({ status: 'verifying', data: { factor: 'EMAIL' } })
    act(() => result.current.startRecovery())
    expect(result.current.status).toBe('verifying')
  })

  it('ends verified with the user through useEmailMfa(challenge.flow)', async () => {
    const { client, trigger, email } = await kit.signIn()
    const onVerified = vi.fn()
    const { result } = renderHook(
      () => {
        const challenge = useMfaChallenge(trigger, { onVerified })
        const factor = useEmailMfa(challenge.flow)
        return { challenge, factor }
      },
      { wrapper: kit.wrapper(client) },
    )
    await settle(() => expect(result.current.factor.status).toBe('code_sent'))
    const code = await kit.lastCode(email)
    await act(() => result.current.factor.verify(code))
    expect(result.current.challenge.status).toBe('verified')
    expect(result.current.challenge.data.user?.token).toBe(client.getToken())
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(result.current.challenge.data.user)
  })

  it('binds an email with useEmailBinding(challenge.flow) and ends verified', async () => {
    const { client, trigger } = await kit.signInToBind()
    const email = `bound.${Date.now()}@example.com`
    const { result } = renderHook(
      () => {
        const challenge = useMfaChallenge(trigger, { factors: ['EMAIL'] })
        const factor = useEmailBinding({ ...challenge.flow, bindableCheck: false })
        return { challenge, factor }
      },
      { wrapper: kit.wrapper(client) },
    )
    expect(result.current.challenge.status).toBe('binding')
    expect(result.current.factor.status).toBe('binding')
    act(() => result.current.factor.setDestinationInput(email))
    await act(() => result.current.factor.send())
    const code = await kit.lastCode(email)
    await act(() => result.current.factor.verify(code))
    expect(result.current.challenge.status).toBe('verified')
  })

  it('binds TOTP with useTotpBinding(challenge.flow) and ends verified once the recovery code is acknowledged', async () => {
    const { client, trigger } = await kit.signInToBind()
    const onVerified = vi.fn()
    const { result } = renderHook(
      () => {
        const challenge = useMfaChallenge(trigger, { factors: ['OTP'], onVerified })
        const binding = useTotpBinding(challenge.flow)
        return { challenge, binding }
      },
      { wrapper: kit.wrapper(client) },
    )
    expect(result.current.challenge.status).toBe('binding')
    await settle(() => expect(result.current.binding.status).toBe('awaiting_code'))
    await act(() => result.current.binding.confirm(totpCode(result.current.binding.data.secret!, kit.clock.now())))
    // The recovery code must be seen first: the challenge waits for it.
    expect(result.current.binding.status).toBe('showing_recovery_code')
    expect(result.current.challenge.status).toBe('binding')
    act(() => result.current.binding.acknowledge(true))
    act(() => result.current.binding.finish())
    expect(result.current.challenge.status).toBe('verified')
    expect(result.current.challenge.data.user?.token).toBe(client.getToken())
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(result.current.challenge.data.user)
  })

  it('verifies TOTP with useTotpVerify(challenge.flow), or a recovery code with useRecoveryCodeVerify(challenge.flow)', async () => {
    const { client, trigger, secret, recoveryCode } = await kit.signInWithTotp()
    const viaTotp = renderHook(
      () => {
        const challenge = useMfaChallenge(trigger, { factors: ['OTP'] })
        return { challenge, totp: useTotpVerify(challenge.flow) }
      },
      { wrapper: kit.wrapper(client) },
    )
    expect(viaTotp.result.current.challenge.status).toBe('verifying')
    await act(() => viaTotp.result.current.totp.verify(totpCode(secret, kit.clock.now())))
    expect(viaTotp.result.current.challenge.status).toBe('verified')

    const again = await kit.signIn(trigger.username ? { username: trigger.username } : { email: trigger.email! })
    const { result } = renderHook(
      () => {
        const challenge = useMfaChallenge(again.trigger, { factors: ['OTP'] })
        return { challenge, recovery: useRecoveryCodeVerify(challenge.flow) }
      },
      { wrapper: kit.wrapper(again.client) },
    )
    expect(result.current.challenge.canRecover).toBe(true)
    act(() => result.current.challenge.startRecovery())
    expect(result.current.challenge).toMatchObject({ status: 'recovering', canRecover: false })
    act(() => result.current.challenge.stopRecovery())
    expect(result.current.challenge.status).toBe('verifying')
    act(() => result.current.challenge.startRecovery())
    act(() => result.current.challenge.selectFactor('OTP'))
    expect(result.current.challenge.status).toBe('verifying')
    act(() => result.current.challenge.startRecovery())
    await act(() => result.current.recovery.verify(recoveryCode))
    expect(result.current.challenge.status).toBe('recovering')
    act(() => result.current.recovery.acknowledge(true))
    act(() => result.current.recovery.finish())
    expect(result.current.challenge.status).toBe('verified')
  })

  it('binds a phone with useSmsBinding(challenge.flow) and ends verified', async () => {
    const { client, trigger } = await kit.signInToBind()
    const phone = '13655500001'
    const { result } = renderHook(
      () => {
        const challenge = useMfaChallenge(trigger, { factors: ['SMS'] })
        const sms = useSmsBinding({ ...challenge.flow, bindableCheck: false })
        return { challenge, sms }
      },
      { wrapper: kit.wrapper(client) },
    )
    expect(result.current.challenge.status).toBe('binding')
    act(() => result.current.sms.setDestinationInput(phone))
    await act(() => result.current.sms.send())
    const code = await kit.lastCode(phone)
    await act(() => result.current.sms.verify(code))
    expect(result.current.challenge.status).toBe('verified')
  })

  it('verifies a bound phone with useSmsMfa(challenge.flow), which knows where to send', async () => {
    const phone = '13655500002'
    const { client, trigger } = await kit.signInWithPhone(phone)
    const { result } = renderHook(
      () => {
        const challenge = useMfaChallenge(trigger, { factors: ['SMS'] })
        const sms = useSmsMfa(challenge.flow)
        return { challenge, sms }
      },
      { wrapper: kit.wrapper(client) },
    )
    expect(result.current.challenge.status).toBe('verifying')
    await settle(() => expect(result.current.sms.status).toBe('code_sent'))
    expect(result.current.sms.data.maskedDestination).toBe('+86 136****0002')
    const code = await kit.lastCode(phone)
    await act(() => result.current.sms.verify(code))
    expect(result.current.challenge.status).toBe('verified')
  })

  it('ends expired with too_many_attempts when the factor used up the attempts of the sign-in', async () => {
    const strict = createKit({ limits: { failureThreshold: 100, mfaTokenMaxAttempts: 2 } })
    const { client, trigger, secret } = await strict.signInWithTotp()
    const { result } = renderHook(
      () => {
        const challenge = useMfaChallenge(trigger, { factors: ['OTP'] })
        return { challenge, totp: useTotpVerify(challenge.flow) }
      },
      { wrapper: strict.wrapper(client) },
    )
    for (let i = 0; i < 2; i++) await act(() => result.current.totp.verify(wrongTotpCode(secret, strict.clock.now())))
    expect(result.current.challenge.status).toBe('verifying')
    await act(() => result.current.totp.verify(totpCode(secret, strict.clock.now())))
    expect(result.current.challenge.status).toBe('expired')
    expect(result.current.challenge.error?.code).toBe('too_many_attempts')
  })

  it('ends expired when a factor finds the mfaToken dead, restarts through onRestart, and starts over with a new trigger', async () => {
    const first = await kit.signInWithTotp()
    const onRestart = vi.fn()
    const { result, rerender } = renderHook(
      ({ trigger, options }: { trigger: MfaTrigger; options: UseMfaChallengeOptions }) => {
        const challenge = useMfaChallenge(trigger, options)
        const totp = useTotpVerify(challenge.flow)
        return { challenge, totp }
      },
      { wrapper: kit.wrapper(first.client), initialProps: { trigger: first.trigger, options: { onRestart } } },
    )
    kit.clock.advance(10 * 60_000 + 1)
    await act(() => result.current.totp.verify(totpCode(first.secret, kit.clock.now())))
    expect(result.current.challenge.status).toBe('expired')
    expect(result.current.challenge.error?.code).toBe('mfa_token_expired')
    act(() => result.current.challenge.selectFactor('SMS'))
    expect(result.current.challenge.status).toBe('expired')
    act(() => result.current.challenge.restart())
    expect(onRestart).toHaveBeenCalledOnce()

    const again = await kit.signIn(first.account)
    rerender({ trigger: again.trigger, options: { onRestart } })
    expect(result.current.challenge.status).toBe('verifying')
    expect(result.current.challenge.flow.mfaToken).toBe(again.mfaToken)
  })

  it('is unavailable when no offered factor can run', async () => {
    const { client, trigger } = await kit.signIn()
    const { result } = renderHook(() => useMfaChallenge(trigger, { factors: ['FACE'] }), { wrapper: kit.wrapper(client) })
    expect(result.current.status).toBe('unavailable')
    expect(result.current.data.factor).toBeNull()
  })
})
