import { Component, Suspense, createContext, forwardRef, lazy, useContext, useEffect, useRef, useState } from 'react'
import type { ChangeEvent, ComponentType, MouseEvent, ReactNode, Ref, RefObject } from 'react'
import { mergeProps } from '@mfa-kit/hooks'
import { captureFrame, PHOTO_TYPES, useCamera, useFacePrecheck } from '@mfa-kit/hooks/face'
import type { FacePrecheckOptions, MediaDevicesSource, PermissionsSource, UseCameraResult, WebcamProps } from '@mfa-kit/hooks/face'
import { formatMessage, MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaLocale, MfaMessagesOverride } from '../i18n/types'
import { AnnounceProvider, useAnnouncer } from '../primitives/announcer'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { cameraHintText } from './hint-text'

/** What react-webcam's `<Webcam>` is to this component: the props it is given, and its video. */
type WebcamComponent = ComponentType<
  WebcamProps & {
    mirrored: false
    className: string | undefined
    'data-part': string
    'aria-hidden': true
    ref?: Ref<{ video: HTMLVideoElement | null }>
  }
>

// react-webcam is fetched only when a camera is first turned on. It is a CommonJS module: its
// class is the default export, or the default export's own default under some interop.
const loadWebcam = () =>
  import('react-webcam').then((m) => {
    const exported = m.default as unknown as { default?: unknown }
    return { default: (exported.default ?? exported) as WebcamComponent }
  })
let Webcam = lazy(loadWebcam)

/**
 * Reports a react-webcam that could not be loaded (offline, a blocked chunk) as a camera that did
 * not start, instead of breaking the page; the next try loads it again.
 */
class WebcamBoundary extends Component<{ onError: (error: Error) => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  override componentDidCatch(error: Error) {
    Webcam = lazy(loadWebcam)
    this.props.onError(error)
  }
  override render() {
    return this.state.failed ? null : this.props.children
  }
}

/**
 * The steps of a capture, as `data-step` on the root: `intro` (camera off), `starting` (the
 * browser may be asking), `live`, `countdown`, `checking` (the optional pre-check), `review`
 * (the photo taken, to use or retake), `fallback` (the camera does not work: a hint and an upload).
 */
export type FaceCaptureStep = 'intro' | 'starting' | 'live' | 'countdown' | 'checking' | 'review' | 'fallback'

type Phase = 'live' | 'countdown' | 'checking' | 'review'

export function faceCaptureStep(camera: Pick<UseCameraResult, 'status' | 'data'>, phase: Phase): FaceCaptureStep {
  if (camera.status === 'streaming') return phase
  if (camera.data.requesting) return 'starting'
  return camera.status === 'prompt' ? 'intro' : 'fallback'
}

export interface FaceCaptureContextValue {
  /** Everything `useCamera` returns. */
  camera: UseCameraResult
  step: FaceCaptureStep
  /** Seconds left before the photo, during `countdown`. */
  secondsLeft: number
  /** The text that says what is happening now. */
  status: string | null
  /** Why the last photo was not taken or kept (no face in view, more than one), if so. */
  notice: string | null
  /** What to check when the camera does not work, in `fallback`. */
  hint: { title: string; text: string } | null
  /** The flow using the photos is busy: no new photo now. */
  disabled: boolean
  /** The camera is opened by react-webcam (false with an injected `mediaDevices`). */
  external: boolean
  start: () => void
  shoot: () => void
  cancel: () => void
  retake: () => void
  confirm: () => void
  upload: (photo: File) => void
  videoRef: RefObject<HTMLVideoElement | null>
  webcamRef: RefObject<{ video: HTMLVideoElement | null } | null>
  stillRef: RefObject<HTMLCanvasElement | null>
}

const FaceCaptureContext = createContext<FaceCaptureContextValue | null>(null)

