import { machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type RecoveryCodeRegenerateStatus =
  | 'idle'
  | 'regenerating'
  | 'reverifying'
  | 'showing_recovery_code'
  | 'done'
  | 'rate_limited'
  | 'expired'

export interface RecoveryCodeRegenerateState extends FlowState<RecoveryCodeRegenerateStatus, 'idle'> {
  /** The new recovery code; shown once, dropped on `done`. */
  recoveryCode: string | null
  /** The user has said the new recovery code is safely recorded. */
  acknowledged: boolean
}

export type RecoveryCodeRegenerateEvent =
  | { type: 'regenerate' }
  | { type: 'reverify' }
  | { type: 'reverified' }
  | { type: 'regenerated'; recoveryCode: string }
  | { type: 'acknowledge'; acknowledged: boolean }
  | { type: 'finish' }
  | SharedFlowEvent

export const recoveryCodeRegenerateInitialState: RecoveryCodeRegenerateState = {
  status: 'idle',
  error: null,
  resume: 'idle',
  recoveryCode: null,
  acknowledged: false,
}

type S = RecoveryCodeRegenerateState

/**
 * The regeneration machine: idle → regenerating → showing_recovery_code → done (and again from
 * `done`). The server wants
 * a recent sign-in: an old one passes through `reverifying` first. The old code stops working as
 * soon as the new one is issued, so the new one must be acknowledged before the flow ends.
 */
export const recoveryCodeRegenerateReducer: (state: S, event: RecoveryCodeRegenerateEvent) => S = machine<S, RecoveryCodeRegenerateEvent>({
  initial: () => recoveryCodeRegenerateInitialState,
  transitions: {
    regenerate: on(['idle', 'done'], 'regenerating'),
    reverify: on('regenerating', 'reverifying'),
    reverified: on('reverifying', 'regenerating'),
    regenerated: on('regenerating', 'showing_recovery_code'),
    acknowledge: on('showing_recovery_code'),
    finish: on('showing_recovery_code', 'done', (s) => s.acknowledged && { recoveryCode: null }),
  },
  onFail: { regenerating: 'idle', reverifying: 'idle' },
  failures: { rateLimited: true, expiresOn: (error) => error.code === 'unauthenticated' },
})
