import type { MfaError } from '@mfa-kit/client'
import { endsSignIn } from '../utils/machine'

export type BindableCheckStatus = 'idle' | 'checking' | 'bindable' | 'unavailable' | 'error' | 'expired'

export interface BindableCheckSnapshot {
  /** The value as typed (trimmed). */
  value: string
  /** The debounce is over: the value has not changed for `debounceMs`. */
  settled: boolean
  isFetching: boolean
  data: boolean | undefined
  error: MfaError | null
}

/** The check's status from the typed value and the query's state. */
export function bindableCheckStatus({ value, settled, isFetching, data, error }: BindableCheckSnapshot): BindableCheckStatus {
  if (!value) return 'idle'
  if (!settled || isFetching) return 'checking'
  if (error) return endsSignIn(error) ? 'expired' : 'error'
  return data === true ? 'bindable' : data === false ? 'unavailable' : 'checking'
}
