import type { User } from '@mfa-kit/client'
import { endsSignIn, machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type RecoveryCodeVerifyStatus = 'idle' | 'verifying' | 'showing_recovery_code' | 'done' | 'rate_limited' | 'expired'

export interface RecoveryCodeVerifyState extends FlowState<RecoveryCodeVerifyStatus, 'idle'> {
  /** The signed-in user, from `showing_recovery_code` on. */
  user: User | null
  /** The newly issued recovery code; shown once, cleared on `done`. */
  recoveryCode: string | null
  /** The user has said the new recovery code is safely recorded. */
  acknowledged: boolean
}

export type RecoveryCodeVerifyEvent =
  | { type: 'verify' }
  | { type: 'verified'; user: User; recoveryCode: string }
  | { type: 'acknowledge'; acknowledged: boolean }
  | { type: 'finish' }
  | SharedFlowEvent

export const recoveryCodeVerifyInitialState: RecoveryCodeVerifyState = {
  status: 'idle',
  error: null,
  resume: 'idle',
  user: null,
  recoveryCode: null,
  acknowledged: false,
}

type S = RecoveryCodeVerifyState

/**
 * The recovery-code machine: idle → verifying → showing_recovery_code → done. The server replaces
 * the used code with a new one, which must be acknowledged before the flow ends.
 */
export const recoveryCodeVerifyReducer: (state: S, event: RecoveryCodeVerifyEvent) => S = machine<S, RecoveryCodeVerifyEvent>({
  initial: () => recoveryCodeVerifyInitialState,
  transitions: {
    verify: on('idle', 'verifying'),
    verified: on('verifying', 'showing_recovery_code'),
    acknowledge: on('showing_recovery_code'),
    finish: on('showing_recovery_code', 'done', (s) => s.acknowledged && { recoveryCode: null }),
  },
  onFail: { verifying: 'idle' },
  failures: { rateLimited: true, expiresOn: endsSignIn },
})