/** The capture's state, for parts of your own inside `<FaceCapture.Root>`. */
export function useFaceCapture(): FaceCaptureContextValue {
  const ctx = useContext(FaceCaptureContext)
  if (!ctx) throw new Error('useFaceCapture and the FaceCapture parts must be used inside <FaceCapture.Root>')
  return ctx
}

export interface FaceCaptureRootProps extends PrimitiveProps<'div'> {
  /** Called with each photo the user takes and keeps, or uploads. */
  onCapture: (photo: Blob) => unknown
  /** The flow that takes the photos is busy (sending, checking): no photo can be taken now. */
  disabled?: boolean
  /** Seconds counted down before the photo; 0 takes it at once. @default 3 */
  countdown?: number
  /** The optional in-browser pre-check: URLs of face-api's module, model and wasm files (no CDN default). */
  precheck?: FacePrecheckOptions
  /** Turn the camera on at once instead of after "Turn on camera". @default false */
  autoStart?: boolean
  /**
   * A camera source of your own (`{ getUserMedia }`), for tests, demos with a generated feed, or
   * native shells. Without it, react-webcam opens the browser's camera.
   */
  mediaDevices?: MediaDevicesSource
  /** Where the camera permission is read from; `null` to not ask. @default navigator.permissions */
  permissions?: PermissionsSource | null
  /** @default the front camera, ideally 1280×720 */
  videoConstraints?: MediaTrackConstraints
  /** The browser the hints are for. @default navigator.userAgent */
  userAgent?: string
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

/** Options of the camera and the photo, passed to the `FaceCapture` inside. */
export type FaceCaptureOptions = Pick<FaceCaptureRootProps, (typeof CAPTURE_OPTIONS)[number]>

const CAPTURE_OPTIONS = ['countdown', 'precheck', 'autoStart', 'mediaDevices', 'permissions', 'videoConstraints', 'userAgent'] as const

/** A face Root's props split in two: the options of the `FaceCapture` inside, and the rest. */
export function splitCaptureOptions<P extends FaceCaptureOptions>(props: P): [FaceCaptureOptions, Omit<P, keyof FaceCaptureOptions>] {
  const capture: Record<string, unknown> = {}
  const rest: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(props)) ((CAPTURE_OPTIONS as readonly string[]).includes(key) ? capture : rest)[key] = value
  return [capture as FaceCaptureOptions, rest as Omit<P, keyof FaceCaptureOptions>]
}

/**
 * Takes a photo of the user's face: a mirrored preview with an oval guide, a countdown, the photo
 * to use or retake, and, when the camera is refused or missing, what to check and a photo upload
 * instead. Without children it renders every part.
 *
 * `data-state`: the camera's status; `data-step`: see {@link FaceCaptureStep}.
 */
export const FaceCaptureRoot = forwardRef<HTMLDivElement, FaceCaptureRootProps>(function FaceCaptureRoot(
  { locale, messages, ...props },
  ref,
) {
  return (
    <MfaLocaleProvider locale={locale} messages={messages}>
      <CaptureRoot {...props} ref={ref} />
    </MfaLocaleProvider>
  )
})

