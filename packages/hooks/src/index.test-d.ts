import { describe, expectTypeOf, it } from 'vitest'
import type {
  MfaAssociation,
  MfaAuthenticators,
  MfaClient,
  MfaError,
  MfaPolicy,
  MfaTrigger,
  RecoveryCodeRegenerated,
  RegisterResult,
  ReverificationFactor,
  SendResult,
  User,
} from '@mfa-kit/client'
import type { QueryClient, UseQueryOptions } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import {
  composeEventHandlers,
  isMfaError,
  mergeProps,
  mfaKeys,
  mfaMutationOptions,
  MfaProvider,
  useControllableState,
  useEmailMfa,
  useLogin,
  useMfaChallenge,
  useMfaClient,
  useMfaSession,
  useOneTimeCode,
  useRecoveryCodeVerify,
  useResendCountdown,
  useSignUp,
  useSmsMfa,
  useTotpVerify,
} from './index'
import type {
  LoginEvent,
  LoginState,
  LoginStatus,
  MfaChallengeFactor,
  MfaChallengeStatus,
  MfaSessionStatus,
  OneTimeCodeSlot,
  OneTimeCodeState,
  OobMfaStatus,
  RecoveryCodeVerifyStatus,
  SharedFlowEvent,
  SignUpStatus,
  TokenStore,
  TotpVerifySnapshot,
  TotpVerifyStatus,
} from './index'
import type * as Root from './index'
import { useBindableCheck, useEmailBinding, useSmsBinding, useTotpBinding } from './binding'
import type { BindableCheckStatus, TotpBindingData, TotpBindingEvent, TotpBindingStatus } from './binding'
import type * as Binding from './binding'
import {
  mfaAuthenticatorsQueryOptions,
  useMfaAuthenticators,
  useMfaUnbind,
  useRecoveryCodeRegenerate,
  useReverification,
  useSelfEmailBinding,
  useSelfSmsBinding,
  useSelfTotpBinding,
} from './account'
import type {
  EmbeddedReverification,
  MfaAuthenticatorsStatus,
  MfaUnbindStatus,
  RecoveryCodeRegenerateStatus,
  ReverificationStatus,
  SelfBindingStatus,
} from './account'
import { loginReducer } from './login/login.reducer'
import { machine, on } from './utils/machine'
import type { FlowState } from './utils/machine'

declare const client: MfaClient
declare const trigger: MfaTrigger

