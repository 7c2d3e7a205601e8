import { forwardRef } from 'react'
import type { FormEvent, ReactNode } from 'react'
import { composeEventHandlers } from '@mfa-kit/hooks'
import type { OneTimeCodeState, UseOneTimeCodeResult } from '@mfa-kit/hooks'
import { useMfaLocale } from '../i18n/provider'
import { OneTimeCodeInputRoot } from '../one-time-code-input/one-time-code-input'
import type { OneTimeCodeInputRootProps } from '../one-time-code-input/one-time-code-input'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { submitProps } from './flow'
import type { FlowFeedback } from './flow'

/** What the code parts read of a flow hook's result. */
interface CodeFlow {
  code: OneTimeCodeState
  getCodeInputProps: UseOneTimeCodeResult['getInputProps']
}

export interface FlowCodeFormProps extends PrimitiveProps<'form'> {
  code: OneTimeCodeState
  /** Called with the code when the form is submitted with a complete one. */
  submitCode: (code: string) => unknown
}

/** The form around a flow's code input: submitting hands a complete code to `submitCode`. */
export const FlowCodeForm = forwardRef<HTMLFormElement, FlowCodeFormProps>(function FlowCodeForm({ code, submitCode, ...props }, ref) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (code.isComplete) void submitCode(code.value)
  }
  return <Primitive.form data-part="form" noValidate {...props} onSubmit={composeEventHandlers(props.onSubmit, submit)} ref={ref} />
})

export interface FlowCodeInputProps extends OneTimeCodeInputRootProps {
  flow: CodeFlow
  /** The flow's message under the boxes (error or countdown). */
  feedback: FlowFeedback
}

/** A `OneTimeCodeInput` wired to a flow hook: its code state, its input props and its feedback. */
export const FlowCodeInput = forwardRef<HTMLDivElement, FlowCodeInputProps>(function FlowCodeInput({ flow, feedback, ...props }, ref) {
  return (
    <OneTimeCodeInputRoot
      code={flow.code}
      getInputProps={flow.getCodeInputProps}
      error={feedback.message}
      invalid={feedback.invalid}
      locked={feedback.locked}
      {...props}
      ref={ref}
    />
  )
})

export interface FlowCodeSubmitProps extends PrimitiveProps<'button'> {
  /** The flow is checking the code. */
  busy: boolean
  /** The code cannot be submitted now (incomplete, or the flow is elsewhere). */
  unavailable: boolean
  /** The button's text while not busy. */
  label: ReactNode
}

/** Submits a code form; `aria-disabled` while `unavailable`, saying "Verifying…" while `busy`. */
export const FlowCodeSubmit = forwardRef<HTMLButtonElement, FlowCodeSubmitProps>(function FlowCodeSubmit(
  { busy, unavailable, label, ...props },
  ref,
) {
  const { messages } = useMfaLocale()
  return (
    <Primitive.button {...submitProps({ unavailable, busy }, props)} ref={ref}>
      {props.children ?? (busy ? messages.common.verifying : label)}
    </Primitive.button>
  )
})
