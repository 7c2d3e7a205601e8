import { useCallback, useEffect, useRef } from '../peer'
import type { Ref } from 'react'
import { mergeProps } from '../utils/compose'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { useMachine } from '../utils/use-flow'
import { cameraHint } from './camera-hint'
import type { CameraHint } from './camera-hint'
import { cameraFailureOf, cameraInitialState, cameraReducer, cameraSupportFailure } from './camera.reducer'
import type { CameraPermission, CameraState, CameraStatus } from './camera.reducer'
import { captureFrame } from './capture'
import type { CaptureFrameOptions } from './capture'

/** The part of `navigator.mediaDevices` the hook uses; tests and native shells pass their own. */
export type MediaDevicesSource = { getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> }

/** The part of `navigator.permissions` the hook uses. */
export type PermissionsSource = { query(descriptor: { name: PermissionName }): Promise<PermissionStatus> }

export interface UseCameraOptions {
  /** Where streams come from. @default navigator.mediaDevices */
  mediaDevices?: MediaDevicesSource | null
  /** Where the camera permission is read from; `null` to not ask. @default navigator.permissions */
  permissions?: PermissionsSource | null
  /** What to ask the camera for. @default the front camera, ideally 1280×720 */
  constraints?: MediaTrackConstraints
  /** Turn the camera on as soon as the component mounts. @default false */
  autoStart?: boolean
  /**
   * The camera is opened by a component of yours, such as react-webcam's `<Webcam>`, which
   * reports back through `getWebcamProps()`: `start()` then only marks the request, and you
   * mount that component while `data.requesting` or `streaming`. @default false
   */
  external?: boolean
  /** The user agent the recovery hints are for. @default navigator.userAgent */
  userAgent?: string
}

export interface CameraData {
  /** The live stream, while `streaming`. */
  stream: MediaStream | null
  /** A request for the camera is running: the browser may be asking the user. */
  requesting: boolean
  /** What the browser says about the camera permission, where it says. */
  permission: CameraPermission
  /** What to check, in `denied`, `unavailable` and `error`. */
  hint: CameraHint | null
}

export interface CameraSnapshot {
  status: CameraStatus
  /** What the browser threw when the camera did not open, as it was. */
  error: Error | null
  data: CameraData
}

/** Props of the `<video>` that shows the camera. */
export interface CameraVideoProps {
  ref: Ref<HTMLVideoElement>
  autoPlay: true
  muted: true
  playsInline: true
}

/** Props for react-webcam's `<Webcam>` (or any component that opens the camera and reports back). */
export interface WebcamProps {
  audio: false
  videoConstraints: MediaTrackConstraints
  onUserMedia: (stream: MediaStream) => void
  onUserMediaError: (error: string | Error) => void
}

export type UseCameraResult = CameraSnapshot & {
  /** Turns the camera on (from `prompt`, `denied` or `error`; a page without camera support stays `unavailable`). */
  start: () => Promise<CameraSnapshot>
  /** Turns it off and lets go of the stream. */
  stop: () => void
  /** The current frame as a photo, from the `<video>` given `getVideoProps()`. */
  capture: (options?: CaptureFrameOptions) => Promise<Blob>
  /** For your `<video>`: the stream, playing inline and muted. */
  getVideoProps: PropGetter<CameraVideoProps>
  /** A button that turns the camera on; disabled while it is on or being asked for. */
  getStartProps: PropGetter<ActionButtonProps>
  /** For the component that opens the camera, with `external: true`. */
  getWebcamProps: PropGetter<WebcamProps>
}

const DEFAULT_CONSTRAINTS: MediaTrackConstraints = { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } }

/** The stream's tracks stopped: the camera light goes out. */
function release(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop()
}

const snapshotOf = (state: CameraState, userAgent: string): CameraSnapshot => ({
  status: state.status,
  error: state.error,
  data: {
    stream: state.stream,
    requesting: state.requesting,
    permission: state.permission,
    hint: state.problem ? cameraHint(state.problem, userAgent) : null,
  },
})

/**
 * The camera, and what to tell the user when it does not work: `prompt → streaming`, or
 * `denied` / `unavailable` / `error` with a hint about the browser or system setting to check.
 * The camera permission is read from the Permissions API where there is one, and followed: a
 * user who allows the camera in the browser's settings is back in `prompt`. Nothing is stored;
 * the stream stops on `stop()` and on unmount.
 */
