import { MfaError } from '@mfa-kit/client'

/** Statuses every flow that talks to the server can reach. */
export type FailureStatus = 'rate_limited' | 'expired'

/** Wraps anything thrown into an {@link MfaError}; hooks never expose another error type. */
export function toMfaError(e: unknown): MfaError {
  return e instanceof MfaError ? e : new MfaError('unknown', String(e), { cause: e })
}
