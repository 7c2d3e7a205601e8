import { useOobMfa, withoutDestinationForm } from './use-oob-mfa'
import type { OobMfaOptions, OobMfaResult } from './use-oob-mfa'

export interface UseEmailMfaOptions extends OobMfaOptions {
  /** The bound email (`trigger.mfaEmail`). Without it there is nothing to send to: bind one with `useEmailBinding`. */
  email?: string | null
}

/** Finishes a login with an email code; the same flow as {@link useSmsMfa}. */
export function useEmailMfa(options: UseEmailMfaOptions): OobMfaResult {
  return useOobMfa('email', { ...options, phoneCountryCode: null }, options.email, withoutDestinationForm)
}