const CaptureRoot = forwardRef<HTMLDivElement, Omit<FaceCaptureRootProps, 'locale' | 'messages'>>(function CaptureRoot(
  {
    onCapture,
    disabled = false,
    countdown = 3,
    precheck: precheckOptions,
    autoStart,
    mediaDevices,
    permissions,
    videoConstraints,
    userAgent,
    children,
    ...props
  },
  forwardedRef,
) {
  const external = !mediaDevices
  const camera = useCamera({ mediaDevices, permissions, constraints: videoConstraints, autoStart, external, userAgent })
  const precheck = useFacePrecheck(precheckOptions)
  const { locale, messages } = useMfaLocale()
  const m = messages.faceCapture
  const { announce, region } = useAnnouncer()
  const [phase, setPhase] = useState<Phase>('live')
  const [secondsLeft, setSecondsLeft] = useState(0)
  const [notice, setNotice] = useState<string | null>(null)
  const photo = useRef<Blob | null>(null)
  const root = useRef<HTMLDivElement | null>(null)
  const ref = useComposedRefs(root, forwardedRef)
  const videoRef = useRef<HTMLVideoElement | null>(null)
  const webcamRef = useRef<{ video: HTMLVideoElement | null } | null>(null)
  const stillRef = useRef<HTMLCanvasElement | null>(null)
  const live = useRef(true)
  const step = faceCaptureStep(camera, phase)
  const hint =
    step === 'fallback' && camera.data.hint ? { title: fallbackTitle(camera.status, m), text: cameraHintText(camera.data.hint, m) } : null

  useEffect(() => {
    live.current = true
    return () => {
      live.current = false
    }
  }, [])

  // The camera went off: whatever was under way with it is over.
  useEffect(() => {
    if (camera.status !== 'streaming') {
      photo.current = null
      setPhase('live')
    }
  }, [camera.status])

  const say = (text: string) => {
    setNotice(text)
    announce(text)
  }

  const take = async () => {
    const video = external ? webcamRef.current?.video : videoRef.current
    let taken: Blob
    try {
      if (!video) throw new Error('No video')
      taken = await captureFrame(video, { canvas: stillRef.current })
    } catch {
      if (live.current) {
        setPhase('live')
        say(messages.errors.unknown)
      }
      return
    }
    if (!live.current) return
    if (precheck.status !== 'off') {
      setPhase('checking')
      const found = await precheck.check(stillRef.current ?? taken)
      if (!live.current) return
      if (found && found.faces !== 1) {
        setPhase('live')
        say(found.faces === 0 ? m.noFace : m.manyFaces)
        return
      }
    }
    photo.current = taken
    setPhase('review')
    announce(m.review)
  }

  // What the effects below need of this render.
  const latest = useRef({ onCapture, disabled, take, announce, m, precheck, hint })
  latest.current = { onCapture, disabled, take, announce, m, precheck, hint }

  // The countdown: one tick a second, then the photo.
  useEffect(() => {
    if (step !== 'countdown') return
    if (secondsLeft <= 0) {
      void latest.current.take()
      return
    }
    const id = setTimeout(() => setSecondsLeft((s) => s - 1), 1000)
    return () => clearTimeout(id)
  }, [step, secondsLeft])

  // Say what is happening when the camera starts, comes on or fails.
  const previous = useRef(step)
  useEffect(() => {
    const was = previous.current
    previous.current = step
    if (was === step) return
    const { announce, m, precheck, hint } = latest.current
    if (step === 'starting') announce(m.starting)
    else if (step === 'live' && (was === 'starting' || was === 'intro')) {
      announce(m.live)
      // Load the pre-check while the user gets ready.
      if (precheck.status === 'idle') void precheck.load()
    } else if (step === 'fallback' && hint) {
      announce(`${hint.title} ${hint.text}`)
    }
    // Keep focus on the controls of the step, when it was on the ones that went away.
    const focused = root.current?.ownerDocument.activeElement
    const lost = !focused || focused === root.current?.ownerDocument.body || !root.current?.contains(focused)
    const target = step === 'review' ? 'face-confirm' : step === 'live' && was !== 'countdown' ? 'face-shutter' : null
    if (target && (lost || was === 'review' || was === 'checking'))
      root.current?.querySelector<HTMLElement>(`[data-part="${target}"]`)?.focus()
  }, [step])

  const handOver = (taken: Blob) => {
    setNotice(null)
    void latest.current.onCapture(taken)
  }

  const ctx: FaceCaptureContextValue = {
    camera,
    step,
    secondsLeft,
    status: statusText(step, m),
    notice,
    hint,
    disabled,
    external,
    start: () => {
      setNotice(null)
      void camera.start()
    },
    shoot: () => {
      if (step !== 'live' || latest.current.disabled) return
      setNotice(null)
      if (countdown <= 0) {
        void take()
        return
      }
      setSecondsLeft(countdown)
      setPhase('countdown')
      announce(formatMessage(m.countdown, { seconds: countdown }))
    },
    cancel: () => {
      if (step === 'countdown') setPhase('live')
    },
    retake: () => {
      photo.current = null
      setNotice(null)
      setPhase('live')
    },
    confirm: () => {
      const taken = photo.current
      if (!taken || latest.current.disabled) return
      photo.current = null
      setPhase('live')
      handOver(taken)
    },
    upload: (file) => {
      if (latest.current.disabled) return
      setNotice(null)
      void (async () => {
        if (precheck.status !== 'off') {
          const found = await precheck.check(file)
          if (!live.current) return
          if (found && found.faces !== 1) {
            say(found.faces === 0 ? m.noFace : m.manyFaces)
            return
          }
        }
        handOver(file)
      })()
    },
    videoRef,
    webcamRef,
    stillRef,
  }

  return (
    <AnnounceProvider value={announce}>
      <FaceCaptureContext.Provider value={ctx}>
        <Primitive.div
          data-mfa=""
          data-part="face-capture"
          data-state={camera.status}
          data-step={step}
          data-disabled={disabled ? '' : undefined}
          lang={locale}
          {...props}
          ref={ref}
        >
          {children ?? <DefaultLayout />}
        </Primitive.div>
        {region}
      </FaceCaptureContext.Provider>
    </AnnounceProvider>
  )
})

