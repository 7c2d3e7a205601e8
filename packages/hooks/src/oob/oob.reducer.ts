import type { MfaError, User } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState } from '../utils/machine'

/** Statuses of the SMS and email flows. */
export type OobMfaStatus =
  | 'binding'
  | 'idle'
  | 'sending'
  | 'code_sent'
  | 'verifying'
  | 'verified'
  | 'rate_limited'
  | 'expired'

export interface OobMfaState extends FlowState<'binding' | 'idle' | 'code_sent'> {
  status: OobMfaStatus
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
  | { type: 'fail'; error: MfaError }
  | { type: 'retry_ready' }
  | { type: 'reset'; destination: string | null }

/** The starting state: `idle` with a bound destination, else `binding`. */
export function oobMfaInitialState(destination?: string | null): OobMfaState {
  const bound = !!destination
  const status = bound ? 'idle' : 'binding'
  return { status, error: null, resume: status, bound, destination: destination || null, user: null }
}

type S = OobMfaState

/**
 * The SMS / email machine: (binding →) idle → sending → code_sent → verifying → verified.
 * A resend goes code_sent → sending → code_sent.
 */
export const oobMfaReducer: (state: S, event: OobMfaEvent) => S = machine<S, OobMfaEvent>(
  (e) => oobMfaInitialState((e as { destination?: string | null } | undefined)?.destination),
  {
    send: on('binding idle code_sent', 'sending', (s, e) => ({
      resume: s.status as S['resume'],
      destination: s.bound ? s.destination : e.destination,
    })),
    sent: on('sending', 'code_sent'),
    verify: on('code_sent', 'verifying'),
    verified: on('verifying', 'verified'),
  },
  { sending: '', verifying: 'code_sent' },
)
