import { createContext, forwardRef, useContext, useRef } from 'react'
import type { ReactNode, RefObject } from 'react'
import { useFaceVerify } from '@mfa-kit/hooks/face'
import type { FaceVerifyStatus, UseFaceVerifyOptions, UseFaceVerifyResult } from '@mfa-kit/hooks/face'
import { FaceCaptureRoot } from '../face-capture/face-capture'
import type { FaceCaptureRootProps } from '../face-capture/face-capture'
import { MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaLocale, MfaMessagesOverride } from '../i18n/types'
import { AnnounceProvider, useAnnouncer } from '../primitives/announcer'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { Description, endedTexts, FlowContext, Heading, Restart, Step, useFlowFeedback, useStepFocus } from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'

/** The steps of a face sign-in, as `data-step` on the root. */
export type FaceChallengeStep = 'capture' | 'verified' | 'expired' | 'unavailable'

export function faceChallengeStep(status: FaceVerifyStatus): FaceChallengeStep {
  return status === 'verified' || status === 'expired' || status === 'unavailable' ? status : 'capture'
}

export interface FaceChallengeContextValue {
  /** Everything `useFaceVerify` returns. */
  face: UseFaceVerifyResult
  step: FaceChallengeStep
  /** The message for the photo (why it was refused, or the countdown of a lock), announced when it appears. */
  feedback: FlowFeedback
}

const FaceChallengeContext = createContext<FaceChallengeContextValue | null>(null)

/** The challenge's state, for parts of your own inside `<FaceChallenge.Root>`. */
export function useFaceChallenge(): FaceChallengeContextValue {
  const ctx = useContext(FaceChallengeContext)
  if (!ctx) throw new Error('useFaceChallenge and the FaceChallenge parts must be used inside <FaceChallenge.Root>')
  return ctx
}

/** Options of the camera and the photo, passed to the `FaceCapture` inside. */
export type FaceCaptureOptions = Pick<
  FaceCaptureRootProps,
  'countdown' | 'precheck' | 'autoStart' | 'mediaDevices' | 'permissions' | 'videoConstraints' | 'userAgent'
>

