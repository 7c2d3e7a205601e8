import { machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type MfaUnbindStatus = 'idle' | 'confirming' | 'unbinding' | 'reverifying' | 'done' | 'rate_limited' | 'expired'

export type MfaUnbindState = FlowState<MfaUnbindStatus, 'idle'>

export type MfaUnbindEvent =
  | { type: 'request' }
  | { type: 'cancel' }
  | { type: 'confirm' }
  | { type: 'reverify' }
  | { type: 'reverified' }
  | { type: 'done' }
  | SharedFlowEvent

export const mfaUnbindInitialState: MfaUnbindState = { status: 'idle', error: null, resume: 'idle' }

/**
 * The unbind machine: idle → confirming → unbinding → done. Nothing is sent without the
 * confirmation step. When the sign-in is too old for the change, it passes through `reverifying`
 * (a fresh proof of a factor) and then unbinds; a session that is gone ends it `expired`.
 */
export const mfaUnbindReducer: (state: MfaUnbindState, event: MfaUnbindEvent) => MfaUnbindState = machine<MfaUnbindState, MfaUnbindEvent>({
  initial: () => mfaUnbindInitialState,
  transitions: {
    request: on('idle', 'confirming'),
    cancel: on('confirming', 'idle'),
    confirm: on('confirming', 'unbinding'),
    reverify: on('unbinding', 'reverifying'),
    reverified: on('reverifying', 'unbinding'),
    done: on('unbinding', 'done'),
  },
  onFail: { unbinding: 'idle', reverifying: 'idle' },
  failures: { rateLimited: true, expiresOn: (error) => error.code === 'unauthenticated' },
})
