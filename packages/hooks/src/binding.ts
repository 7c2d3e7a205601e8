// `@mfa-kit/hooks/binding`: binding a factor while signing in, for an account that has none it
// can verify (the challenge's `binding` status). Spread `challenge.flow` into each hook, as into
// the factor hooks of `@mfa-kit/hooks`; the challenge ends `verified` once the binding is done.
export { mfaBindableQueryOptions } from './query-options'
export type { MfaBindableQueryInput } from './query-options'

export { useTotpBinding } from './totp/use-totp-binding'
export type { TotpBindingData, TotpBindingSnapshot, UseTotpBindingOptions, UseTotpBindingResult } from './totp/use-totp-binding'
export type { TotpBindingEvent, TotpBindingState, TotpBindingStatus } from './totp/totp-binding.reducer'

export { useEmailBinding, useSmsBinding } from './oob/use-oob-binding'
export type {
  BindableCheckOptions,
  OobBindingParts,
  OobBindingResult,
  UseEmailBindingOptions,
  UseSmsBindingOptions,
} from './oob/use-oob-binding'
export type { CountryCodeSelectProps, DestinationInputProps, DestinationParts } from './oob/destination'
export { useBindableCheck } from './oob/use-bindable-check'
export type { UseBindableCheckOptions, UseBindableCheckResult } from './oob/use-bindable-check'
export type { BindableCheckStatus } from './oob/bindable-status'
