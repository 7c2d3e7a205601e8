import { createContext, forwardRef, useContext } from 'react'
import { useFaceVerify } from '@mfa-kit/hooks/face'
import type { FaceVerifyStatus, UseFaceVerifyOptions, UseFaceVerifyResult } from '@mfa-kit/hooks/face'
import { FaceCaptureRoot, splitCaptureOptions } from '../face-capture/face-capture'
import type { FaceCaptureOptions, FaceCaptureRootProps } from '../face-capture/face-capture'
import { FaceFeedbackText, FaceProgress } from '../face-capture/face-status'
import { useMfaLocale } from '../i18n/provider'
import type { PrimitiveProps } from '../primitives/primitive'
import { Description, endedTexts, ExpiredStep, Heading, Restart, Step, useFlowFeedback } from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'
import { FlowRootElement, useFlowRoot, withLocale } from '../shared/flow-root'
import type { FlowRootProps, LocaleProps } from '../shared/flow-root'

export type { FaceCaptureOptions }

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

export interface FaceChallengeRootProps extends PrimitiveProps<'div'>, UseFaceVerifyOptions, FaceCaptureOptions, FlowRootProps {}

const ChallengeRoot = forwardRef<HTMLDivElement, Omit<FaceChallengeRootProps, keyof LocaleProps>>(
  function ChallengeRoot(rootProps, forwardedRef) {
    const [capture, { mfaToken, onVerified, onExpired, onUnavailable, onRestart, children, ...props }] = splitCaptureOptions(rootProps)
    const face = useFaceVerify({ mfaToken, onVerified, onExpired, onUnavailable })
    const { messages } = useMfaLocale()
    const step = faceChallengeStep(face.status)
    const frame = useFlowRoot(step, forwardedRef)
    const feedback = useFlowFeedback(face, frame.root, frame.announce)

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

    return (
      <FlowRootElement
        part="face-challenge"
        state={face.status}
        flow={flow}
        frame={frame}
        provide={(rootElement) => (
          <FaceChallengeContext.Provider value={{ face, step, feedback }}>{rootElement}</FaceChallengeContext.Provider>
        )}
        {...props}
      >
        {children ?? <DefaultLayout capture={capture} />}
      </FlowRootElement>
    )
  },
)

/**
 * Finishes a sign-in with a photo of the user's face (`useFaceVerify`), taken with the camera or
 * uploaded. A refused photo says why and lets the user take another, until the server's throttle
 * makes them wait or ends the sign-in. Without children it renders every step.
 *
 * `data-state`: the `useFaceVerify` status; `data-step`: `capture` | `verified` | `expired` | `unavailable`.
 */
export const FaceChallengeRoot = withLocale<FaceChallengeRootProps>('FaceChallengeRoot', ChallengeRoot)

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
      <ExpiredStep />
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
  if (face.status !== 'uploading' && face.status !== 'verifying') return null
  return (
    <FaceProgress
      uploading={face.status === 'uploading'}
      progress={face.getProgressProps()}
      texts={messages.faceChallenge}
      {...props}
      ref={ref}
    />
  )
})

/** Why the last photo was refused, or how long to wait. The root announces it once, politely. */
export const FaceChallengeError = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function FaceChallengeError(props, ref) {
  const { feedback } = useFaceChallenge()
  return <FaceFeedbackText feedback={feedback} {...props} ref={ref} />
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
