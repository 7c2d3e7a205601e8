import type { BindableCheckStatus } from './bindable-status'
import { useDestination } from './destination'
import type { DestinationParts } from './destination'
import { useBindableCheck } from './use-bindable-check'
import type { UseEmailMfaOptions } from './use-email-mfa'
import { useOobMfa } from './use-oob-mfa'
import type { OobFlowOptions, OobMfaResult, UseDestinationForm } from './use-oob-mfa'
import type { UseSmsMfaOptions } from './use-sms-mfa'

/** How the phone or email being bound is checked with the server while the user types. */
export interface BindableCheckOptions {
  /** Check a destination being bound with the server while the user types. @default true */
  bindableCheck?: boolean
  /** Debounce of the bindable check, in ms. @default 500 */
  debounceMs?: number
}

export interface UseSmsBindingOptions extends UseSmsMfaOptions, BindableCheckOptions {}
export interface UseEmailBindingOptions extends UseEmailMfaOptions, BindableCheckOptions {}

/** What the binding form adds to the flow's result. */
export type OobBindingParts = DestinationParts & {
  /**
   * What is known of the destination typed while `binding`: `invalid` when it is malformed
   * (nothing is asked of the server then), else the server's verdict.
   */
  bindable: BindableCheckStatus | 'invalid'
}

/** The SMS or email flow of a sign-in with its binding form. */
export type OobBindingResult = OobMfaResult & OobBindingParts

/** The phone or email typed in the binding form, checked with the server once it is well formed. */
const useBindingForm: UseDestinationForm<OobBindingParts, OobFlowOptions & BindableCheckOptions> = (type, options, field, editable) => {
  const typed = useDestination(type, field, editable, options.phoneCountryCode)
  const checked = editable && typed.valid ? typed.typed : ''
  const check = useBindableCheck({
    mfaToken: options.mfaToken,
    ...(type === 'sms' ? { phone: checked, phoneCountryCode: typed.countryCode } : { email: checked }),
    debounceMs: options.debounceMs,
    enabled: options.bindableCheck !== false,
  })
  return {
    typed: typed.typed,
    valid: typed.valid,
    countryCode: typed.countryCode,
    pending: check.status === 'checking' || check.status === 'unavailable',
    parts: { ...typed.parts, bindable: typed.typed && !typed.valid ? 'invalid' : check.status },
  }
}

/**
 * Finishes a login with an SMS code, binding a phone first when none is bound: a calling code,
 * the number checked with the server as it is typed, then the flow of `useSmsMfa`.
 */
export function useSmsBinding(options: UseSmsBindingOptions): OobBindingResult {
  return useOobMfa('sms', options, options.phone, useBindingForm)
}

/** Finishes a login with an email code, binding an email first when none is bound; see {@link useSmsBinding}. */
export function useEmailBinding(options: UseEmailBindingOptions): OobBindingResult {
  return useOobMfa('email', { ...options, phoneCountryCode: null }, options.email, useBindingForm)
}
