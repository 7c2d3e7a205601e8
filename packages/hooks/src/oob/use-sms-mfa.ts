import { useOobMfa } from './use-oob-mfa'
import type { OobMfaOptions, OobMfaResult } from './use-oob-mfa'

export interface UseSmsMfaOptions extends OobMfaOptions {
  /** The bound phone (`trigger.mfaPhone`). Without it the user binds one first. */
  phone?: string | null
  /**
   * The calling code of the bound phone (`trigger.mfaPhoneCountryCode`), or the one the binding
   * form starts with. @default '+86'
   */
  phoneCountryCode?: string | null
}

/**
 * Finishes a login with an SMS code: binding a phone first when none is bound (with a calling
 * code, checked as it is typed), sending (on mount by default), a resend countdown from the
 * server's limits, WebOTP autofill where the browser has it, and verification.
 */
export function useSmsMfa(options: UseSmsMfaOptions): OobMfaResult {
  return useOobMfa('sms', options, options.phone)
}
