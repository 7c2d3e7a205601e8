import { forwardRef } from 'react'
import type { UploadProgressProps } from '@mfa-kit/hooks/face'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import type { FlowFeedback } from '../shared/flow'

export interface FaceProgressProps extends PrimitiveProps<'div'> {
  /** The photos are being uploaded; otherwise the server is checking them. */
  uploading: boolean
  /** The flow hook's props for the `<progress>` (`getProgressProps()`). */
  progress: UploadProgressProps
  /** The bar's label and the words for each stage. */
  texts: { progressLabel: string; uploading: string; checking: string }
}

/** A progress bar while photos are sent and checked, and what is happening in words. */
export const FaceProgress = forwardRef<HTMLDivElement, FaceProgressProps>(function FaceProgress(
  { uploading, progress, texts, ...props },
  ref,
) {
  return (
    <Primitive.div data-part="face-progress-field" {...props} ref={ref}>
      {props.children ?? (
        <>
          <progress data-part="face-progress" aria-label={texts.progressLabel} {...progress} />
          <p data-part="face-progress-text">{uploading ? texts.uploading : texts.checking}</p>
        </>
      )}
    </Primitive.div>
  )
})

/** A face flow's feedback (why a photo was refused, or how long to wait); nothing when there is none. */
export const FaceFeedbackText = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'> & { feedback: FlowFeedback }>(
  function FaceFeedbackText({ feedback, ...props }, ref) {
    const text = props.children ?? feedback.message
    if (!text) return null
    return (
      <Primitive.p data-part="face-error" data-invalid={feedback.invalid ? '' : undefined} {...props} ref={ref}>
        {text}
      </Primitive.p>
    )
  },
)
