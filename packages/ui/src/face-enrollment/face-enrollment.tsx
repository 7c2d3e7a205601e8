import { createContext, forwardRef, useContext } from 'react'
import { composeEventHandlers } from '@mfa-kit/hooks'
import { useFaceBinding } from '@mfa-kit/hooks/face'
import type { FaceBindingStatus, UseFaceBindingOptions, UseFaceBindingResult } from '@mfa-kit/hooks/face'
import { FaceCaptureRoot, splitCaptureOptions } from '../face-capture/face-capture'
import type { FaceCaptureOptions, FaceCaptureRootProps } from '../face-capture/face-capture'
import { FaceFeedbackText, FaceProgress } from '../face-capture/face-status'

import { formatMessage, useMfaLocale } from '../i18n/provider'
import { Reverification } from '../reverification/reverification'
import type { ReverificationProps } from '../reverification/reverification'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { Description, endedTexts, ExpiredStep, Heading, Restart, Step, useFlowFeedback } from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'
import { FlowRootElement, useFlowRoot, withLocale } from '../shared/flow-root'
import type { FlowRootProps, LocaleProps } from '../shared/flow-root'

/** The steps of a face binding, as `data-step` on the root. */
export type FaceEnrollmentStep = 'capture' | 'reverify' | 'done' | 'unavailable' | 'expired'

export function faceEnrollmentStep(status: FaceBindingStatus): FaceEnrollmentStep {
  if (status === 'reverifying') return 'reverify'
  if (status === 'done' || status === 'unavailable' || status === 'expired') return status
  return 'capture'
}

export interface FaceEnrollmentContextValue {
  /** Everything `useFaceBinding` returns. */
  binding: UseFaceBindingResult
  step: FaceEnrollmentStep
  /** Why the binding was refused, or how long to wait, announced when it appears. */
  feedback: FlowFeedback
}

const FaceEnrollmentContext = createContext<FaceEnrollmentContextValue | null>(null)

/** The binding's state, for parts of your own inside `<FaceEnrollment.Root>`. */
export function useFaceEnrollment(): FaceEnrollmentContextValue {
  const ctx = useContext(FaceEnrollmentContext)
  if (!ctx) throw new Error('useFaceEnrollment and the FaceEnrollment parts must be used inside <FaceEnrollment.Root>')
  return ctx
}

export interface FaceEnrollmentRootProps extends PrimitiveProps<'div'>, UseFaceBindingOptions, FaceCaptureOptions, FlowRootProps {}

const EnrollmentRoot = forwardRef<HTMLDivElement, Omit<FaceEnrollmentRootProps, keyof LocaleProps>>(
  function EnrollmentRoot(rootProps, forwardedRef) {
    const [capture, { mfaToken, onDone, onVerified, onExpired, onUnavailable, onRestart, children, ...props }] =
      splitCaptureOptions(rootProps)
    const binding = useFaceBinding({ mfaToken, onDone, onVerified, onExpired, onUnavailable })
    const { messages } = useMfaLocale()
    const step = faceEnrollmentStep(binding.status)
    const frame = useFlowRoot(step, forwardedRef)
    const feedback = useFlowFeedback(binding, frame.root, frame.announce)

    const m = messages.faceEnrollment
    const [title, description] =
      step === 'reverify'
        ? [m.reverifyTitle, m.reverifyIntro]
        : step === 'done'
          ? [m.doneTitle, m.doneIntro]
          : step === 'unavailable'
            ? [m.unavailableTitle, null]
            : step === 'expired'
              ? endedTexts(messages, binding.error)
              : [m.title, binding.data.photo === 'compare' ? m.introCompare : m.introBase]
    const flow: FlowContextValue = { step, title, description, restart: onRestart }

    return (
      <FlowRootElement
        part="face-enrollment"
        state={binding.status}
        flow={flow}
        frame={frame}
        provide={(rootElement) => (
          <FaceEnrollmentContext.Provider value={{ binding, step, feedback }}>{rootElement}</FaceEnrollmentContext.Provider>
        )}
        data-photo={binding.data.photo ?? undefined}
        {...props}
      >
        {children ?? <DefaultLayout capture={capture} />}
      </FlowRootElement>
    )
  },
)

/**
 * Binds a face (`useFaceBinding`): two photos of it, from the camera or uploaded, then the
 * binding. Without `mfaToken` the signed-in user binds; a sign-in that is too old is asked for a
 * fresh proof in place. Without children it renders every step.
 *
 * `data-state`: the `useFaceBinding` status; `data-step`: `capture` | `reverify` | `done` |
 * `unavailable` | `expired`; `data-photo`: `base` or `compare` while a photo is wanted.
 */
export const FaceEnrollmentRoot = withLocale<FaceEnrollmentRootProps>('FaceEnrollmentRoot', EnrollmentRoot)

