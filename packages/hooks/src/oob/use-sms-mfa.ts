import { smsChannel, useOobMfa } from './use-oob-mfa'
import type { OobMfaOptions, OobMfaResult } from './use-oob-mfa'

export interface UseSmsMfaOptions extends OobMfaOptions {
  /** The bound phone (`trigger.mfaPhone`). Without it the user binds one first. */
  phone?: string | null
  /** For example `+86` (`trigger.mfaPhoneCountryCode`). */
  phoneCountryCode?: string | null
}

/**
 * Finishes a login with an SMS code: binding a phone first when none is bound, sending (on mount
 * by default), a resend countdown from the server's limits, WebOTP autofill where the browser
 * has it, and verification.
 */
export function useSmsMfa(options: UseSmsMfaOptions): OobMfaResult {
  return useOobMfa(smsChannel(options.phoneCountryCode ?? undefined), options, options.phone)
}
