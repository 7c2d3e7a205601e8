import type { MfaError, UploadProgress, User } from '@mfa-kit/client'
import { endsSignInOrSession, machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type FaceVerifyStatus = 'capturing' | 'uploading' | 'verifying' | 'verified' | 'rate_limited' | 'expired' | 'unavailable'

export interface FaceVerifyState extends FlowState<FaceVerifyStatus, 'capturing'> {
  /** How much of the photo has been sent, while `uploading`. */
  progress: UploadProgress | null
  /** Photos refused so far in this sign-in (another face, no face, an unreadable photo). */
  failures: number
  /** The signed-in user, once `verified`. */
  user: User | null
}

export type FaceVerifyEvent =
  | { type: 'capture'; size: number }
  | { type: 'progress'; progress: UploadProgress }
  | { type: 'uploaded' }
  | { type: 'verified'; user: User }
  | SharedFlowEvent

export const faceVerifyInitialState: FaceVerifyState = {
  status: 'capturing',
  error: null,
  resume: 'capturing',
  progress: null,
  failures: 0,
  user: null,
}

/**
 * Answers after which face cannot finish this sign-in, though the sign-in itself goes on with
 * another factor: face is not offered or was turned off after too many failures
 * (`factor_disabled`), or no face is bound (`not_bound`).
 */
const endsFace = (error: MfaError): boolean => error.code === 'factor_disabled' || error.code === 'not_bound'

const base = machine<FaceVerifyState, FaceVerifyEvent>({
  initial: () => faceVerifyInitialState,
  transitions: {
    // Nothing sent yet: a determinate bar at zero from the start.
    capture: on('capturing', 'uploading', (_, e) => ({ progress: { loaded: 0, total: e.size } })),
    progress: on('uploading'),
    uploaded: on('uploading', 'verifying', () => ({ progress: null })),
    verified: on('verifying', 'verified'),
  },
  onFail: { uploading: 'capturing', verifying: 'capturing' },
  // The upload comes first and cannot tell a dead mfaToken from a dead session: either ends the sign-in.
  failures: { rateLimited: true, expiresOn: endsSignInOrSession },
})

/**
 * The face verification machine: capturing → uploading → verifying → verified. A refused photo
 * goes back to `capturing` with the error, for another photo, until the server's throttle says
 * wait (`rate_limited`, then back) or the sign-in is over (`expired`). When face cannot be used
 * at all the flow is `unavailable`: offer another factor.
 */
export function faceVerifyReducer(state: FaceVerifyState, event: FaceVerifyEvent): FaceVerifyState {
  if (event.type === 'fail' && (state.status === 'uploading' || state.status === 'verifying')) {
    if (endsFace(event.error)) return { ...faceVerifyInitialState, status: 'unavailable', error: event.error }
    const next = base(state, event)
    return { ...next, progress: null, failures: state.failures + 1 }
  }
  return base(state, event)
}
