import type { CallOptions, MfaError, UploadFaceOptions, UploadProgress, User } from '@mfa-kit/client'
import { callOptions } from '../query-options'
import { useField } from '../utils/field'
import type { PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { faceVerifyInitialState, faceVerifyReducer } from './face-verify.reducer'
import type { FaceVerifyState, FaceVerifyStatus } from './face-verify.reducer'
import { fileInputGetter, fractionOf, progressGetter } from './photo-props'
import type { PhotoFileInputProps, UploadProgressProps } from './photo-props'

export interface UseFaceVerifyOptions extends FlowCallbacks {
  /** The mfaToken of the login in progress. */
  mfaToken: string
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
  /** Called when face cannot finish this sign-in (`unavailable`): offer another factor. */
  onUnavailable?: (error: MfaError) => void
}

export interface FaceVerifyData {
  /** Bytes of the photo sent so far, while `uploading`. */
  progress: UploadProgress | null
  /** The same as a share between 0 and 1, or null. */
  fraction: number | null
  /** Photos refused so far in this sign-in. */
  failures: number
  /** The signed-in user, once `verified`. */
  user: User | null
}

/** The flow in one status, with `data` narrowed to match: `verified` has the user. */
export type FaceVerifySnapshot =
  | { status: 'verified'; error: null; data: FaceVerifyData & { user: User } }
  | { status: Exclude<FaceVerifyStatus, 'verified'>; error: MfaError | null; data: FaceVerifyData & { user: null } }

export type UseFaceVerifyResult = FaceVerifySnapshot & {
  /**
   * Uploads the photo (from `capturing`) and verifies it; resolves to the snapshot once the server
   * answered. A refused photo leaves the flow in `capturing` with the error, for another one.
   */
  verify: (photo: Blob) => Promise<FaceVerifySnapshot>
  /** Back to `capturing`, with no error. */
  reset: () => void
  /** Seconds until photos are accepted again, while `rate_limited`. */
  secondsLeft: number
  /** A `<progress>` for the upload and the check. */
  getProgressProps: PropGetter<UploadProgressProps>
  /** The element that shows the error, announced politely. */
  getErrorProps: ReturnType<typeof useField>['getErrorProps']
  /** An `<input type="file">` for a photo instead of the camera. */
  getFileInputProps: PropGetter<PhotoFileInputProps>
}

type UploadVariables = UploadFaceOptions & { photo: Blob }
type VerifyVariables = CallOptions & { key: string; mfaToken: string }

const snapshotOf = ({ status, error, progress, failures, user }: FaceVerifyState) =>
  ({ status, error, data: { progress, fraction: fractionOf(progress), failures, user } }) as FaceVerifySnapshot

/**
 * Finishes a login with a photo: capturing → uploading → verifying → verified. Another face, no
 * face or an unreadable photo goes back to `capturing` with the error, for another photo, until
 * the server's throttle makes the user wait (`rate_limited`) or ends the sign-in (`expired`).
 * The photo is not kept: it goes to the server and is dropped.
 */
export function useFaceVerify(options: UseFaceVerifyOptions): UseFaceVerifyResult {
  const flow = useFlow(faceVerifyReducer, () => faceVerifyInitialState, options)
  const { state, send, client } = flow
  const field = useField(state.error)

  async function verify(photo: Blob): Promise<FaceVerifySnapshot> {
    const { mfaToken } = options
    const onProgress = (progress: UploadProgress) => void send({ type: 'progress', progress })
    const key = await flow.call(
      { type: 'capture', size: photo.size },
      callOptions('uploadFace', ({ photo, ...rest }: UploadVariables) => client.mfa.uploadFace(photo, rest)),
      { photo, mfaToken, onProgress },
    )
    const user =
      key &&
      (await flow.call(
        { type: 'uploaded' },
        callOptions('verifyFaceMfa', ({ key, mfaToken, ...call }: VerifyVariables) => client.mfa.verifyFaceMfa(key, mfaToken, call)),
        { key, mfaToken },
      ))
    if (user && send({ type: 'verified', user })) flow.signedIn(user, options.onVerified)
    const { status, error } = flow.ref.current
    if (status === 'unavailable' && error) options.onUnavailable?.(error)
    return snapshotOf(flow.ref.current)
  }

  const busy = state.status !== 'capturing'
  return {
    ...snapshotOf(state),
    verify,
    reset: () => flow.reset(),
    secondsLeft: flow.countdown.secondsLeft,
    getProgressProps: progressGetter(state.progress),
    getErrorProps: field.getErrorProps,
    getFileInputProps: fileInputGetter(busy, verify),
  }
}
