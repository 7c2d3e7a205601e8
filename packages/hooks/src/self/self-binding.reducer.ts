import type { MfaError } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

/** Statuses of binding a phone or an email from a signed-in session. */
export type SelfBindingStatus = 'idle' | 'sending' | 'code_sent' | 'confirming' | 'reverifying' | 'done' | 'rate_limited' | 'expired'

export interface SelfBindingState extends FlowState<SelfBindingStatus, 'idle' | 'code_sent'> {
  /** Where the code went: the phone or email being bound. */
  destination: string | null
}

export type SelfBindingEvent =
  | { type: 'send'; destination: string }
  | { type: 'sent' }
  | { type: 'confirm' }
  | { type: 'reverify' }
  | { type: 'reverified' }
  | { type: 'done' }
  | { type: 'reject'; error: MfaError }
  | SharedFlowEvent

export const selfBindingInitialState: SelfBindingState = { status: 'idle', error: null, resume: 'idle', destination: null }

/**
 * Binding a phone or email for the signed-in user: idle → sending → code_sent → confirming → done.
 * When the sign-in is too old for the change, confirming passes through `reverifying` (a fresh
 * proof of a factor) and goes on with the same code. `reject` reports a malformed destination
 * without sending anything. Only a throttled confirmation waits in `rate_limited`; a throttled send
 * goes back with its error (the resend countdown says when). A session that is gone ends `expired`.
 */
export const selfBindingReducer: (state: SelfBindingState, event: SelfBindingEvent) => SelfBindingState = machine<
  SelfBindingState,
  SelfBindingEvent
>({
  initial: () => selfBindingInitialState,
  transitions: {
    send: on(['idle', 'code_sent'], 'sending', (s, e) => ({ resume: s.status as SelfBindingState['resume'], destination: e.destination })),
    sent: on('sending', 'code_sent'),
    confirm: on('code_sent', 'confirming'),
    reverify: on('confirming', 'reverifying'),
    reverified: on('reverifying', 'confirming'),
    done: on('confirming', 'done'),
    reject: on('idle'),
  },
  onFail: { sending: 'resume', confirming: 'code_sent', reverifying: 'code_sent' },
  failures: { rateLimited: (s) => s.status === 'confirming', expiresOn: (error) => error.code === 'unauthenticated' },
})
