import type { MfaError } from '@mfa-kit/client'
import { endsSignIn } from '../utils/machine'

export type MfaAuthenticatorsStatus = 'loading' | 'success' | 'error' | 'expired'

/** The hook's status from the query's: a dead token is `expired` rather than a plain error. */
export function authenticatorsStatus({
  status,
  error,
}: {
  status: 'pending' | 'success' | 'error'
  error: MfaError | null
}): MfaAuthenticatorsStatus {
  return status === 'pending'
    ? 'loading'
    : status === 'success'
      ? status
      : error && (endsSignIn(error) || error.code === 'unauthenticated')
        ? 'expired'
        : status
}
