import { useEffect, useState } from '../peer'
import { useQuery } from '../peer-query'
import type { MfaError } from '@mfa-kit/client'
import { useMfaContext } from '../provider'
import { mfaBindableQueryOptions } from '../query-options'
import { bindableCheckStatus } from './bindable-status'
import type { BindableCheckStatus } from './bindable-status'

export interface UseBindableCheckOptions {
  /** The mfaToken of the login in progress. */
  mfaToken?: string
  /** The phone number to check. Give either `phone` or `email`. */
  phone?: string
  /** The calling code of `phone` (`+65`); the server's default when left out. */
  phoneCountryCode?: string
  /** The email address to check. */
  email?: string
  /** Quiet time after the last keystroke before checking. @default 500 */
  debounceMs?: number
  /** @default true */
  enabled?: boolean
}

export interface UseBindableCheckResult {
  status: BindableCheckStatus
  error: MfaError | null
  /** The server's answer for the current value, once known. */
  data: { bindable: boolean | undefined }
}

/**
 * Asks the server whether a phone number or email can be bound, once typing pauses. The server
 * allows only a few checks per mfaToken, so answers are cached and nothing is sent mid-typing.
 */
export function useBindableCheck(options: UseBindableCheckOptions): UseBindableCheckResult {
  const { client, queryClient } = useMfaContext()
  const { debounceMs = 500, enabled = true } = options
  const isPhone = options.phone !== undefined
  const value = enabled ? (options.phone ?? options.email ?? '').trim() : ''
  const [settledValue, setSettled] = useState(value)

  useEffect(() => {
    if (settledValue === value) return
    const id = setTimeout(() => setSettled(value), debounceMs)
    return () => clearTimeout(id)
  }, [value, settledValue, debounceMs])

  const settled = settledValue === value
  const query = useQuery(
    {
      ...mfaBindableQueryOptions(
        client,
        isPhone
          ? { mfaToken: options.mfaToken, phone: settledValue, phoneCountryCode: options.phoneCountryCode }
          : { mfaToken: options.mfaToken, email: settledValue },
      ),
      enabled: settled && !!value,
    },
    queryClient,
  )
  const { isFetching, data, error } = query
  return {
    status: bindableCheckStatus({ value, settled, isFetching, data, error }),
    error: value ? error : null,
    data: { bindable: settled ? data : undefined },
  }
}