function statusText(step: FaceCaptureStep, m: ReturnType<typeof useMfaLocale>['messages']['faceCapture']): string | null {
  switch (step) {
    case 'intro':
      return m.intro
    case 'starting':
      return m.starting
    case 'live':
    case 'countdown':
      return m.live
    case 'checking':
      return m.checking
    case 'review':
      return m.review
    default:
      return null
  }
}

function fallbackTitle(status: UseCameraResult['status'], m: ReturnType<typeof useMfaLocale>['messages']['faceCapture']): string {
  return status === 'denied' ? m.deniedTitle : status === 'unavailable' ? m.unavailableTitle : m.errorTitle
}

function DefaultLayout() {
  return (
    <>
      <FaceCaptureViewport>
        <FaceCaptureVideo />
        <FaceCaptureStill />
        <FaceCaptureGuide />
        <FaceCaptureCountdown />
      </FaceCaptureViewport>
      <FaceCaptureStatus />
      <FaceCaptureHint />
      <div data-part="actions">
        <FaceCaptureStart />
        <FaceCaptureShutter />
        <FaceCaptureConfirm />
        <FaceCaptureRetake />
      </div>
      <FaceCaptureUpload />
    </>
  )
}

/** The frame of the preview and the still; not shown while the camera does not work. */
export const FaceCaptureViewport = forwardRef<HTMLDivElement, PrimitiveProps<'div'>>(function FaceCaptureViewport(props, ref) {
  const { step } = useFaceCapture()
  if (step === 'fallback') return null
  return <Primitive.div data-part="face-viewport" data-step={step} {...props} ref={ref} />
})

/**
 * The live preview, mirrored by the stylesheet (the photo itself is not). A decoration: the
 * status text says what it shows.
 */
export const FaceCaptureVideo = forwardRef<HTMLVideoElement, { className?: string }>(function FaceCaptureVideo(
  { className },
  forwardedRef,
) {
  const { camera, external, videoRef, webcamRef } = useFaceCapture()
  const ownProps = camera.getVideoProps()
  const ref = useComposedRefs(ownProps.ref, videoRef, forwardedRef)
  if (!camera.data.requesting && camera.status !== 'streaming') return null
  if (!external) return <video {...ownProps} ref={ref} className={className} data-part="face-video" aria-hidden />
  const webcam = camera.getWebcamProps()
  return (
    <WebcamBoundary onError={webcam.onUserMediaError}>
      <Suspense fallback={null}>
        <Webcam {...webcam} mirrored={false} className={className} data-part="face-video" aria-hidden ref={webcamRef} />
      </Suspense>
    </WebcamBoundary>
  )
})

