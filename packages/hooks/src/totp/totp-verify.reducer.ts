import type { User } from '@mfa-kit/client'
import { endsSignIn, machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type TotpVerifyStatus = 'idle' | 'verifying' | 'verified' | 'rate_limited' | 'expired'

export interface TotpVerifyState extends FlowState<TotpVerifyStatus, 'idle'> {
  /** The signed-in user, once `verified`. */
  user: User | null
}

export type TotpVerifyEvent = { type: 'verify' } | { type: 'verified'; user: User } | SharedFlowEvent

export const totpVerifyInitialState: TotpVerifyState = { status: 'idle', error: null, resume: 'idle', user: null }

/** The TOTP verification machine: idle → verifying → verified, with wrong codes back to idle. */
export const totpVerifyReducer: (state: TotpVerifyState, event: TotpVerifyEvent) => TotpVerifyState = machine<
  TotpVerifyState,
  TotpVerifyEvent
>({
  initial: () => totpVerifyInitialState,
  transitions: {
    verify: on('idle', 'verifying'),
    verified: on('verifying', 'verified'),
  },
  onFail: { verifying: 'idle' },
  failures: { rateLimited: true, expiresOn: endsSignIn },
})
