import type { MfaError, User } from '@mfa-kit/client'
import { endsSignIn, machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

/** Statuses of the SMS and email flows. */
export type OobMfaStatus = 'binding' | 'idle' | 'sending' | 'code_sent' | 'verifying' | 'verified' | 'rate_limited' | 'expired'

export interface OobMfaState extends FlowState<OobMfaStatus, 'binding' | 'idle' | 'code_sent'> {
  /** The destination was bound before the flow started, so it cannot be edited. */
  bound: boolean
  /** Where codes go: the bound destination, or the one being bound. */
  destination: string | null
  /** The signed-in user, once `verified`. */
  user: User | null
}

export type OobMfaEvent =
  | { type: 'send'; destination: string }
  | { type: 'sent' }
  | { type: 'verify' }
  | { type: 'verified'; user: User }
  | { type: 'reject'; error: MfaError }
  | SharedFlowEvent

/** The starting state: `idle` with a bound destination, else `binding`. */
export function oobMfaInitialState(destination?: string | null): OobMfaState {
  const bound = !!destination
  const status = bound ? 'idle' : 'binding'
  return { status, error: null, resume: status, bound, destination: destination || null, user: null }
}

type S = OobMfaState

/**
 * The SMS / email machine: (binding →) idle → sending → code_sent → verifying → verified.
 * A resend goes code_sent → sending → code_sent. A reset keeps a bound destination. `reject`
 * reports a malformed destination without sending anything. Only a throttled verification waits
 * in `rate_limited` (the code cannot be tried meanwhile); a throttled send goes back at once with
 * its error, and the resend countdown says when to try again.
 */
export const oobMfaReducer: (state: S, event: OobMfaEvent | SharedFlowEvent) => S = machine<S, OobMfaEvent>({
  initial: (state) => oobMfaInitialState(state?.bound ? state.destination : null),
  transitions: {
    send: on(['binding', 'idle', 'code_sent'], 'sending', (s, e) => ({
      resume: s.status as S['resume'],
      destination: s.bound ? s.destination : e.destination,
    })),
    sent: on('sending', 'code_sent'),
    verify: on('code_sent', 'verifying'),
    verified: on('verifying', 'verified'),
    reject: on('binding'),
  },
  onFail: { sending: 'resume', verifying: 'code_sent' },
  failures: { rateLimited: (s) => s.status === 'verifying', expiresOn: endsSignIn },
})
