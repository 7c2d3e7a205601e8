import { useQuery } from '../peer-query'
import type { MfaAuthenticators, MfaError, TotpSource } from '@mfa-kit/client'
import { useMfaContext } from '../provider'
import { mfaAuthenticatorsQueryOptions } from '../query-options'
import type { AuthenticatorsType } from '../query-options'
import { authenticatorsStatus } from './authenticators-status'
import type { MfaAuthenticatorsStatus } from './authenticators-status'

export interface UseMfaAuthenticatorsOptions {
  /** `SELF` for the signed-in user, `APPLICATION` during a login. @default 'SELF' */
  source?: TotpSource
  /** Required for `APPLICATION`. */
  mfaToken?: string
  /**
   * `'totp'` lists TOTP authenticators. `'all'` (reference server) also lists the bound phone and
   * email, as entries with `id` `'sms'` or `'email'` and a masked `destination`. @default 'totp'
   */
  type?: AuthenticatorsType
  /** @default true */
  enabled?: boolean
}

export interface UseMfaAuthenticatorsResult {
  status: MfaAuthenticatorsStatus
  error: MfaError | null
  /** The bound authenticators (never with a secret); empty until loaded. */
  data: { authenticators: MfaAuthenticators }
  /** Loads the list again. */
  refetch: () => Promise<unknown>
}

const none: MfaAuthenticators = []

/**
 * The user's bound authenticators, as a TanStack query under `mfaKeys.authenticators(source, type)`.
 * `useTotpBinding` and `useMfaUnbind` refresh it when they are done.
 */
export function useMfaAuthenticators(options: UseMfaAuthenticatorsOptions = {}): UseMfaAuthenticatorsResult {
  const { client, queryClient } = useMfaContext()
  const query = useQuery({ ...mfaAuthenticatorsQueryOptions(client, options), enabled: options.enabled !== false }, queryClient)
  return {
    status: authenticatorsStatus(query),
    error: query.error,
    data: { authenticators: query.data ?? none },
    refetch: query.refetch,
  }
}
