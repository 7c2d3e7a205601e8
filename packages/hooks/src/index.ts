export { MfaProvider, useMfaClient } from './provider'
export type { MfaProviderProps } from './provider'
export {
  mfaKeys,
  mfaAuthenticatorsQueryOptions,
  mfaBindableQueryOptions,
  mfaMutationOptions,
} from './query-options'
export type {
  LoginVariables,
  MfaAuthenticatorsQueryInput,
  MfaBindableQueryInput,
  MfaMutationName,
  MfaMutationOptions,
  MfaMutations,
  SendEmailVariables,
  SendSmsVariables,
} from './query-options'

export { useControllableState } from './utils/use-controllable-state'
export type { UseControllableStateOptions } from './utils/use-controllable-state'
export { composeEventHandlers, mergeProps } from './utils/compose'
export { maskEmail, maskPhone } from './utils/mask'
export type { AcknowledgeProps, ActionButtonProps, PropGetter } from './utils/getters'
export type { FailureStatus } from './utils/flow'
export type { FlowCallbacks } from './utils/use-flow'

export { useOneTimeCode } from './one-time-code/use-one-time-code'
export type {
  OneTimeCodeInputProps,
  OneTimeCodeSlot,
  UseOneTimeCodeOptions,
  UseOneTimeCodeResult,
} from './one-time-code/use-one-time-code'

export { useResendCountdown } from './countdown/use-resend-countdown'
export type { UseResendCountdownOptions, UseResendCountdownResult } from './countdown/use-resend-countdown'

export { useLogin } from './login/use-login'
export type { UseLoginOptions, UseLoginResult } from './login/use-login'
export type { LoginEvent, LoginState, LoginStatus } from './login/login.reducer'

export { useMfaChallenge } from './challenge/use-mfa-challenge'
export type {
  MfaChallengeData,
  MfaChallengeFlow,
  MfaFactorButtonProps,
  UseMfaChallengeOptions,
  UseMfaChallengeResult,
} from './challenge/use-mfa-challenge'
export type { MfaChallengeEvent, MfaChallengeState, MfaChallengeStatus } from './challenge/challenge.reducer'

export { useMfaAuthenticators } from './authenticators/use-mfa-authenticators'
export type { UseMfaAuthenticatorsOptions, UseMfaAuthenticatorsResult } from './authenticators/use-mfa-authenticators'
export type { MfaAuthenticatorsStatus } from './authenticators/authenticators-status'

export { useTotpBinding } from './totp/use-totp-binding'
export type { TotpBindingData, UseTotpBindingOptions, UseTotpBindingResult } from './totp/use-totp-binding'
export type { TotpBindingEvent, TotpBindingState, TotpBindingStatus } from './totp/totp-binding.reducer'

export { useTotpVerify } from './totp/use-totp-verify'
export type { UseTotpVerifyOptions, UseTotpVerifyResult } from './totp/use-totp-verify'
export type { TotpVerifyEvent, TotpVerifyState, TotpVerifyStatus } from './totp/totp-verify.reducer'

export { useRecoveryCodeVerify } from './recovery/use-recovery-code-verify'
export type {
  RecoveryCodeInputProps,
  RecoveryCodeVerifyData,
  UseRecoveryCodeVerifyOptions,
  UseRecoveryCodeVerifyResult,
} from './recovery/use-recovery-code-verify'
export type {
  RecoveryCodeVerifyEvent,
  RecoveryCodeVerifyState,
  RecoveryCodeVerifyStatus,
} from './recovery/recovery-verify.reducer'

export { useSmsMfa } from './oob/use-sms-mfa'
export type { UseSmsMfaOptions } from './oob/use-sms-mfa'
export { useEmailMfa } from './oob/use-email-mfa'
export type { UseEmailMfaOptions } from './oob/use-email-mfa'
export type { DestinationInputProps, OobMfaData, OobMfaOptions, OobMfaResult } from './oob/use-oob-mfa'
export type { OobMfaEvent, OobMfaState, OobMfaStatus } from './oob/oob.reducer'
export { useBindableCheck } from './oob/use-bindable-check'
export type { UseBindableCheckOptions, UseBindableCheckResult } from './oob/use-bindable-check'
export type { BindableCheckStatus } from './oob/bindable-status'

export { useMfaUnbind } from './unbind/use-mfa-unbind'
export type { UseMfaUnbindOptions, UseMfaUnbindResult } from './unbind/use-mfa-unbind'
export type { MfaUnbindEvent, MfaUnbindState, MfaUnbindStatus } from './unbind/unbind.reducer'
