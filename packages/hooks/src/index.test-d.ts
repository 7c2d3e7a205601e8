import { describe, expectTypeOf, it } from 'vitest'
import type { LoginResult, MfaAssociation, MfaAuthenticators, MfaClient, MfaError, MfaPolicy, MfaTrigger, SendResult, User } from '@mfa-kit/client'
import type { QueryClient, UseQueryOptions } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import {
  composeEventHandlers,
  mergeProps,
  mfaAuthenticatorsQueryOptions,
  mfaKeys,
  mfaMutationOptions,
  MfaProvider,
  useBindableCheck,
  useControllableState,
  useEmailMfa,
  useLogin,
  useMfaAuthenticators,
  useMfaChallenge,
  useMfaClient,
  useMfaUnbind,
  useOneTimeCode,
  useRecoveryCodeVerify,
  useResendCountdown,
  useSmsMfa,
  useTotpBinding,
  useTotpVerify,
} from './index'
import type {
  BindableCheckStatus,
  LoginStatus,
  MfaAuthenticatorsStatus,
  MfaChallengeStatus,
  MfaUnbindStatus,
  OneTimeCodeSlot,
  OobMfaStatus,
  RecoveryCodeVerifyStatus,
  TotpBindingStatus,
  TotpVerifyStatus,
} from './index'

declare const client: MfaClient
declare const trigger: MfaTrigger