/** The photo just taken, drawn on a canvas (a `blob:` image would need `img-src blob:`). */
export const FaceCaptureStill = forwardRef<HTMLCanvasElement, { className?: string }>(function FaceCaptureStill(
  { className },
  forwardedRef,
) {
  const { step, stillRef } = useFaceCapture()
  const { messages } = useMfaLocale()
  const ref = useComposedRefs(stillRef, forwardedRef)
  const shown = step === 'review' || step === 'checking'
  return (
    <canvas
      ref={ref}
      className={className}
      data-part="face-still"
      role="img"
      aria-label={messages.faceCapture.stillLabel}
      hidden={!shown}
    />
  )
})

/** The oval to put the face in. Decoration only. */
export const FaceCaptureGuide = forwardRef<SVGSVGElement, { className?: string }>(function FaceCaptureGuide({ className }, ref) {
  return (
    <svg
      ref={ref}
      className={className}
      data-part="face-guide"
      viewBox="0 0 100 100"
      preserveAspectRatio="none"
      aria-hidden
      focusable="false"
    >
      <ellipse cx="50" cy="47" rx="27" ry="37" />
    </svg>
  )
})

/** The seconds left before the photo, large over the preview. The start of the countdown is announced. */
export const FaceCaptureCountdown = forwardRef<HTMLSpanElement, PrimitiveProps<'span'>>(function FaceCaptureCountdown(props, ref) {
  const { step, secondsLeft } = useFaceCapture()
  if (step !== 'countdown' || secondsLeft <= 0) return null
  return (
    <Primitive.span data-part="face-countdown" aria-hidden {...props} ref={ref}>
      {props.children ?? secondsLeft}
    </Primitive.span>
  )
})

/** What is happening, in words (announced politely as it changes), and why a photo was not kept. */
export const FaceCaptureStatus = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function FaceCaptureStatus(props, ref) {
  const { status, notice } = useFaceCapture()
  const text = notice ?? status
  if (!text) return null
  return (
    <Primitive.p data-part="face-status" data-notice={notice ? '' : undefined} {...props} ref={ref}>
      {props.children ?? text}
    </Primitive.p>
  )
})

/** When the camera does not work: what is wrong, which setting to check, and the upload instead. */
export const FaceCaptureHint = forwardRef<HTMLDivElement, PrimitiveProps<'div'>>(function FaceCaptureHint(props, ref) {
  const { hint } = useFaceCapture()
  const { messages } = useMfaLocale()
  if (!hint) return null
  return (
    <Primitive.div data-part="face-hint" {...props} ref={ref}>
      {props.children ?? (
        <>
          <p data-part="face-hint-title">{hint.title}</p>
          <p data-part="face-hint-text">{hint.text}</p>
          <p data-part="face-hint-upload">{messages.faceCapture.uploadInstead}</p>
        </>
      )}
    </Primitive.div>
  )
})

/** Props of a button that stays focusable while it cannot act (`aria-disabled`; a click is refused). */
function actionProps<P extends object>(part: string, unavailable: boolean, act: () => void, variant: string, props: P) {
  return mergeProps(
    {
      type: 'button' as const,
      'data-part': part,
      'data-variant': variant,
      'aria-disabled': unavailable || undefined,
      onClick: (event: MouseEvent<HTMLButtonElement>) => {
        if (unavailable) event.preventDefault()
        else act()
      },
    },
    props,
  )
}

