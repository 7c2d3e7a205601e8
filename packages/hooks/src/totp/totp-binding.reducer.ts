import type { MfaAssociation, User } from '@mfa-kit/client'
import { endsSignInOrSession, machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type TotpBindingStatus =
  | 'idle'
  | 'loading_secret'
  | 'awaiting_code'
  | 'confirming'
  | 'reverifying'
  | 'showing_recovery_code'
  | 'done'
  | 'rate_limited'
  | 'expired'

export interface TotpBindingState extends FlowState<TotpBindingStatus, 'idle' | 'awaiting_code'> {
  /** The pending secret and recovery code; `null` outside the binding steps. */
  association: MfaAssociation | null
  /** The signed-in user, when confirming finished a login (`source: 'APPLICATION'`). */
  user: User | null
  /** The user has said the recovery code is safely recorded. */
  acknowledged: boolean
  /** The step that asked for a fresh proof of a factor (`SELF` only), to go back to once given. */
  reverifyingFrom: 'loading_secret' | 'confirming'
}

export type TotpBindingEvent =
  | { type: 'start' }
  | { type: 'secret_loaded'; association: MfaAssociation }
  | { type: 'confirm' }
  | { type: 'reverify' }
  | { type: 'reverified' }
  | { type: 'confirmed'; user: User | null }
  | { type: 'acknowledge'; acknowledged: boolean }
  | { type: 'finish' }
  | SharedFlowEvent

export const totpBindingInitialState: TotpBindingState = {
  status: 'idle',
  error: null,
  resume: 'idle',
  association: null,
  user: null,
  acknowledged: false,
  reverifyingFrom: 'loading_secret',
}

/** Where a step goes back to when it fails. */
const before = (step: TotpBindingState['reverifyingFrom']) => (step === 'loading_secret' ? 'idle' : 'awaiting_code')

/**
 * The TOTP binding machine: idle → loading_secret → awaiting_code → confirming →
 * showing_recovery_code → done. For a signed-in user whose last sign-in is too old, either call
 * can pass through `reverifying` (a fresh proof of a factor) and then goes on.
 */
export const totpBindingReducer: (state: TotpBindingState, event: TotpBindingEvent) => TotpBindingState = machine<
  TotpBindingState,
  TotpBindingEvent
>({
  initial: () => totpBindingInitialState,
  transitions: {
    start: on('idle', 'loading_secret'),
    secret_loaded: on('loading_secret', 'awaiting_code'),
    confirm: on('awaiting_code', 'confirming'),
    reverify: on(['loading_secret', 'confirming'], 'reverifying', (s) => ({
      reverifyingFrom: s.status as TotpBindingState['reverifyingFrom'],
    })),
    reverified: on('reverifying', (s) => s.reverifyingFrom),
    confirmed: on('confirming', 'showing_recovery_code'),
    acknowledge: on('showing_recovery_code'),
    finish: on('showing_recovery_code', 'done', (s) => s.acknowledged && { association: null }),
  },
  onFail: { loading_secret: 'idle', confirming: 'awaiting_code', reverifying: (s) => before(s.reverifyingFrom) },
  failures: {
    rateLimited: true,
    // Binding accepts an mfaToken or an access token, so the server reports a dead one of either
    // kind as Authing's "sign-in expired" (2206), not only as a dead mfaToken. Other
    // `unauthenticated` answers (a sign-in that must verify a factor first) leave the flow usable.
    expiresOn: endsSignInOrSession,
  },
})
