import type { MfaError } from '@mfa-kit/client'

/**
 * Errors after which an mfaToken is of no more use: it timed out or was used
 * (`mfa_token_expired`), or it used up its attempts (`too_many_attempts`). Only a new sign-in helps.
 */
export const endsSignIn = (error: MfaError): boolean => error.code === 'mfa_token_expired' || error.code === 'too_many_attempts'

/** What every flow reducer keeps besides its own data. */
export interface FlowState<R extends string = string> {
  status: string
  /** The last failure; cleared by the next transition. */
  error: MfaError | null
  /** Where `rate_limited` returns once the wait is over. */
  resume: R
}

// Transitions read their payload loosely; each reducer's exported signature is what is typed.
type Loose = any

/** A transition function: returns the next state, or the same object when the event does not apply. */
export type Rule<S> = (state: S, event: Loose) => S

/**
 * A transition allowed from the space-separated statuses in `from`, to `to` (or staying put).
 * The event's fields are merged into the state, or `patch` computes what to merge; a `patch`
 * returning `false` refuses the event. Every transition clears `error`.
 */
export const on =
  <S = Loose>(from: string, to?: string, patch?: (state: S, event: Loose) => Partial<S> | false): Rule<S> =>
  (s, e) => {
    if (!from.split(' ').includes((s as Loose).status)) return s
    const { type, ...payload } = e
    const p = patch ? patch(s, e) : payload
    return p === false ? s : { ...s, error: null, ...(to && { status: to }), ...p }
  }

/**
 * A flow reducer from its transitions, plus the rules every server-backed flow shares:
 * - `fail` in a status that `back` maps (to a status, or to `''` for the one the request
 *   started from): a dead mfaToken (or an error `dead` accepts) ends the flow `expired` with its
 *   data dropped; throttling waits in `rate_limited`; anything else goes back with the error;
 * - `retry_ready` leaves `rate_limited` for the status it came from;
 * - `reset` starts over.
 */
export function machine<S extends FlowState, E extends { type: string }>(
  init: (event?: E) => S,
  rules: Record<string, Rule<S>>,
  back: Record<string, string>,
  dead?: (error: MfaError) => boolean,
): (state: S, event: E) => S {
  return (s, e) => {
    const ev = e as Loose
    if (e.type === 'reset') return init(e)
    if (e.type === 'retry_ready') return s.status === 'rate_limited' ? { ...s, status: s.resume } : s
    if (e.type === 'fail') {
      if (!(s.status in back)) return s
      const to = back[s.status] || s.resume
      const error: MfaError = ev.error
      return endsSignIn(error) || dead?.(error)
        ? { ...init(), status: 'expired', error }
        : { ...s, status: error.code === 'rate_limited' ? 'rate_limited' : to, error, resume: to }
    }
    return rules[e.type]?.(s, e) ?? s
  }
}