function DefaultLayout({ capture }: { capture: FaceCaptureOptions }) {
  return (
    <>
      <Step step="capture">
        <Heading />
        <FaceEnrollmentPhotoCount />
        <Description />
        <FaceEnrollmentCapture {...capture} />
        <FaceEnrollmentRetakeFirst />
        <FaceEnrollmentProgress />
        <FaceEnrollmentError />
      </Step>
      <Step step="reverify">
        <FaceEnrollmentReverify />
      </Step>
      <Step step="done">
        <Heading />
        <Description />
      </Step>
      <Step step="unavailable">
        <Heading />
        <FaceEnrollmentError />
      </Step>
      <ExpiredStep />
    </>
  )
}

/**
 * The camera and the upload (a `FaceCapture`), handing each photo to the binding. It stays
 * mounted across both photos and the upload, so the camera stays on.
 */
export const FaceEnrollmentCapture = forwardRef<HTMLDivElement, Omit<FaceCaptureRootProps, 'onCapture'>>(
  function FaceEnrollmentCapture(props, ref) {
    const { binding } = useFaceEnrollment()
    const wanted = binding.status === 'capturing_base' || binding.status === 'capturing_compare'
    return <FaceCaptureRoot onCapture={(photo) => binding.capture(photo)} disabled={!wanted} {...props} ref={ref} />
  },
)

/** "Photo 1 of 2" while a photo is wanted. */
export const FaceEnrollmentPhotoCount = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(
  function FaceEnrollmentPhotoCount(props, ref) {
    const { binding } = useFaceEnrollment()
    const { messages } = useMfaLocale()
    const { photo } = binding.data
    if (!photo) return null
    return (
      <Primitive.p data-part="face-photo-count" data-photo={photo} {...props} ref={ref}>
        {props.children ?? formatMessage(messages.faceEnrollment.photoCount, { n: photo === 'base' ? 1 : 2 })}
      </Primitive.p>
    )
  },
)

/** "Retake the first photo", while the second is wanted. */
export const FaceEnrollmentRetakeFirst = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(
  function FaceEnrollmentRetakeFirst(props, ref) {
    const { binding } = useFaceEnrollment()
    const { messages } = useMfaLocale()
    if (binding.status !== 'capturing_compare') return null
    const { disabled: _, ...button } = binding.getRetakeProps()
    return (
      <Primitive.button
        data-part="face-retake-first"
        data-variant="link"
        {...button}
        {...props}
        onClick={composeEventHandlers(props.onClick, button.onClick)}
        ref={ref}
      >
        {props.children ?? messages.faceEnrollment.retakeFirst}
      </Primitive.button>
    )
  },
)

/** While the photos are sent and checked: a progress bar, and what is happening in words. */
export const FaceEnrollmentProgress = forwardRef<HTMLDivElement, PrimitiveProps<'div'>>(function FaceEnrollmentProgress(props, ref) {
  const { binding } = useFaceEnrollment()
  const { messages } = useMfaLocale()
  if (binding.status !== 'uploading' && binding.status !== 'binding') return null
  return (
    <FaceProgress
      uploading={binding.status === 'uploading'}
      progress={binding.getProgressProps()}
      texts={messages.faceEnrollment}
      {...props}
      ref={ref}
    />
  )
})

/** Why the binding was refused, or how long to wait. The root announces it once, politely. */
export const FaceEnrollmentError = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function FaceEnrollmentError(props, ref) {
  const { feedback } = useFaceEnrollment()
  return <FaceFeedbackText feedback={feedback} {...props} ref={ref} />
})

/**
 * The fresh proof a sign-in that is too old must give before a face is added (a `Reverification`:
 * a code from the authenticator app, the phone or the email, or the password of an account with
 * no factor). The binding goes on by itself once it is accepted.
 */
export const FaceEnrollmentReverify = forwardRef<HTMLDivElement, Omit<ReverificationProps, 'reverification'>>(
  function FaceEnrollmentReverify(props, ref) {
    const { binding } = useFaceEnrollment()
    const { messages } = useMfaLocale()
    const m = messages.faceEnrollment
    return (
      <Reverification reverification={binding.reverification} title={m.reverifyTitle} description={m.reverifyIntro} {...props} ref={ref} />
    )
  },
)

/** Binding a face from two photos, as a root with parts. */
export const FaceEnrollment = {
  Root: FaceEnrollmentRoot,
  Step,
  Heading,
  Description,
  PhotoCount: FaceEnrollmentPhotoCount,
  Capture: FaceEnrollmentCapture,
  RetakeFirst: FaceEnrollmentRetakeFirst,
  Progress: FaceEnrollmentProgress,
  Error: FaceEnrollmentError,
  Reverify: FaceEnrollmentReverify,
  Restart,
}
