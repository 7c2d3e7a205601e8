import { useOobMfa, withoutDestinationForm } from './use-oob-mfa'
import type { OobMfaOptions, OobMfaResult } from './use-oob-mfa'

export interface UseSmsMfaOptions extends OobMfaOptions {
  /** The bound phone (`trigger.mfaPhone`). Without it there is nothing to send to: bind one with `useSmsBinding`. */
  phone?: string | null
  /**
   * The calling code of the bound phone (`trigger.mfaPhoneCountryCode`), or the one the binding
   * form starts with. @default '+86'
   */
  phoneCountryCode?: string | null
}

/**
 * Finishes a login with an SMS code sent to the bound phone: sending (on mount by default), a
 * resend countdown from the server's limits, WebOTP autofill where the browser has it, and
 * verification. `useSmsBinding` from `@mfa-kit/hooks/binding` also binds a phone when none is.
 */
export function useSmsMfa(options: UseSmsMfaOptions): OobMfaResult {
  return useOobMfa('sms', options, options.phone, withoutDestinationForm)
}
