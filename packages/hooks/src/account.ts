// `@mfa-kit/hooks/account`: the signed-in user's own factors (source SELF), for a security
// settings page. Every change here needs a recent sign-in; the hooks ask for a fresh proof in
// place when the server wants one. Sign-in flows are in `@mfa-kit/hooks`.
export type { MfaAuthenticator, ReverificationFactor } from '@mfa-kit/client'
export { mfaAuthenticatorsQueryOptions } from './query-options'
export type { MfaAuthenticatorsQueryInput } from './query-options'

export { useMfaAuthenticators } from './authenticators/use-mfa-authenticators'
export type { UseMfaAuthenticatorsOptions, UseMfaAuthenticatorsResult } from './authenticators/use-mfa-authenticators'
export type { MfaAuthenticatorsStatus } from './authenticators/authenticators-status'

export { useReverification } from './reverification/use-reverification'
export type {
  PasswordInputProps,
  ReverificationData,
  ReverificationFactorButtonProps,
  ReverificationSnapshot,
  UseReverificationOptions,
  UseReverificationResult,
} from './reverification/use-reverification'
export type { EmbeddedReverification } from './reverification/use-reverifiable'
export type {
  ReverificationEvent,
  ReverificationFactorType,
  ReverificationState,
  ReverificationStatus,
} from './reverification/reverification.reducer'

export { useSelfTotpBinding } from './self/use-self-totp-binding'
export type { UseSelfTotpBindingOptions, UseSelfTotpBindingResult } from './self/use-self-totp-binding'
export { useSelfEmailBinding, useSelfSmsBinding } from './self/use-self-binding'
export type {
  SelfBindingData,
  SelfBindingOptions,
  SelfBindingSnapshot,
  UseSelfBindingResult,
  UseSelfEmailBindingOptions,
  UseSelfSmsBindingOptions,
} from './self/use-self-binding'
export type { SelfBindingEvent, SelfBindingState, SelfBindingStatus } from './self/self-binding.reducer'

export { useMfaUnbind } from './unbind/use-mfa-unbind'
export type { MfaUnbindSnapshot, UseMfaUnbindOptions, UseMfaUnbindResult } from './unbind/use-mfa-unbind'
export type { MfaUnbindEvent, MfaUnbindState, MfaUnbindStatus } from './unbind/unbind.reducer'

export { useRecoveryCodeRegenerate } from './recovery/use-recovery-code-regenerate'
export type {
  RecoveryCodeRegenerateSnapshot,
  UseRecoveryCodeRegenerateOptions,
  UseRecoveryCodeRegenerateResult,
} from './recovery/use-recovery-code-regenerate'
export type {
  RecoveryCodeRegenerateEvent,
  RecoveryCodeRegenerateState,
  RecoveryCodeRegenerateStatus,
} from './recovery/recovery-regenerate.reducer'