describe('the public surface', () => {
  it('has a provider taking a client, an optional QueryClient and an optional token store', () => {
    expectTypeOf(MfaProvider).parameter(0).toEqualTypeOf<{
      client: MfaClient
      queryClient?: QueryClient
      now?: () => number
      tokenStore?: TokenStore
      children?: ReactNode
    }>()
    expectTypeOf<TokenStore>().toEqualTypeOf<{ get(): string | null; set(token: string | null): void }>()
    expectTypeOf(useMfaClient).returns.toEqualTypeOf<MfaClient>()
  })

  it("re-exports the client's error, user and trigger types, and isMfaError, so a UI needs no other import", () => {
    expectTypeOf<Root.MfaError>().toEqualTypeOf<MfaError>()
    expectTypeOf<Root.MfaErrorCode>().toEqualTypeOf<MfaError['code']>()
    expectTypeOf<Root.User>().toEqualTypeOf<User>()
    expectTypeOf<Root.MfaClient>().toEqualTypeOf<MfaClient>()
    expectTypeOf<Root.MfaTrigger>().toEqualTypeOf<MfaTrigger>()
    expectTypeOf<Root.MfaPolicy>().toEqualTypeOf<MfaPolicy>()
    const e: unknown = null
    if (isMfaError(e, 'rate_limited')) expectTypeOf(e.code).toEqualTypeOf<'rate_limited'>()
  })

  it('keeps the hooks of the signed-in account out of the root entry', () => {
    expectTypeOf<'useMfaAuthenticators' | 'useMfaUnbind' | 'useReverification' | 'useRecoveryCodeRegenerate'>().not.toExtend<
      keyof typeof Root
    >()
    expectTypeOf<keyof typeof Root>().not.toExtend<'useSelfTotpBinding'>()
    expectTypeOf<'useTotpBinding' | 'useSmsBinding' | 'useEmailBinding' | 'useBindableCheck'>().not.toExtend<keyof typeof Root>()
    expectTypeOf<'useTotpBinding' | 'useSmsBinding' | 'useEmailBinding' | 'useBindableCheck'>().toExtend<keyof typeof Binding>()
    expectTypeOf(useSmsMfa({ mfaToken: 't' })).not.toHaveProperty('getDestinationInputProps')
    expectTypeOf(useTotpBinding()).not.toHaveProperty('reverification')
    expectTypeOf(useSelfTotpBinding().reverification).toEqualTypeOf<EmbeddedReverification>()
  })

  it('pins every status union', () => {
    expectTypeOf<TotpBindingStatus>().toEqualTypeOf<
      | 'idle'
      | 'loading_secret'
      | 'awaiting_code'
      | 'confirming'
      | 'reverifying'
      | 'showing_recovery_code'
      | 'done'
      | 'rate_limited'
      | 'expired'
    >()
    expectTypeOf<TotpVerifyStatus>().toEqualTypeOf<'idle' | 'verifying' | 'verified' | 'rate_limited' | 'expired'>()
    expectTypeOf<RecoveryCodeVerifyStatus>().toEqualTypeOf<
      'idle' | 'verifying' | 'showing_recovery_code' | 'done' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<RecoveryCodeRegenerateStatus>().toEqualTypeOf<
      'idle' | 'regenerating' | 'reverifying' | 'showing_recovery_code' | 'done' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<OobMfaStatus>().toEqualTypeOf<
      'binding' | 'idle' | 'sending' | 'code_sent' | 'verifying' | 'verified' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<LoginStatus>().toEqualTypeOf<'idle' | 'submitting' | 'authenticated' | 'mfa_required' | 'rate_limited'>()
    expectTypeOf<SignUpStatus>().toEqualTypeOf<
      'idle' | 'submitting' | 'authenticated' | 'mfa_required' | 'sign_in_required' | 'rate_limited'
    >()
    expectTypeOf<MfaSessionStatus>().toEqualTypeOf<'restoring' | 'signed_in' | 'signed_out'>()
    expectTypeOf<ReverificationStatus>().toEqualTypeOf<
      'idle' | 'running' | 'loading_factors' | 'awaiting_proof' | 'sending' | 'verifying' | 'done' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<MfaChallengeStatus>().toEqualTypeOf<'verifying' | 'binding' | 'recovering' | 'verified' | 'expired' | 'unavailable'>()
    expectTypeOf<MfaUnbindStatus>().toEqualTypeOf<
      'idle' | 'confirming' | 'unbinding' | 'reverifying' | 'done' | 'rate_limited' | 'expired'
    >()
    expectTypeOf<MfaAuthenticatorsStatus>().toEqualTypeOf<'loading' | 'success' | 'error' | 'expired'>()
    expectTypeOf<BindableCheckStatus>().toEqualTypeOf<'idle' | 'checking' | 'bindable' | 'unavailable' | 'error' | 'expired'>()
    expectTypeOf<SelfBindingStatus>().toEqualTypeOf<
      'idle' | 'sending' | 'code_sent' | 'confirming' | 'reverifying' | 'done' | 'rate_limited' | 'expired'
    >()
  })

  it('gives every hook { status, error: MfaError | null, data }, with data an object', () => {
    type Shape = { status: string; error: MfaError | null; data: object }
    expectTypeOf(useTotpVerify({ mfaToken: 't' })).toExtend<Shape>()
    expectTypeOf(useTotpBinding()).toExtend<Shape>()
    expectTypeOf(useRecoveryCodeVerify({ mfaToken: 't' })).toExtend<Shape>()
    expectTypeOf(useRecoveryCodeRegenerate()).toExtend<Shape>()
    expectTypeOf(useSmsMfa({ mfaToken: 't' })).toExtend<Shape>()
    expectTypeOf(useEmailMfa({ mfaToken: 't' })).toExtend<Shape>()
    expectTypeOf(useSmsBinding({ mfaToken: 't' })).toExtend<Shape>()
    expectTypeOf(useEmailBinding({ mfaToken: 't' })).toExtend<Shape>()
    expectTypeOf(useLogin()).toExtend<Shape>()
    expectTypeOf(useSignUp()).toExtend<Shape>()
    expectTypeOf(useMfaSession()).toExtend<Shape>()
    expectTypeOf(useMfaChallenge(trigger)).toExtend<Shape>()
    expectTypeOf(useMfaAuthenticators()).toExtend<Shape>()
    expectTypeOf(useBindableCheck({ phone: '1' })).toExtend<Shape>()
    expectTypeOf(useMfaUnbind({ authenticatorId: 'sms' })).toExtend<Shape>()
    expectTypeOf(useReverification(async () => 1)).toExtend<Shape>()
    expectTypeOf(useSelfTotpBinding()).toExtend<Shape>()
    expectTypeOf(useSelfSmsBinding()).toExtend<Shape>()
    expectTypeOf(useSelfEmailBinding()).toExtend<Shape>()

    expectTypeOf(useTotpBinding().data).toExtend<TotpBindingData>()
    expectTypeOf<TotpBindingData>().toEqualTypeOf<{
      secret: string | null
      secretGroups: string[]
      otpauthUri: string | null
      qrcodeDataUrl: string | null
      recoveryCode: string | null
      acknowledged: boolean
      user: User | null
    }>()
    expectTypeOf(useMfaAuthenticators().data).toEqualTypeOf<{ authenticators: MfaAuthenticators }>()
    expectTypeOf(useBindableCheck({ phone: '1' }).data).toEqualTypeOf<{ bindable: boolean | undefined }>()
    expectTypeOf(useMfaUnbind({ authenticatorId: 'sms' }).data).toEqualTypeOf<{ authenticatorId: string }>()
    expectTypeOf(useEmailMfa({ mfaToken: 't' }).data.maskedDestination).toEqualTypeOf<string | null>()
    expectTypeOf(useMfaChallenge(trigger).data.factor).toEqualTypeOf<MfaPolicy | null>()
    expectTypeOf(useMfaChallenge(trigger).data.factors).toEqualTypeOf<MfaChallengeFactor[]>()
    expectTypeOf<MfaChallengeFactor>().toEqualTypeOf<{ type: MfaPolicy; bound: boolean; current: boolean }>()
    expectTypeOf(useSmsMfa({ mfaToken: 't' }).data.phoneCountryCode).toEqualTypeOf<string | null>()
    expectTypeOf(useSmsBinding({ mfaToken: 't' }).bindable).toEqualTypeOf<BindableCheckStatus | 'invalid'>()
    expectTypeOf(useSelfSmsBinding().data.maskedDestination).toEqualTypeOf<string | null>()
  })

  it('narrows data by status', () => {
    const login = useLogin()
    if (login.status === 'mfa_required') {
      expectTypeOf(login.data.trigger).toEqualTypeOf<MfaTrigger>()
      expectTypeOf(login.error).toEqualTypeOf<null>()
    }
    if (login.status === 'authenticated') expectTypeOf(login.data.user).toEqualTypeOf<User>()
    if (login.status === 'idle') expectTypeOf(login.data).toEqualTypeOf<{ user: null; trigger: null }>()

    const signUp = useSignUp()
    if (signUp.status === 'mfa_required') expectTypeOf(signUp.data.trigger).toEqualTypeOf<MfaTrigger>()
    if (signUp.status === 'sign_in_required') expectTypeOf(signUp.data.user).toEqualTypeOf<User>()

    const totp = useTotpVerify({ mfaToken: 't' })
    if (totp.status === 'verified') expectTypeOf(totp.data.user).toEqualTypeOf<User>()

    const binding = useTotpBinding()
    if (binding.status === 'awaiting_code') {
      expectTypeOf(binding.data.secret).toEqualTypeOf<string>()
      expectTypeOf(binding.data.otpauthUri).toEqualTypeOf<string>()
    }
    if (binding.status === 'showing_recovery_code') expectTypeOf(binding.data.recoveryCode).toEqualTypeOf<string>()
    if (binding.status === 'done') expectTypeOf(binding.data.recoveryCode).toEqualTypeOf<null>()

    const recovery = useRecoveryCodeVerify({ mfaToken: 't' })
    if (recovery.status === 'showing_recovery_code') {
      expectTypeOf(recovery.data.recoveryCode).toEqualTypeOf<string>()
      expectTypeOf(recovery.data.user).toEqualTypeOf<User>()
    }

    const regenerate = useRecoveryCodeRegenerate()
    if (regenerate.status === 'showing_recovery_code') expectTypeOf(regenerate.data.recoveryCode).toEqualTypeOf<string>()

    const sms = useSmsMfa({ mfaToken: 't' })
    if (sms.status === 'verified') expectTypeOf(sms.data.user).toEqualTypeOf<User>()

    const session = useMfaSession()
    if (session.status === 'signed_in') expectTypeOf(session.data.user).toEqualTypeOf<User>()
    if (session.status === 'signed_out') expectTypeOf(session.data.user).toEqualTypeOf<null>()

    const challenge = useMfaChallenge(trigger)
    if (challenge.status === 'verified') expectTypeOf(challenge.data.user).toEqualTypeOf<User>()

    const reverification = useReverification(async (n: number) => ({ doubled: n * 2 }))
    if (reverification.status === 'done') expectTypeOf(reverification.data.result).toEqualTypeOf<{ doubled: number }>()
    expectTypeOf(reverification.data.factors).toEqualTypeOf<ReverificationFactor[]>()
  })

  it('requires an mfaToken where a login is being finished, and the authenticator to unbind', () => {
    // @ts-expect-error mfaToken is required
    useTotpVerify({})
    // @ts-expect-error mfaToken is required
    useRecoveryCodeVerify({})
    // @ts-expect-error mfaToken is required
    useSmsMfa({ phone: '1' })
    // @ts-expect-error authenticatorId is required
    useMfaUnbind({})
  })

  it('resolves every asynchronous action to the snapshot of its hook', () => {
    expectTypeOf(useTotpVerify({ mfaToken: 't' }).verify).returns.resolves.toEqualTypeOf<TotpVerifySnapshot>()
    expectTypeOf(useLogin().loginByEmail).returns.resolves.toExtend<{ status: LoginStatus; data: { trigger: MfaTrigger | null } }>()
    expectTypeOf(useSignUp().registerByPhoneCode).returns.resolves.toExtend<{ status: SignUpStatus }>()
    expectTypeOf(useSmsMfa({ mfaToken: 't' }).send).returns.resolves.toExtend<{ status: OobMfaStatus }>()
    expectTypeOf(useTotpBinding().confirm).returns.resolves.toExtend<{ status: TotpBindingStatus }>()
    expectTypeOf(useMfaUnbind({ authenticatorId: 'x' }).confirm).returns.resolves.toEqualTypeOf<{
      status: MfaUnbindStatus
      error: MfaError | null
      data: { authenticatorId: string }
    }>()
    expectTypeOf(useRecoveryCodeRegenerate().regenerate).returns.resolves.toExtend<{ status: RecoveryCodeRegenerateStatus }>()
    expectTypeOf(useMfaSession().signOut).returns.resolves.toExtend<{ status: MfaSessionStatus }>()
    expectTypeOf(useReverification(async (n: number) => n).run).parameters.toEqualTypeOf<[n: number]>()
    expectTypeOf(useReverification(async (n: number) => n).challenge).returns.resolves.toExtend<{ status: ReverificationStatus }>()
    expectTypeOf(useSelfSmsBinding().confirm).returns.resolves.toExtend<{ status: SelfBindingStatus }>()
  })

  it('wires challenge.flow into every factor hook, binding hooks included', () => {
    expectTypeOf(useMfaChallenge(trigger).flow).toEqualTypeOf<{
      mfaToken: string
      phone: string | null
      phoneCountryCode: string | null
      email: string | null
      onVerified: (user: User) => void
      onExpired: (error: MfaError) => void
    }>()
    const flow = useMfaChallenge(trigger).flow
    useTotpVerify(flow)
    useTotpBinding(flow)
    useRecoveryCodeVerify(flow)
    useSmsMfa(flow)
    useEmailMfa(flow)
    useSmsBinding(flow)
    useEmailBinding(flow)
  })

  it('has prop getters that merge the caller props into ours, with one name each', () => {
    const input = useOneTimeCode().getInputProps({ id: 'code', 'aria-label': 'Code' })
    expectTypeOf(input.autoComplete).toEqualTypeOf<'one-time-code'>()
    expectTypeOf(input.inputMode).toEqualTypeOf<'numeric'>()
    expectTypeOf(input.id).toEqualTypeOf<string>()
    expectTypeOf(useOneTimeCode().slots).toEqualTypeOf<OneTimeCodeSlot[]>()
    // A flow's code state has no getter of its own: the flow's getCodeInputProps is the one.
    expectTypeOf(useTotpVerify({ mfaToken: 't' }).code).toEqualTypeOf<OneTimeCodeState>()
    expectTypeOf<keyof OneTimeCodeState>().not.toEqualTypeOf<'getInputProps'>()
    expectTypeOf(useTotpBinding().getAcknowledgeProps().type).toEqualTypeOf<'checkbox'>()
    expectTypeOf(useMfaChallenge(trigger).getFactorButtonProps('SMS')['aria-current']).toEqualTypeOf<true | undefined>()
    expectTypeOf(useSmsBinding({ mfaToken: 't' }).getCountryCodeProps().autoComplete).toEqualTypeOf<'tel-country-code'>()
    expectTypeOf(useSmsBinding({ mfaToken: 't' }).getDestinationInputProps().type).toEqualTypeOf<'tel' | 'email'>()
  })

  it('labels and describes the inputs of the flows', () => {
    for (const field of [
      useTotpVerify({ mfaToken: 't' }),
      useSmsMfa({ mfaToken: 't' }),
      useTotpBinding(),
      useReverification(async () => 1),
    ]) {
      expectTypeOf(field.getCodeInputProps()).toExtend<{ id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }>()
      expectTypeOf(field.getLabelProps()).toExtend<{ id: string; htmlFor: string }>()
      expectTypeOf(field.getErrorProps()).toExtend<{ id: string }>()
      expectTypeOf(field.getErrorProps({ live: false, className: 'x' })).toEqualTypeOf<
        { id: string; 'aria-live'?: 'polite' } & { className: string }
      >()
    }
    expectTypeOf(useRecoveryCodeVerify({ mfaToken: 't' }).getCodeInputProps()).toExtend<{ id: string; 'aria-invalid': boolean }>()
    expectTypeOf(useReverification(async () => 1).getPasswordInputProps().type).toEqualTypeOf<'password'>()
  })

  it('types the helpers', () => {
    expectTypeOf(useControllableState({ defaultProp: 1 })).toEqualTypeOf<[number, (next: number | ((prev: number) => number)) => void]>()
    expectTypeOf(composeEventHandlers<MouseEvent>).returns.toEqualTypeOf<(event: MouseEvent) => void>()
    expectTypeOf(mergeProps({ a: 1 }, { b: 'x' })).toEqualTypeOf<{ a: number } & { b: string }>()
    expectTypeOf(useResendCountdown().start).toEqualTypeOf<(ms: number) => void>()
  })

  it('types keys and option factories for prefetching and useMutation', () => {
    expectTypeOf(mfaKeys.all).toEqualTypeOf<readonly ['mfa']>()
    expectTypeOf(mfaKeys.authenticators('SELF')).toEqualTypeOf<readonly ['mfa', 'authenticators', 'SELF' | 'APPLICATION', 'totp' | 'all']>()
    expectTypeOf(mfaAuthenticatorsQueryOptions(client)).toExtend<UseQueryOptions<MfaAuthenticators, MfaError>>()
    expectTypeOf(mfaMutationOptions(client, 'verifyTotpMfa').mutationFn).parameter(0).toExtend<{ totp: string; mfaToken?: string }>()
    expectTypeOf(mfaMutationOptions(client, 'verifyTotpMfa').mutationFn).returns.toEqualTypeOf<Promise<User>>()
    expectTypeOf(mfaMutationOptions(client, 'associateMfaAuthenticator').mutationFn).returns.toEqualTypeOf<Promise<MfaAssociation>>()
    expectTypeOf(mfaMutationOptions(client, 'sendSmsCode').mutationFn).returns.toEqualTypeOf<Promise<SendResult>>()
    expectTypeOf(mfaMutationOptions(client, 'register').mutationFn).returns.toEqualTypeOf<Promise<RegisterResult>>()
    expectTypeOf(mfaMutationOptions(client, 'regenerateRecoveryCode').mutationFn).returns.toEqualTypeOf<Promise<RecoveryCodeRegenerated>>()
    // @ts-expect-error only the client's write methods have mutation options
    mfaMutationOptions(client, 'getMfaAuthenticators')
  })
})

