/**
 * The camera's states, and what a failure to open it means. Pure: the hook feeds it what the
 * browser says (the Permissions API, `getUserMedia`'s answer, a track that ended).
 */

/**
 * - `prompt`: no picture yet; starting asks for the camera (the browser may ask the user).
 * - `streaming`: the camera is on.
 * - `denied`: the user, the browser or the system refused the camera.
 * - `unavailable`: there is no camera, or this page cannot use one (no API, not https, a frame
 *   that is not allowed to).
 * - `error`: the camera is there but did not start or stopped (in use by another app, unplugged).
 */
export type CameraStatus = 'prompt' | 'streaming' | 'denied' | 'unavailable' | 'error'

/** What the Permissions API says about the camera, or `unknown` where it cannot tell. */
export type CameraPermission = 'granted' | 'denied' | 'prompt' | 'unknown'

/** Why the camera is not streaming: what the recovery hint is about. */
export type CameraProblem =
  /** The user or the browser's site setting refused it. */
  | 'blocked'
  /** The operating system refused it to the browser (macOS, Windows privacy settings). */
  | 'blocked_by_system'
  /** The page may not use the camera (a frame without `allow="camera"`, a permissions policy). */
  | 'blocked_by_policy'
  /** No camera is connected, or none fits. */
  | 'no_camera'
  /** Another app holds the camera, or it failed to start. */
  | 'in_use'
  /** The camera stopped while streaming (unplugged, or access revoked). */
  | 'interrupted'
  /** The page is not a secure context (https or localhost), where browsers offer no camera. */
  | 'insecure_context'
  /** This browser has no camera API. */
  | 'not_supported'
  /** Anything else. */
  | 'unknown'

export interface CameraState {
  status: CameraStatus
  /** A request for the camera is running: the browser may be asking the user. */
  requesting: boolean
  permission: CameraPermission
  /** Why the camera is not streaming, in `denied`, `unavailable` and `error`. */
  problem: CameraProblem | null
  /** What the browser threw, as it was. */
  error: Error | null
  /** The live stream, while `streaming`. */
  stream: MediaStream | null
}

export type CameraEvent =
  | { type: 'permission'; permission: CameraPermission }
  | { type: 'request' }
  | { type: 'started'; stream: MediaStream }
  | { type: 'failed'; error: Error; status: Exclude<CameraStatus, 'prompt' | 'streaming'>; problem: CameraProblem }
  | { type: 'stopped' }

export const cameraInitialState: CameraState = {
  status: 'prompt',
  requesting: false,
  permission: 'unknown',
  problem: null,
  error: null,
  stream: null,
}

/** Problems no new request can fix on this page. */
const HOPELESS: readonly CameraProblem[] = ['insecure_context', 'not_supported', 'blocked_by_policy']

export function cameraReducer(state: CameraState, event: CameraEvent): CameraState {
  switch (event.type) {
    case 'permission': {
      const { permission } = event
      if (permission === state.permission) return state
      // Blocked before anyone asked: say so at once, without a request that fails.
      if (permission === 'denied' && state.status === 'prompt' && !state.requesting)
        return { ...state, permission, status: 'denied', problem: 'blocked', error: null }
      // The user allowed the camera in the browser's settings: it can be asked for again.
      if (permission !== 'denied' && state.status === 'denied')
        return { ...state, permission, status: 'prompt', problem: null, error: null }
      // Access taken away while streaming: the tracks end.
      if (permission === 'denied' && state.status === 'streaming')
        return { ...state, permission, status: 'denied', problem: 'blocked', stream: null, error: null }
      return { ...state, permission }
    }
    case 'request':
      if (state.requesting || state.status === 'streaming' || (state.problem && HOPELESS.includes(state.problem))) return state
      return { ...state, status: 'prompt', requesting: true, problem: null, error: null }
    case 'started':
      if (!state.requesting && state.status !== 'prompt') return state
      return { ...state, status: 'streaming', requesting: false, permission: 'granted', problem: null, error: null, stream: event.stream }
    case 'failed':
      if (!state.requesting && state.status !== 'prompt' && state.status !== 'streaming') return state
      return {
        ...state,
        status: event.status,
        requesting: false,
        permission: event.problem === 'blocked' ? 'denied' : state.permission,
        problem: event.problem,
        error: event.error,
        stream: null,
      }
    case 'stopped':
      if (state.status !== 'streaming' && !state.requesting) return state
      return { ...state, status: 'prompt', requesting: false, stream: null }
  }
}

/** What a failed `getUserMedia` means: the status to show and the problem to hint about. */
export function cameraFailureOf(error: unknown): Extract<CameraEvent, { type: 'failed' }> {
  // DOMExceptions are not Errors in every environment: anything with a name counts as one.
  const thrown = typeof error === 'object' && error !== null && 'name' in error ? (error as Error) : null
  const failed = (status: Exclude<CameraStatus, 'prompt' | 'streaming'>, problem: CameraProblem) => ({
    type: 'failed' as const,
    error: thrown ?? new Error(String(error)),
    status,
    problem,
  })
  const name = thrown ? String(thrown.name) : ''
  const message = thrown ? String(thrown.message) : String(error)
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      // Chrome says "Permission denied by system" when macOS or Windows keeps the camera from it.
      return /system/i.test(message) ? failed('denied', 'blocked_by_system') : failed('denied', 'blocked')
    case 'SecurityError':
      return failed('unavailable', 'blocked_by_policy')
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return failed('unavailable', 'no_camera')
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return failed('error', 'in_use')
  }
  // Polyfills (react-webcam's among them) reject with a plain error or a string.
  if (/not (supported|implemented)/i.test(message)) return failed('unavailable', 'not_supported')
  return failed('error', 'unknown')
}

/** The failure to report before asking, when this page has no way to open a camera. */
export function cameraSupportFailure(
  mediaDevices: { getUserMedia?: unknown } | null | undefined,
  secureContext: boolean | undefined,
): Extract<CameraEvent, { type: 'failed' }> | null {
  if (typeof mediaDevices?.getUserMedia === 'function') return null
  const problem: CameraProblem = secureContext === false ? 'insecure_context' : 'not_supported'
  return { type: 'failed', error: new Error('This page has no camera API'), status: 'unavailable', problem }
}
