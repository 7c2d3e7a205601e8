import type { MfaError, User } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState } from '../utils/machine'

export type TotpVerifyStatus = 'idle' | 'verifying' | 'verified' | 'rate_limited' | 'expired'

export interface TotpVerifyState extends FlowState<'idle'> {
  status: TotpVerifyStatus
  /** The signed-in user, once `verified`. */
  user: User | null
}

export type TotpVerifyEvent =
  | { type: 'verify' }
  | { type: 'verified'; user: User }
  | { type: 'fail'; error: MfaError }
  | { type: 'retry_ready' }
  | { type: 'reset' }

export const totpVerifyInitialState: TotpVerifyState = { status: 'idle', error: null, resume: 'idle', user: null }

/** The TOTP verification machine: idle → verifying → verified, with wrong codes back to idle. */
export const totpVerifyReducer: (state: TotpVerifyState, event: TotpVerifyEvent) => TotpVerifyState = machine<
  TotpVerifyState,
  TotpVerifyEvent
>(
  () => totpVerifyInitialState,
  { verify: on('idle', 'verifying'), verified: on('verifying', 'verified') },
  { verifying: 'idle' },
)
