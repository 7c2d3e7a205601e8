import type { MfaAssociation, MfaError, User } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState } from '../utils/machine'

export type TotpBindingStatus =
  | 'idle'
  | 'loading_secret'
  | 'awaiting_code'
  | 'confirming'
  | 'showing_recovery_code'
  | 'done'
  | 'rate_limited'
  | 'expired'

export interface TotpBindingState extends FlowState<'idle' | 'awaiting_code'> {
  status: TotpBindingStatus
  /** The pending secret and recovery code; `null` outside the binding steps. */
  association: MfaAssociation | null
  /** The signed-in user, when confirming finished a login (`source: 'APPLICATION'`). */
  user: User | null
  /** The user has said the recovery code is safely recorded. */
  acknowledged: boolean
}

export type TotpBindingEvent =
  | { type: 'start' }
  | { type: 'secret_loaded'; association: MfaAssociation }
  | { type: 'confirm' }
  | { type: 'confirmed'; user: User | null }
  | { type: 'acknowledge'; acknowledged: boolean }
  | { type: 'finish' }
  | { type: 'fail'; error: MfaError }
  | { type: 'retry_ready' }
  | { type: 'reset' }

export const totpBindingInitialState: TotpBindingState = {
  status: 'idle',
  error: null,
  resume: 'idle',
  association: null,
  user: null,
  acknowledged: false,
}

type S = TotpBindingState

/** The TOTP binding machine: idle → loading_secret → awaiting_code → confirming → showing_recovery_code → done. */
export const totpBindingReducer: (state: S, event: TotpBindingEvent) => S = machine<S, TotpBindingEvent>(
  () => totpBindingInitialState,
  {
    start: on('idle', 'loading_secret'),
    secret_loaded: on('loading_secret', 'awaiting_code'),
    confirm: on('awaiting_code', 'confirming'),
    confirmed: on('confirming', 'showing_recovery_code'),
    acknowledge: on('showing_recovery_code'),
    finish: on('showing_recovery_code', 'done', (s) => s.acknowledged && { association: null }),
  },
  { loading_secret: 'idle', confirming: 'awaiting_code' },
  // Binding accepts an mfaToken or an access token, so the server reports a dead one of either
  // kind as Authing's "sign-in expired" (2206), not as a dead mfaToken.
  (e) => e.authingCode === 2206,
)