describe('the state machines', () => {
  it('share one type for fail, retry_ready and reset', () => {
    expectTypeOf<SharedFlowEvent>().toEqualTypeOf<{ type: 'fail'; error: MfaError } | { type: 'retry_ready' } | { type: 'reset' }>()
    expectTypeOf<Extract<LoginEvent, { type: 'fail' | 'retry_ready' | 'reset' }>>().toEqualTypeOf<SharedFlowEvent>()
    expectTypeOf<Extract<TotpBindingEvent, { type: 'fail' | 'retry_ready' | 'reset' }>>().toEqualTypeOf<SharedFlowEvent>()
  })

  it('cannot make loginReducer return expired', () => {
    expectTypeOf(loginReducer).returns.toEqualTypeOf<LoginState>()
    expectTypeOf<Extract<ReturnType<typeof loginReducer>['status'], 'expired'>>().toBeNever()
    machine<LoginState, LoginEvent>({
      initial: () => ({ status: 'idle', error: null, resume: 'idle', result: null }),
      transitions: {
        // @ts-expect-error a login has no expired status
        submit: on('idle', 'expired'),
        succeeded: on('submitting', (_, e) => e.result.status),
      },
      onFail: { submitting: 'idle' },
      // @ts-expect-error and so no failure can lead there
      failures: { rateLimited: true, expiresOn: () => true },
    })
  })

  it('refuses a transition for an event the flow does not have, and an event payload that is not state', () => {
    type State = FlowState<'idle' | 'busy'> & { count: number }
    type Event = { type: 'go' } | { type: 'add'; by: number } | SharedFlowEvent
    machine<State, Event>({
      initial: () => ({ status: 'idle', error: null, resume: 'idle', count: 0 }),
      transitions: {
        go: on('idle', 'busy'),
        // @ts-expect-error `by` is not a field of the state: the transition must say what changes
        add: on('busy', 'idle'),
      },
      onFail: { busy: 'idle' },
      failures: {},
    })
    machine<State, Event>({
      initial: () => ({ status: 'idle', error: null, resume: 'idle', count: 0 }),
      transitions: {
        go: on('idle', 'busy'),
        add: on('busy', 'idle', (s, e) => ({ count: s.count + e.by })),
        // @ts-expect-error no such event
        stop: on('busy', 'idle'),
      },
      onFail: {},
      failures: {},
    })
  })
})