export function useCamera(options: UseCameraOptions = {}): UseCameraResult {
  const [state, send, ref] = useMachine(cameraReducer, () => cameraInitialState)
  const latest = useRef(options)
  latest.current = options
  const userAgent = useRef('')
  const video = useRef<HTMLVideoElement | null>(null)
  const live = useRef({ mounted: false, started: false })
  const constraints = options.constraints ?? DEFAULT_CONSTRAINTS

  const devices = (): MediaDevicesSource | null | undefined =>
    latest.current.mediaDevices !== undefined ? latest.current.mediaDevices : globalThis.navigator?.mediaDevices

  const snapshot = () => snapshotOf(ref.current, userAgent.current)

  async function start(): Promise<CameraSnapshot> {
    const source = devices()
    const unsupported = cameraSupportFailure(source, globalThis.isSecureContext)
    if (unsupported) {
      send(unsupported)
      return snapshot()
    }
    if (!send({ type: 'request' }) || latest.current.external) return snapshot()
    let stream: MediaStream
    try {
      stream = await source!.getUserMedia({ video: latest.current.constraints ?? DEFAULT_CONSTRAINTS, audio: false })
    } catch (error) {
      if (live.current.mounted) send(cameraFailureOf(error))
      return snapshot()
    }
    // Unmounted or stopped meanwhile: the stream is not wanted any more.
    if (!live.current.mounted || !send({ type: 'started', stream })) release(stream)
    return snapshot()
  }

  const stop = () => {
    const { stream } = ref.current
    if (send({ type: 'stopped' }) && !latest.current.external) release(stream)
  }

  useEffect(() => {
    const l = live.current
    l.mounted = true
    userAgent.current = latest.current.userAgent ?? globalThis.navigator?.userAgent ?? ''
    let status: PermissionStatus | null = null
    let active = true
    const follow = () => {
      if (!status) return
      const { stream } = ref.current
      // Access revoked while streaming: the stream is of no use any more.
      if (send({ type: 'permission', permission: status.state }) && !ref.current.stream && !latest.current.external) release(stream)
    }
    const permissions = latest.current.permissions !== undefined ? latest.current.permissions : globalThis.navigator?.permissions
    permissions
      ?.query({ name: 'camera' as PermissionName })
      .then((s) => {
        if (!active) return
        status = s
        follow()
        s.addEventListener('change', follow)
      })
      // Browsers that do not know the camera permission: it stays `unknown`.
      .catch(() => {})
    if (latest.current.autoStart && !l.started) {
      l.started = true
      void start()
    }
    return () => {
      l.mounted = false
      active = false
      status?.removeEventListener('change', follow)
      // StrictMode unmounts and remounts at once: only a real unmount lets go of the camera.
      queueMicrotask(() => {
        if (l.mounted || latest.current.external) return
        release(ref.current.stream)
        send({ type: 'stopped' })
      })
    }
  }, [])

  // Show the stream in the video, and notice when the camera goes away on its own.
  const { stream } = state
  useEffect(() => {
    if (video.current && video.current.srcObject !== stream) video.current.srcObject = stream
    if (!stream) return
    const ended = () => send({ ...cameraFailureOf(new DOMException('The camera stopped', 'NotReadableError')), problem: 'interrupted' })
    const tracks = stream.getVideoTracks()
    for (const track of tracks) track.addEventListener('ended', ended)
    return () => {
      for (const track of tracks) track.removeEventListener('ended', ended)
    }
  }, [stream])

  const setVideo = useCallback((element: HTMLVideoElement | null) => {
    video.current = element
    const current = ref.current.stream
    if (element && element.srcObject !== current) element.srcObject = current
  }, [])

  const onUserMedia = (stream: MediaStream) => {
    if (!send({ type: 'started', stream })) release(stream)
  }
  const onUserMediaError = (error: string | Error) => void send(cameraFailureOf(error))

  return {
    ...snapshotOf(state, userAgent.current),
    start,
    stop,
    capture: (captureOptions) =>
      video.current ? captureFrame(video.current, captureOptions) : Promise.reject(new Error('No video shows the camera')),
    getVideoProps: (props) =>
      mergeProps<CameraVideoProps, NonNullable<typeof props>>({ ref: setVideo, autoPlay: true, muted: true, playsInline: true }, props),
    getStartProps: (props) =>
      mergeProps<ActionButtonProps, NonNullable<typeof props>>(
        {
          type: 'button',
          disabled: state.requesting || state.status === 'streaming',
          onClick: () => void start(),
        },
        props,
      ),
    getWebcamProps: (props) =>
      mergeProps<WebcamProps, NonNullable<typeof props>>(
        { audio: false, videoConstraints: constraints, onUserMedia, onUserMediaError },
        props,
      ),
  }
}
