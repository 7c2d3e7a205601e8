// Binding a factor while signing in (TOTP, a phone, an email) is in `@mfa-kit/hooks/binding`. The
// account's own factors (authenticator list, unbinding, re-verification, recovery-code
// regeneration, binding from a signed-in session) are in `@mfa-kit/hooks/account`.
export { isMfaError } from '@mfa-kit/client'
export type { MfaClient, MfaError, MfaErrorCode, MfaPolicy, MfaTrigger, User } from '@mfa-kit/client'
export { MfaProvider, useMfaClient } from './provider'
export type { MfaProviderProps } from './provider'
export { mfaKeys, mfaMutationOptions } from './query-options'
export type {
  AuthenticatorsType,
  LoginVariables,
  MfaMutationName,
  MfaMutationOptions,
  MfaMutations,
  RegisterVariables,
  SendEmailVariables,
  SendSmsVariables,
} from './query-options'

export { useControllableState } from './utils/use-controllable-state'
export type { UseControllableStateOptions } from './utils/use-controllable-state'
export { composeEventHandlers, mergeProps } from './utils/compose'
export { maskEmail, maskPhone } from './utils/mask'
export type { AcknowledgeParts, AcknowledgeProps, ActionButtonProps, PropGetter } from './utils/getters'
export type { ErrorPropGetter, ErrorProps, ErrorPropsOptions, FieldInputProps, LabelProps } from './utils/field'
export type { CodeFieldParts, CodeInputProps } from './utils/code-field'
export type { FailureStatus } from './utils/flow'
export type { FlowCallbacks } from './utils/use-flow'
export type { FlowState, SharedFlowEvent } from './utils/machine'

export { useOneTimeCode } from './one-time-code/use-one-time-code'
export type {
  OneTimeCodeInputProps,
  OneTimeCodeSlot,
  OneTimeCodeState,
  UseOneTimeCodeOptions,
  UseOneTimeCodeResult,
} from './one-time-code/use-one-time-code'

export { useResendCountdown } from './countdown/use-resend-countdown'
export type { UseResendCountdownOptions, UseResendCountdownResult } from './countdown/use-resend-countdown'

export { useMfaSession } from './session/use-mfa-session'
export type { MfaSessionSnapshot, UseMfaSessionResult } from './session/use-mfa-session'
export type { MfaSessionState, MfaSessionStatus } from './session/session.reducer'
export { memoryTokenStore } from './session/session-store'
export type { TokenStore } from './session/session-store'

export { useLogin } from './login/use-login'
export type { LoginActions, LoginSnapshot, SignInAnswer, UseLoginOptions, UseLoginResult } from './login/use-login'
export type { LoginEvent, LoginState, LoginStatus } from './login/login.reducer'

export { useSignUp } from './signup/use-sign-up'
export type { SignUpSnapshot, UseSignUpOptions, UseSignUpResult } from './signup/use-sign-up'
export type { SignUpEvent, SignUpState, SignUpStatus } from './signup/sign-up.reducer'

export { useMfaChallenge } from './challenge/use-mfa-challenge'
export type {
  MfaChallengeData,
  MfaChallengeFactor,
  MfaChallengeFlow,
  MfaChallengeSnapshot,
  MfaFactorButtonProps,
  UseMfaChallengeOptions,
  UseMfaChallengeResult,
} from './challenge/use-mfa-challenge'
export type { MfaChallengeEvent, MfaChallengeState, MfaChallengeStatus, MfaEnrollment } from './challenge/challenge.reducer'

export { useTotpVerify } from './totp/use-totp-verify'
export type { TotpVerifySnapshot, UseTotpVerifyOptions, UseTotpVerifyResult } from './totp/use-totp-verify'
export type { TotpVerifyEvent, TotpVerifyState, TotpVerifyStatus } from './totp/totp-verify.reducer'

export { useRecoveryCodeVerify } from './recovery/use-recovery-code-verify'
export type {
  RecoveryCodeInputProps,
  RecoveryCodeVerifyData,
  RecoveryCodeVerifySnapshot,
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
export type { OobMfaData, OobMfaOptions, OobMfaResult, OobMfaSnapshot } from './oob/use-oob-mfa'
export type { OobMfaEvent, OobMfaState, OobMfaStatus } from './oob/oob.reducer'