describe('the public surface', () => {
  it('has a provider taking a client and an optional QueryClient', () => {
    expectTypeOf(MfaProvider).parameter(0).toEqualTypeOf<{
      client: MfaClient
      queryClient?: QueryClient
      now?: () => number
      children?: ReactNode
    }>()
    expectTypeOf(useMfaClient).returns.toEqualTypeOf<MfaClient>()
  })

  it('pins every status union', () => {
    expectTypeOf<TotpBindingStatus>().toEqualTypeOf<
      'idle' | 'loading_secret' | 'awaiting_code' | 'confirming' | 'showing_recovery_code' | 'done' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<TotpVerifyStatus>().toEqualTypeOf<'idle' | 'verifying' | 'verified' | 'rate_limited' | 'expired'>()
    expectTypeOf<RecoveryCodeVerifyStatus>().toEqualTypeOf<
      'idle' | 'verifying' | 'showing_recovery_code' | 'done' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<OobMfaStatus>().toEqualTypeOf<
      'binding' | 'idle' | 'sending' | 'code_sent' | 'verifying' | 'verified' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<LoginStatus>().toEqualTypeOf<'idle' | 'submitting' | 'authenticated' | 'mfa_required' | 'rate_limited'>()
    expectTypeOf<MfaChallengeStatus>().toEqualTypeOf<'verifying' | 'binding' | 'recovering' | 'verified' | 'expired' | 'unavailable'>()
    expectTypeOf<MfaUnbindStatus>().toEqualTypeOf<'idle' | 'confirming' | 'unbinding' | 'done' | 'rate_limited' | 'expired'>()
    expectTypeOf<MfaAuthenticatorsStatus>().toEqualTypeOf<'loading' | 'success' | 'error' | 'expired'>()
    expectTypeOf<BindableCheckStatus>().toEqualTypeOf<'idle' | 'checking' | 'bindable' | 'unavailable' | 'error' | 'expired'>()
  })

  it('gives every hook { status, error: MfaError | null, data }', () => {
    expectTypeOf(useTotpVerify({ mfaToken: 't' })).toMatchTypeOf<{ status: TotpVerifyStatus; error: MfaError | null; data: User | null }>()
    expectTypeOf(useTotpBinding()).toMatchTypeOf<{ status: TotpBindingStatus; error: MfaError | null }>()
    expectTypeOf(useTotpBinding().data).toEqualTypeOf<{
      secret: string | null
      secretGroups: string[]
      otpauthUri: string | null
      recoveryCode: string | null
      acknowledged: boolean
      user: User | null
    }>()
    expectTypeOf(useRecoveryCodeVerify({ mfaToken: 't' }).data).toEqualTypeOf<{
      user: User | null
      recoveryCode: string | null
      acknowledged: boolean
    }>()
    expectTypeOf(useSmsMfa({ mfaToken: 't' })).toMatchTypeOf<{ status: OobMfaStatus; error: MfaError | null }>()
    expectTypeOf(useEmailMfa({ mfaToken: 't' }).data.maskedDestination).toEqualTypeOf<string | null>()
    expectTypeOf(useLogin()).toMatchTypeOf<{ status: LoginStatus; error: MfaError | null; data: LoginResult | null; trigger: MfaTrigger | null }>()
    expectTypeOf(useMfaChallenge(trigger).data.factor).toEqualTypeOf<MfaPolicy | null>()
    expectTypeOf(useMfaAuthenticators()).toMatchTypeOf<{ status: MfaAuthenticatorsStatus; error: MfaError | null; data: MfaAuthenticators }>()
    expectTypeOf(useBindableCheck({ phone: '1' })).toEqualTypeOf<{ status: BindableCheckStatus; error: MfaError | null; data: boolean | undefined }>()
    expectTypeOf(useMfaUnbind()).toMatchTypeOf<{ status: MfaUnbindStatus; error: MfaError | null; data: null }>()
  })

  it('requires an mfaToken where a login is being finished', () => {
    // @ts-expect-error mfaToken is required
    useTotpVerify({})
    // @ts-expect-error mfaToken is required
    useRecoveryCodeVerify({})
    // @ts-expect-error mfaToken is required
    useSmsMfa({ phone: '1' })
  })

  it('returns actions that resolve to the outcome', () => {
    expectTypeOf(useTotpVerify({ mfaToken: 't' }).verify).toEqualTypeOf<(code: string) => Promise<User | null>>()
    expectTypeOf(useLogin().loginByEmail).returns.toEqualTypeOf<Promise<LoginResult | null>>()
    expectTypeOf(useSmsMfa({ mfaToken: 't' }).send).toEqualTypeOf<() => Promise<boolean>>()
    expectTypeOf(useMfaUnbind().confirm).toEqualTypeOf<() => Promise<boolean>>()
    expectTypeOf(useMfaChallenge(trigger).flow).toEqualTypeOf<{
      mfaToken: string
      phone: string | null
      phoneCountryCode: string | null
      email: string | null
      onVerified: (user: User) => void
      onExpired: (error: MfaError) => void
    }>()
    // The flow spreads into every factor hook, binding hooks included.
    const flow = useMfaChallenge(trigger).flow
    useTotpVerify(flow)
    useTotpBinding(flow)
    useRecoveryCodeVerify(flow)
    useSmsMfa(flow)
    useEmailMfa(flow)
  })

  it('has prop getters that merge the caller props into ours', () => {
    const input = useOneTimeCode().getInputProps({ id: 'code', 'aria-label': 'Code' })
    expectTypeOf(input.autoComplete).toEqualTypeOf<'one-time-code'>()
    expectTypeOf(input.inputMode).toEqualTypeOf<'numeric'>()
    expectTypeOf(input.id).toEqualTypeOf<string>()
    expectTypeOf(useOneTimeCode().slots).toEqualTypeOf<OneTimeCodeSlot[]>()
    expectTypeOf(useTotpBinding().getAcknowledgeProps().type).toEqualTypeOf<'checkbox'>()
    expectTypeOf(useMfaChallenge(trigger).getFactorButtonProps('SMS')['aria-pressed']).toEqualTypeOf<boolean>()
    expectTypeOf(useSmsMfa({ mfaToken: 't' }).getDestinationInputProps().type).toEqualTypeOf<'tel' | 'email'>()
  })

  it('types the helpers', () => {
    expectTypeOf(useControllableState({ defaultProp: 1 })).toEqualTypeOf<[number, (next: number | ((prev: number) => number)) => void]>()
    expectTypeOf(composeEventHandlers<MouseEvent>).returns.toEqualTypeOf<(event: MouseEvent) => void>()
    expectTypeOf(mergeProps({ a: 1 }, { b: 'x' })).toEqualTypeOf<{ a: number } & { b: string }>()
    expectTypeOf(useResendCountdown().start).toEqualTypeOf<(ms: number) => void>()
  })

  it('types keys and option factories for prefetching and useMutation', () => {
    expectTypeOf(mfaKeys.all).toEqualTypeOf<readonly ['mfa']>()
    expectTypeOf(mfaKeys.authenticators('SELF')).toEqualTypeOf<readonly ['mfa', 'authenticators', 'SELF' | 'APPLICATION']>()
    expectTypeOf(mfaAuthenticatorsQueryOptions(client)).toMatchTypeOf<UseQueryOptions<MfaAuthenticators, MfaError>>()
    expectTypeOf(mfaMutationOptions(client, 'verifyTotpMfa').mutationFn).parameter(0).toMatchTypeOf<{ totp: string; mfaToken?: string }>()
    expectTypeOf(mfaMutationOptions(client, 'verifyTotpMfa').mutationFn).returns.toEqualTypeOf<Promise<User>>()
    expectTypeOf(mfaMutationOptions(client, 'associateMfaAuthenticator').mutationFn).returns.toEqualTypeOf<Promise<MfaAssociation>>()
    expectTypeOf(mfaMutationOptions(client, 'sendSmsCode').mutationFn).returns.toEqualTypeOf<Promise<SendResult>>()
    expectTypeOf(mfaMutationOptions(client, 'login').mutationFn).returns.toEqualTypeOf<Promise<LoginResult>>()
    // @ts-expect-error only the client's write methods have mutation options
    mfaMutationOptions(client, 'getMfaAuthenticators')
  })
})