/** "Turn on camera" before it is on, "Try the camera again" after it failed (when trying can help). */
export const FaceCaptureStart = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function FaceCaptureStart(props, ref) {
  const { step, camera, start } = useFaceCapture()
  const { messages } = useMfaLocale()
  const problem = camera.data.hint?.problem
  const hopeless = problem === 'insecure_context' || problem === 'not_supported' || problem === 'blocked_by_policy'
  if ((step !== 'intro' && step !== 'fallback') || hopeless) return null
  const label = step === 'intro' ? messages.faceCapture.start : messages.faceCapture.retry
  return (
    <Primitive.button {...actionProps('face-start', false, start, step === 'intro' ? 'primary' : 'secondary', props)} ref={ref}>
      {props.children ?? label}
    </Primitive.button>
  )
})

/** "Take photo": starts the countdown; during it, the same button cancels it. */
export const FaceCaptureShutter = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function FaceCaptureShutter(props, ref) {
  const { step, disabled, shoot, cancel } = useFaceCapture()
  const { messages } = useMfaLocale()
  if (step !== 'live' && step !== 'countdown') return null
  const counting = step === 'countdown'
  return (
    <Primitive.button
      {...actionProps('face-shutter', disabled && !counting, counting ? cancel : shoot, counting ? 'secondary' : 'primary', props)}
      data-counting={counting ? '' : undefined}
      ref={ref}
    >
      {props.children ?? (counting ? messages.faceCapture.cancel : messages.faceCapture.shutter)}
    </Primitive.button>
  )
})

/** "Use this photo", once taken. */
export const FaceCaptureConfirm = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function FaceCaptureConfirm(props, ref) {
  const { step, disabled, confirm } = useFaceCapture()
  const { messages } = useMfaLocale()
  if (step !== 'review') return null
  return (
    <Primitive.button {...actionProps('face-confirm', disabled, confirm, 'primary', props)} ref={ref}>
      {props.children ?? messages.faceCapture.confirm}
    </Primitive.button>
  )
})

/** "Retake", once taken. */
export const FaceCaptureRetake = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function FaceCaptureRetake(props, ref) {
  const { step, retake } = useFaceCapture()
  const { messages } = useMfaLocale()
  if (step !== 'review') return null
  return (
    <Primitive.button {...actionProps('face-retake', false, retake, 'secondary', props)} ref={ref}>
      {props.children ?? messages.faceCapture.retake}
    </Primitive.button>
  )
})

export interface FaceCaptureUploadProps extends PrimitiveProps<'label'> {
  /** Offer the upload while the camera is on too. @default false: before the camera is on, and when it does not work */
  always?: boolean
}

/**
 * "Upload a photo instead": a label around a file input for JPEG, PNG or WebP photos, visually
 * hidden but focusable. Shown before the camera is on and when it does not work.
 */
export const FaceCaptureUpload = forwardRef<HTMLLabelElement, FaceCaptureUploadProps>(function FaceCaptureUpload(
  { always = false, children, ...props },
  ref,
) {
  const { step, disabled, upload } = useFaceCapture()
  const { messages } = useMfaLocale()
  if (!always && step !== 'intro' && step !== 'fallback') return null
  const change = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0]
    event.currentTarget.value = ''
    if (file) upload(file)
  }
  return (
    <Primitive.label data-part="face-upload" data-variant="link" aria-disabled={disabled || undefined} {...props} ref={ref}>
      <input type="file" accept={PHOTO_TYPES} data-part="face-upload-input" disabled={disabled} onChange={change} />
      {children ?? messages.faceCapture.upload}
    </Primitive.label>
  )
})

/** A face photo from the camera or a file, as a root with parts. */
export const FaceCapture = {
  Root: FaceCaptureRoot,
  Viewport: FaceCaptureViewport,
  Video: FaceCaptureVideo,
  Still: FaceCaptureStill,
  Guide: FaceCaptureGuide,
  Countdown: FaceCaptureCountdown,
  Status: FaceCaptureStatus,
  Hint: FaceCaptureHint,
  Start: FaceCaptureStart,
  Shutter: FaceCaptureShutter,
  Confirm: FaceCaptureConfirm,
  Retake: FaceCaptureRetake,
  Upload: FaceCaptureUpload,
}
