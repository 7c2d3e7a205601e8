// Primitives
export { Slot } from './primitives/slot'
export type { SlotProps } from './primitives/slot'
export { Primitive } from './primitives/primitive'
export type { PrimitiveComponent, PrimitiveProps } from './primitives/primitive'
export { composeRefs, useComposedRefs } from './primitives/compose-refs'
export { useAnnouncer } from './primitives/announcer'
export type { Announcer } from './primitives/announcer'

// Languages
export { MfaLocaleProvider, loadMfaLocale, mergeMessages, useMfaLocale } from './i18n/provider'
export type { MfaLocaleContextValue, MfaLocaleProviderProps } from './i18n/provider'
export { enUS } from './i18n/locales/en-US'
export type { MfaErrorCode, MfaLocale, MfaMessages, MfaMessagesOverride } from './i18n/types'

// One-time code input
export {
  OneTimeCodeInput,
  OneTimeCodeInputError,
  OneTimeCodeInputGroup,
  OneTimeCodeInputInput,
  OneTimeCodeInputLabel,
  OneTimeCodeInputRoot,
  OneTimeCodeInputSeparator,
  OneTimeCodeInputSlot,
} from './one-time-code-input/one-time-code-input'
export type {
  OneTimeCodeInputRootProps,
  OneTimeCodeInputSlotProps,
  OneTimeCodeInputState,
} from './one-time-code-input/one-time-code-input'

// Parts every flow shares
export { Description, Heading, Restart, Step } from './shared/flow'
export type { StepProps } from './shared/flow'

// Recovery code, shown once
export {
  AcknowledgeRecoveryCode,
  CopyRecoveryCode,
  DownloadRecoveryCode,
  FinishRecoveryCode,
  PrintRecoveryCode,
  RecoveryCode,
} from './recovery-code/recovery-code'

// TOTP binding
export {
  TotpEnrollment,
  TotpEnrollmentCodeInput,
  TotpEnrollmentCopySecret,
  TotpEnrollmentForm,
  TotpEnrollmentOpenInApp,
  TotpEnrollmentQr,
  TotpEnrollmentRoot,
  TotpEnrollmentSecret,
  TotpEnrollmentStart,
  TotpEnrollmentSubmit,
  totpEnrollmentStep,
  useTotpEnrollment,
} from './totp-enrollment/totp-enrollment'
export type {
  TotpEnrollmentContextValue,
  TotpEnrollmentRootProps,
  TotpEnrollmentStep,
} from './totp-enrollment/totp-enrollment'

// TOTP challenge
export {
  TotpChallenge,
  TotpChallengeCodeInput,
  TotpChallengeForm,
  TotpChallengeRecoveryLink,
  TotpChallengeRoot,
  TotpChallengeSubmit,
  totpChallengeStep,
  useTotpChallenge,
} from './totp-challenge/totp-challenge'
export type {
  TotpChallengeContextValue,
  TotpChallengeMode,
  TotpChallengeRootProps,
  TotpChallengeStep,
} from './totp-challenge/totp-challenge'

// Recovery-code challenge
export {
  RecoveryCodeChallenge,
  RecoveryCodeChallengeBack,
  RecoveryCodeChallengeCodeInput,
  RecoveryCodeChallengeError,
  RecoveryCodeChallengeForm,
  RecoveryCodeChallengeLabel,
  RecoveryCodeChallengeRoot,
  RecoveryCodeChallengeSubmit,
  recoveryCodeChallengeStep,
  useRecoveryCodeChallenge,
} from './recovery-code-challenge/recovery-code-challenge'
export type {
  RecoveryCodeChallengeContextValue,
  RecoveryCodeChallengeRootProps,
  RecoveryCodeChallengeStep,
} from './recovery-code-challenge/recovery-code-challenge'

// Codes by text message and email: sign-in, and adding a phone or email from the settings
export {
  CodeChangeDestination,
  CodeCountryCode,
  CodeDestinationField,
  CodeDestinationForm,
  CodeForm,
  CodeInput,
  CodeResend,
  CodeSend,
  CodeSubmit,
  EmailChallenge,
  EmailChallengeRoot,
  SmsChallenge,
  SmsChallengeRoot,
  codeChallengeStep,
  useCodeChallenge,
} from './code-challenge/code-challenge'
export type {
  CodeChallengeContextValue,
  CodeChallengeStep,
  CodePurpose,
  EmailChallengeRootProps,
  SmsChallengeRootProps,
} from './code-challenge/code-challenge'
export { CodeReverification, EmailBinding, EmailBindingRoot, SmsBinding, SmsBindingRoot } from './code-challenge/code-binding'
export type { EmailBindingRootProps, SmsBindingRootProps } from './code-challenge/code-binding'
export { countryCodeLabel, phoneCountryCodes } from './phone/country-codes'
export type { PhoneCountryCode } from './phone/country-codes'

// The factor choice
export { FactorPicker, FactorPickerItem, FactorPickerRoot } from './factor-picker/factor-picker'
export type { FactorPickerChallenge, FactorPickerItemProps, FactorPickerRootProps } from './factor-picker/factor-picker'
export { FactorIcon } from './shared/icons'

// Sign-in and sign-up
export { PasswordSignIn, PasswordSignInRoot } from './password-sign-in/password-sign-in'
export type { PasswordSignInMode, PasswordSignInRootProps } from './password-sign-in/password-sign-in'

// A fresh proof before a change
export { Reverification, reverificationFactorName } from './reverification/reverification'
export type { ReverificationProps } from './reverification/reverification'
export { TotpEnrollmentReverification } from './totp-enrollment/totp-enrollment'

// The drop-in guard
export { MfaGuard, useMfaGuard } from './mfa-guard/mfa-guard'
export type { MfaGuardContextValue, MfaGuardProps, MfaGuardStatus } from './mfa-guard/mfa-guard'
export { getMfaGuardComponents } from './mfa-guard/components'
export type {
  FaceChallengeSlotProps,
  FaceEnrollmentSlotProps,
  MfaGuardComponentOverrides,
  MfaGuardComponents,
  MfaGuardSignInProps,
  MfaStepUpProps,
} from './mfa-guard/components'
export { StepUpDialog } from './mfa-guard/step-up'

// The security settings page
export { MfaSettings, getMfaSettingsComponents } from './mfa-settings/mfa-settings'
export type { MfaSettingsComponentOverrides, MfaSettingsComponents, MfaSettingsProps } from './mfa-settings/mfa-settings'

// Face, fetched on first render: hand these to the `FaceChallenge` and `FaceEnrollment` slots of
// <MfaGuard> and <MfaSettings>. The components themselves are in `@mfa-kit/ui/face`.
export { LazyFaceChallenge, LazyFaceEnrollment } from './face-entry/lazy'
