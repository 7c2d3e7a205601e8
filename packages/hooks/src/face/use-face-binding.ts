import type { AssociateFaceByBlobOptions, MfaError, UploadProgress, User } from '@mfa-kit/client'
import { callOptions, mfaKeys } from '../query-options'
import { useReverifiable } from '../reverification/use-reverifiable'
import type { EmbeddedReverification } from '../reverification/use-reverifiable'
import { useField } from '../utils/field'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { faceBindingInitialState, faceBindingReducer } from './face-binding.reducer'
import type { FaceBindingState, FaceBindingStatus } from './face-binding.reducer'
import { fileInputGetter, fractionOf, progressGetter } from './photo-props'
import type { PhotoFileInputProps, UploadProgressProps } from './photo-props'

export interface UseFaceBindingOptions extends FlowCallbacks {
  /**
   * The mfaToken, when binding during a login (the binding then finishes it). Without it the
   * signed-in user binds.
   */
  mfaToken?: string
  /** Called on `done`. `user` is set when the binding finished a login. */
  onDone?: (user: User | null) => void
  /** Called on `done` when the binding finished a login, so `useFaceBinding(challenge.flow)` ends the challenge. */
  onVerified?: (user: User) => void
  /** Called when this account cannot bind a face now (`unavailable`). */
  onUnavailable?: (error: MfaError) => void
}

export interface FaceBindingData {
  /** Which photo is wanted: the first (`base`), the second (`compare`), or none now. */
  photo: 'base' | 'compare' | null
  /** The first photo, once taken and until the binding ends (to show it, or not). */
  base: Blob | null
  /** Bytes of both photos sent so far, while `uploading`. */
  progress: UploadProgress | null
  /** The same as a share between 0 and 1, or null. */
  fraction: number | null
  /** The signed-in user, when the binding finished a login. */
  user: User | null
}

export type FaceBindingSnapshot = {
  status: FaceBindingStatus
  error: MfaError | null
  data: FaceBindingData
}

export type UseFaceBindingResult = FaceBindingSnapshot & {
  /**
   * Hands over a photo: the first one is kept (`capturing_compare`), the second one starts the
   * binding, which resolves to the snapshot once the server answered.
   */
  capture: (photo: Blob) => Promise<FaceBindingSnapshot>
  /** Drops the first photo, to take it again (from `capturing_compare`). */
  retake: () => void
  /** Back to the first photo, dropping everything. */
  reset: () => void
  /** Seconds until a binding is accepted again, while `rate_limited`. */
  secondsLeft: number
  /** While `reverifying` (a signed-in user whose sign-in is too old): the fresh proof the server asks for. */
  reverification: EmbeddedReverification
  /** A button that retakes the first photo. */
  getRetakeProps: PropGetter<ActionButtonProps>
  /** A `<progress>` for the uploads and the check. */
  getProgressProps: PropGetter<UploadProgressProps>
  /** The element that shows the error, announced politely. */
  getErrorProps: ReturnType<typeof useField>['getErrorProps']
  /** An `<input type="file">` for a photo instead of the camera. */
  getFileInputProps: PropGetter<PhotoFileInputProps>
}

function snapshotOf({ status, error, base, progress, user }: FaceBindingState): FaceBindingSnapshot {
  const photo = status === 'capturing_base' ? 'base' : status === 'capturing_compare' ? 'compare' : null
  return { status, error, data: { photo, base, progress, fraction: fractionOf(progress), user } }
}

type BindVariables = AssociateFaceByBlobOptions & { compareFace: Blob }

/**
 * Binds a face from two photos of it: capturing_base → capturing_compare → uploading → binding →
 * done. `retake()` takes the first photo again. A refused binding (no face, two faces, two
 * different faces, an unreadable photo) starts over with the error. The photos live in this
 * hook's state only, until the binding ends.
 */
export function useFaceBinding(options: UseFaceBindingOptions = {}): UseFaceBindingResult {
  const flow = useFlow(faceBindingReducer, () => faceBindingInitialState, options)
  const { state, send, client } = flow
  const { reverification, reverified } = useReverifiable(send)
  const field = useField(state.error)

  async function capture(photo: Blob): Promise<FaceBindingSnapshot> {
    const { base, status } = flow.ref.current
    if (status === 'capturing_base' || !base) {
      send({ type: 'capture', photo })
      return snapshotOf(flow.ref.current)
    }
    const { mfaToken } = options
    const onProgress = (progress: UploadProgress) => {
      send({ type: 'progress', progress })
      if (progress.loaded >= progress.total) send({ type: 'uploaded' })
    }
    const user = await flow.call(
      { type: 'capture', photo },
      reverified(callOptions('associateFaceByBlob', (variables: BindVariables) => client.mfa.associateFaceByBlob(variables))),
      { baseFace: base, compareFace: photo, mfaToken, onProgress },
    )
    if (user && send({ type: 'bound', user: mfaToken ? user : null })) {
      void flow.queryClient.invalidateQueries({ queryKey: mfaKeys.authenticatorLists })
      const signedIn = flow.ref.current.user
      options.onDone?.(signedIn)
      if (signedIn) flow.signedIn(signedIn, options.onVerified)
    }
    const { status: after, error } = flow.ref.current
    if (after === 'unavailable' && error) options.onUnavailable?.(error)
    return snapshotOf(flow.ref.current)
  }

  const retake = () => void send({ type: 'retake' })
  const capturing = state.status === 'capturing_base' || state.status === 'capturing_compare'
  return {
    ...snapshotOf(state),
    capture,
    retake,
    reset: () => flow.reset(() => reverification.reset()),
    secondsLeft: flow.countdown.secondsLeft,
    reverification,
    getRetakeProps: buttonGetter(state.status !== 'capturing_compare', retake),
    getProgressProps: progressGetter(state.progress),
    getErrorProps: field.getErrorProps,
    getFileInputProps: fileInputGetter(!capturing, capture),
  }
}
