import type { MfaError, UploadProgress, User } from '@mfa-kit/client'
import { endsSignInOrSession, machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

export type FaceBindingStatus =
  | 'capturing_base'
  | 'capturing_compare'
  | 'uploading'
  | 'binding'
  | 'reverifying'
  | 'done'
  | 'rate_limited'
  | 'expired'
  | 'unavailable'

export interface FaceBindingState extends FlowState<FaceBindingStatus, 'capturing_base'> {
  /** The first photo, held until the second one is taken; dropped on retake, failure and `done`. */
  base: Blob | null
  /** How much of the two photos has been sent, while `uploading`. */
  progress: UploadProgress | null
  /** The signed-in user, when the binding finished a login (with an mfaToken). */
  user: User | null
}

export type FaceBindingEvent =
  | { type: 'capture'; photo: Blob }
  | { type: 'retake' }
  | { type: 'progress'; progress: UploadProgress }
  | { type: 'uploaded' }
  | { type: 'reverify' }
  | { type: 'reverified' }
  | { type: 'bound'; user: User | null }
  | SharedFlowEvent

export const faceBindingInitialState: FaceBindingState = {
  status: 'capturing_base',
  error: null,
  resume: 'capturing_base',
  base: null,
  progress: null,
  user: null,
}

/**
 * Answers after which this account cannot bind a face now: it needs another factor first
 * (`another_factor_required`), already has a face (`already_bound`), or face is not offered
 * (`factor_disabled`).
 */
const cannotBind = (error: MfaError): boolean =>
  error.code === 'another_factor_required' || error.code === 'already_bound' || error.code === 'factor_disabled'

const base = machine<FaceBindingState, FaceBindingEvent>({
  initial: () => faceBindingInitialState,
  transitions: {
    capture: on(
      ['capturing_base', 'capturing_compare'],
      (s) => (s.status === 'capturing_base' ? 'capturing_compare' : 'uploading'),
      // Nothing sent yet: a determinate bar at zero from the start.
      (s, e) =>
        s.status === 'capturing_base' ? { base: e.photo } : { progress: { loaded: 0, total: (s.base?.size ?? 0) + e.photo.size } },
    ),
    retake: on('capturing_compare', 'capturing_base', () => ({ base: null })),
    progress: on('uploading'),
    uploaded: on('uploading', 'binding', () => ({ progress: null })),
    // A stale session is asked for a fresh proof, then the call runs again from its start.
    reverify: on(['uploading', 'binding'], 'reverifying', () => ({ progress: null })),
    reverified: on('reverifying', 'uploading'),
    bound: on(['uploading', 'binding'], 'done', (_, e) => ({ user: e.user, base: null, progress: null })),
  },
  onFail: { uploading: 'capturing_base', binding: 'capturing_base', reverifying: 'capturing_base' },
  failures: {
    rateLimited: true,
    // A dead mfaToken, or a dead session ("sign-in expired", 2206) for a signed-in user.
    expiresOn: endsSignInOrSession,
  },
})

/**
 * The face binding machine: capturing_base → capturing_compare → uploading → binding → done.
 * `retake` goes back for a new first photo. A refused binding starts over with both photos (the
 * server does not say which one it refused). For a signed-in user whose sign-in is too old, the
 * call passes through `reverifying`. When this account cannot bind a face now, `unavailable`.
 */
export function faceBindingReducer(state: FaceBindingState, event: FaceBindingEvent): FaceBindingState {
  if (event.type === 'fail' && (state.status === 'uploading' || state.status === 'binding' || state.status === 'reverifying')) {
    if (cannotBind(event.error)) return { ...faceBindingInitialState, status: 'unavailable', error: event.error }
    return { ...base(state, event), base: null, progress: null }
  }
  return base(state, event)
}
