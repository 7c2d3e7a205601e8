import type { MfaError } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState } from '../utils/machine'

export type MfaUnbindStatus = 'idle' | 'confirming' | 'unbinding' | 'done' | 'rate_limited' | 'expired'

export interface MfaUnbindState extends FlowState<'idle'> {
  status: MfaUnbindStatus
}

export type MfaUnbindEvent =
  | { type: 'request' }
  | { type: 'cancel' }
  | { type: 'confirm' }
  | { type: 'done' }
  | { type: 'fail'; error: MfaError }
  | { type: 'retry_ready' }
  | { type: 'reset' }

export const mfaUnbindInitialState: MfaUnbindState = { status: 'idle', error: null, resume: 'idle' }

/**
 * The unbind machine: idle → confirming → unbinding → done. Nothing is sent without the
 * confirmation step; a missing or stale sign-in ends it `expired`.
 */
export const mfaUnbindReducer: (state: MfaUnbindState, event: MfaUnbindEvent) => MfaUnbindState = machine<
  MfaUnbindState,
  MfaUnbindEvent
>(
  () => mfaUnbindInitialState,
  {
    request: on('idle', 'confirming'),
    cancel: on('confirming', 'idle'),
    confirm: on('confirming', 'unbinding'),
    done: on('unbinding', 'done'),
  },
  { unbinding: 'idle' },
  (e) => e.code === 'unauthenticated',
)
