import type { MfaError, ReverificationFactor } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type ReverificationStatus =
  | 'idle'
  | 'running'
  | 'loading_factors'
  | 'awaiting_proof'
  | 'sending'
  | 'verifying'
  | 'done'
  | 'rate_limited'
  | 'expired'

export type ReverificationFactorType = ReverificationFactor['type']

export interface ReverificationState extends FlowState<ReverificationStatus, 'idle' | 'awaiting_proof'> {
  /** The factors the signed-in user can prove, once loaded. */
  factors: ReverificationFactor[]
  /** The factor being proven. */
  factor: ReverificationFactor | null
  /** A code went to the phone or email of `factor`. */
  codeSent: boolean
  /** The action already ran again after a proof: a second `reauthentication_required` is final. */
  retried: boolean
  /** What the action resolved to, once `done`. */
  result: unknown
}

export type ReverificationEvent =
  | { type: 'run' }
  | { type: 'succeeded'; result: unknown }
  | { type: 'action_failed'; error: MfaError }
  | { type: 'challenged' }
  | { type: 'factors_loaded'; factors: ReverificationFactor[] }
  | { type: 'select'; factor: ReverificationFactorType }
  | { type: 'send' }
  | { type: 'sent' }
  | { type: 'verify' }
  | { type: 'verified' }
  | { type: 'cancel'; error: MfaError }
  | SharedFlowEvent

export const reverificationInitialState: ReverificationState = {
  status: 'idle',
  error: null,
  resume: 'idle',
  factors: [],
  factor: null,
  codeSent: false,
  retried: false,
  result: null,
}

const isCodeFactor = (factor: ReverificationFactor | null): boolean => factor?.type === 'sms' || factor?.type === 'email'

/**
 * The re-verification machine around an action: idle → running → done. When the action answers
 * `reauthentication_required`, it loads the factors the user can prove (loading_factors →
 * awaiting_proof), sends a code for a phone or email (sending), checks the proof (verifying), and
 * runs the action once more. The action's own failures end it `idle` with their error; a session
 * that is gone ends it `expired`.
 */
export const reverificationReducer: (state: ReverificationState, event: ReverificationEvent) => ReverificationState = machine<
  ReverificationState,
  ReverificationEvent
>({
  initial: () => reverificationInitialState,
  transitions: {
    run: on(['idle', 'done'], 'running', () => reverificationInitialState),
    succeeded: on('running', 'done'),
    action_failed: on('running', 'idle'),
    challenged: on('running', 'loading_factors', (s) => !s.retried && {}),
    factors_loaded: on('loading_factors', 'awaiting_proof', (_, e) => ({ factors: e.factors, factor: e.factors[0] ?? null })),
    select: on('awaiting_proof', undefined, (s, e) => {
      const factor = s.factors.find((f) => f.type === e.factor)
      return !!factor && factor !== s.factor && { factor, codeSent: false }
    }),
    send: on('awaiting_proof', 'sending', (s) => isCodeFactor(s.factor) && {}),
    sent: on('sending', 'awaiting_proof', () => ({ codeSent: true })),
    verify: on('awaiting_proof', 'verifying', (s) => !!s.factor && {}),
    verified: on('verifying', 'running', () => ({ retried: true })),
    cancel: on(['loading_factors', 'awaiting_proof', 'sending', 'verifying', 'rate_limited'], 'idle'),
  },
  onFail: { loading_factors: 'idle', sending: 'awaiting_proof', verifying: 'awaiting_proof' },
  failures: { rateLimited: true, expiresOn: (error) => error.code === 'unauthenticated' },
})