export interface FaceChallengeRootProps extends PrimitiveProps<'div'>, UseFaceVerifyOptions, FaceCaptureOptions {
  /** Called from the expired step's "Sign in again" button; without it the button is not shown. */
  onRestart?: () => void
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

/**
 * Finishes a sign-in with a photo of the user's face (`useFaceVerify`), taken with the camera or
 * uploaded. A refused photo says why and lets the user take another, until the server's throttle
 * makes them wait or ends the sign-in. Without children it renders every step.
 *
 * `data-state`: the `useFaceVerify` status; `data-step`: `capture` | `verified` | `expired` | `unavailable`.
 */
export const FaceChallengeRoot = forwardRef<HTMLDivElement, FaceChallengeRootProps>(function FaceChallengeRoot(
  { locale, messages, ...props },
  ref,
) {
  return (
    <MfaLocaleProvider locale={locale} messages={messages}>
      <ChallengeRoot {...props} ref={ref} />
    </MfaLocaleProvider>
  )
})

const ChallengeRoot = forwardRef<HTMLDivElement, Omit<FaceChallengeRootProps, 'locale' | 'messages'>>(function ChallengeRoot(
  {
    mfaToken,
    onVerified,
    onExpired,
    onUnavailable,
    onRestart,
    countdown,
    precheck,
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
  const face = useFaceVerify({ mfaToken, onVerified, onExpired, onUnavailable })
  const { locale, messages } = useMfaLocale()
  const { announce, region } = useAnnouncer()
  const root = useRef<HTMLDivElement | null>(null)
  const ref = useComposedRefs(root, forwardedRef)
  const step = faceChallengeStep(face.status)
  useStepFocus(step, root)

  const m = messages.faceChallenge
  const [title, description] =
    step === 'verified'
      ? [m.verifiedTitle, null]
      : step === 'expired'
        ? endedTexts(messages, face.error)
        : step === 'unavailable'
          ? [m.unavailableTitle, m.unavailableBody]
          : [m.title, m.intro]
  const flow: FlowContextValue = { step, title, description, restart: onRestart }
  const capture: FaceCaptureOptions = { countdown, precheck, autoStart, mediaDevices, permissions, videoConstraints, userAgent }

  return (
    <AnnounceProvider value={announce}>
      <FlowContext.Provider value={flow}>
        <ChallengeContextProvider face={face} step={step} root={root}>
          <Primitive.div
            data-mfa=""
            data-part="face-challenge"
            data-state={face.status}
            data-step={step}
            lang={locale}
            {...props}
            ref={ref}
          >
            {children ?? <DefaultLayout capture={capture} />}
          </Primitive.div>
          {region}
        </ChallengeContextProvider>
      </FlowContext.Provider>
    </AnnounceProvider>
  )
})

function ChallengeContextProvider(props: {
  face: UseFaceVerifyResult
  step: FaceChallengeStep
  root: RefObject<HTMLDivElement | null>
  children: ReactNode
}) {
  const feedback = useFlowFeedback(props.face, props.root)
  const value: FaceChallengeContextValue = { face: props.face, step: props.step, feedback }
  return <FaceChallengeContext.Provider value={value}>{props.children}</FaceChallengeContext.Provider>
}

function DefaultLayout({ capture }: { capture: FaceCaptureOptions }) {
  return (
    <>
      <Step step="capture">
        <Heading />
        <Description />
        <FaceChallengeCapture {...capture} />
        <FaceChallengeProgress />
        <FaceChallengeError />
      </Step>
      <Step step="verified">
        <Heading />
      </Step>
      <Step step="unavailable">
        <Heading />
        <FaceChallengeError />
        <Description />
      </Step>
      <Step step="expired">
        <Heading />
        <Description />
        <Restart />
      </Step>
    </>
  )
}

/** The camera and the upload (a `FaceCapture`), handing each photo to the challenge. */
export const FaceChallengeCapture = forwardRef<HTMLDivElement, Omit<FaceCaptureRootProps, 'onCapture'>>(
  function FaceChallengeCapture(props, ref) {
    const { face } = useFaceChallenge()
    return <FaceCaptureRoot onCapture={(photo) => face.verify(photo)} disabled={face.status !== 'capturing'} {...props} ref={ref} />
  },
)

/** While the photo is sent and checked: a progress bar, and what is happening in words. */
export const FaceChallengeProgress = forwardRef<HTMLDivElement, PrimitiveProps<'div'>>(function FaceChallengeProgress(props, ref) {
  const { face } = useFaceChallenge()
  const { messages } = useMfaLocale()
  const m = messages.faceChallenge
  if (face.status !== 'uploading' && face.status !== 'verifying') return null
  return (
    <Primitive.div data-part="face-progress-field" {...props} ref={ref}>
      {props.children ?? (
        <>
          <progress data-part="face-progress" aria-label={m.progressLabel} {...face.getProgressProps()} />
          <p data-part="face-progress-text">{face.status === 'uploading' ? m.uploading : m.checking}</p>
        </>
      )}
    </Primitive.div>
  )
})

/** Why the last photo was refused, or how long to wait. The root announces it once, politely. */
export const FaceChallengeError = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function FaceChallengeError(props, ref) {
  const { feedback } = useFaceChallenge()
  const text = props.children ?? feedback.message
  if (!text) return null
  return (
    <Primitive.p data-part="face-error" data-invalid={feedback.invalid ? '' : undefined} {...props} ref={ref}>
      {text}
    </Primitive.p>
  )
})

/** Sign-in with a photo of the face, as a root with parts. */
export const FaceChallenge = {
  Root: FaceChallengeRoot,
  Step,
  Heading,
  Description,
  Capture: FaceChallengeCapture,
  Progress: FaceChallengeProgress,
  Error: FaceChallengeError,
  Restart,
}
