import { createContext, forwardRef, useContext, useId } from 'react'
import type { FormEvent } from 'react'
import { composeEventHandlers, useRecoveryCodeVerify } from '@mfa-kit/hooks'
import type { RecoveryCodeVerifyStatus, UseRecoveryCodeVerifyOptions, UseRecoveryCodeVerifyResult } from '@mfa-kit/hooks'
import { useMfaLocale } from '../i18n/provider'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import {
  AcknowledgeRecoveryCode,
  CopyRecoveryCode,
  DownloadRecoveryCode,
  FinishRecoveryCode,
  PrintRecoveryCode,
  RecoveryCode,
  RecoveryCodeContext,
  recoveryCodeContextOf,
  SaveRecoveryCode,
} from '../recovery-code/recovery-code'
import { Description, endedTexts, ExpiredStep, Heading, Restart, Step, submitProps, useFlowFeedback } from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'
import { FlowRootElement, useFlowRoot, withLocale } from '../shared/flow-root'
import type { FlowRootProps, LocaleProps } from '../shared/flow-root'

/** The steps of a recovery-code sign-in, as `data-step` on the root. */
export type RecoveryCodeChallengeStep = 'verify' | 'new_code' | 'done' | 'expired'

export function recoveryCodeChallengeStep(status: RecoveryCodeVerifyStatus): RecoveryCodeChallengeStep {
  if (status === 'showing_recovery_code') return 'new_code'
  if (status === 'done' || status === 'expired') return status
  return 'verify'
}

export interface RecoveryCodeChallengeContextValue {
  /** Everything `useRecoveryCodeVerify` returns. */
  recovery: UseRecoveryCodeVerifyResult
  step: RecoveryCodeChallengeStep
  /** The message for the input (error or countdown), announced when it appears. */
  feedback: FlowFeedback
  inputId: string
  errorId: string
  /** Goes back to the authenticator-code challenge, when there is one. */
  back: (() => void) | undefined
}

const RecoveryCodeChallengeContext = createContext<RecoveryCodeChallengeContextValue | null>(null)

/** The challenge's state, for parts of your own inside `<RecoveryCodeChallenge.Root>`. */
export function useRecoveryCodeChallenge(): RecoveryCodeChallengeContextValue {
  const ctx = useContext(RecoveryCodeChallengeContext)
  if (!ctx) throw new Error('useRecoveryCodeChallenge and its parts must be used inside <RecoveryCodeChallenge.Root>')
  return ctx
}

export interface RecoveryCodeChallengeRootProps extends PrimitiveProps<'div'>, UseRecoveryCodeVerifyOptions, FlowRootProps {
  /** Shows a link back to the authenticator-code challenge, which calls this. */
  onBack?: () => void
}

const ChallengeRoot = forwardRef<HTMLDivElement, Omit<RecoveryCodeChallengeRootProps, keyof LocaleProps>>(function ChallengeRoot(
  { mfaToken, onVerified, onExpired, onBack, onRestart, children, ...props },
  forwardedRef,
) {
  const recovery = useRecoveryCodeVerify({ mfaToken, onVerified, onExpired })
  const { messages } = useMfaLocale()
  const step = recoveryCodeChallengeStep(recovery.status)
  const frame = useFlowRoot(step, forwardedRef)
  const feedback = useFlowFeedback(recovery, frame.root, frame.announce)
  const id = useId()

  const m = messages.recoveryCodeChallenge
  const [title, description] =
    step === 'new_code'
      ? [m.newCodeTitle, m.newCodeIntro]
      : step === 'done'
        ? [m.doneTitle, null]
        : step === 'expired'
          ? endedTexts(messages, recovery.error)
          : [m.title, m.intro]
  const flow: FlowContextValue = { step, title, description, restart: onRestart }
  const code = recoveryCodeContextOf(recovery)

  return (
    <FlowRootElement
      part="recovery-code-challenge"
      state={recovery.status}
      flow={flow}
      frame={frame}
      provide={(rootElement) => (
        <RecoveryCodeContext.Provider value={code}>
          <RecoveryCodeChallengeContext.Provider
            value={{ recovery, step, feedback, inputId: `${id}input`, errorId: `${id}error`, back: onBack }}
          >
            {rootElement}
          </RecoveryCodeChallengeContext.Provider>
        </RecoveryCodeContext.Provider>
      )}
      {...props}
    >
      {children ?? <DefaultLayout />}
    </FlowRootElement>
  )
})

/**
 * Finishes a sign-in with a recovery code, then shows the new code that replaces it, which must
 * be acknowledged. `onVerified` is called after that. Without children it renders every step.
 *
 * `data-state`: the `useRecoveryCodeVerify` status; `data-step`: `verify` | `new_code` | `done` | `expired`.
 */
export const RecoveryCodeChallengeRoot = withLocale<RecoveryCodeChallengeRootProps>('RecoveryCodeChallengeRoot', ChallengeRoot)

function DefaultLayout() {
  return (
    <>
      <Step step="verify">
        <Heading />
        <Description />
        <RecoveryCodeChallengeForm>
          <div data-part="field">
            <RecoveryCodeChallengeLabel />
            <RecoveryCodeChallengeCodeInput />
            <RecoveryCodeChallengeError />
          </div>
          <RecoveryCodeChallengeSubmit />
        </RecoveryCodeChallengeForm>
        <RecoveryCodeChallengeBack />
      </Step>
      <Step step="new_code">
        <Heading />
        <Description />
        <SaveRecoveryCode />
      </Step>
      <Step step="done">
        <Heading />
      </Step>
      <ExpiredStep />
    </>
  )
}

/** The form around the recovery-code input; submitting verifies the code. */
export const RecoveryCodeChallengeForm = forwardRef<HTMLFormElement, PrimitiveProps<'form'>>(
  function RecoveryCodeChallengeForm(props, ref) {
    const { recovery } = useRecoveryCodeChallenge()
    const submit = (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault()
      if (recovery.value.trim()) void recovery.verify()
    }
    return <Primitive.form data-part="form" noValidate {...props} onSubmit={composeEventHandlers(props.onSubmit, submit)} ref={ref} />
  },
)

/** The input's label. */
export const RecoveryCodeChallengeLabel = forwardRef<HTMLLabelElement, PrimitiveProps<'label'>>(
  function RecoveryCodeChallengeLabel(props, ref) {
    const { inputId } = useRecoveryCodeChallenge()
    const { messages } = useMfaLocale()
    return (
      <Primitive.label data-part="field-label" htmlFor={inputId} {...props} ref={ref}>
        {props.children ?? messages.recoveryCodeChallenge.codeLabel}
      </Primitive.label>
    )
  },
)

/**
 * The recovery-code input: letters, digits and hyphens in any case, with no automatic
 * capitalisation, correction or spell check. Its error is linked with `aria-describedby`.
 */
export const RecoveryCodeChallengeCodeInput = forwardRef<HTMLInputElement, PrimitiveProps<'input'>>(
  function RecoveryCodeChallengeCodeInput(props, ref) {
    const { recovery, feedback, inputId, errorId } = useRecoveryCodeChallenge()
    const describedBy = [feedback.message ? errorId : null, props['aria-describedby']].filter(Boolean).join(' ') || undefined
    const inputProps = recovery.getCodeInputProps({
      id: inputId,
      'data-part': 'field-input',
      // A lock keeps the input focusable but refuses input, so focus is not lost.
      ...(feedback.locked && { disabled: false, readOnly: true, 'aria-disabled': true }),
      ...props,
    })
    // The message shown by this component describes the input; only a wrong code makes it invalid.
    return (
      <Primitive.input
        {...inputProps}
        aria-describedby={describedBy}
        aria-invalid={(props['aria-invalid'] ?? feedback.invalid) || undefined}
        ref={ref}
      />
    )
  },
)

/** The error (or wait) message, linked to the input; renders nothing without one. */
export const RecoveryCodeChallengeError = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(
  function RecoveryCodeChallengeError(props, ref) {
    const { feedback, errorId } = useRecoveryCodeChallenge()
    if (!feedback.message) return null
    return (
      <Primitive.p data-part="field-error" id={errorId} {...props} ref={ref}>
        {props.children ?? feedback.message}
      </Primitive.p>
    )
  },
)

/** Submits the form; `aria-disabled` while there is nothing to send or a request runs. */
export const RecoveryCodeChallengeSubmit = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(
  function RecoveryCodeChallengeSubmit(props, ref) {
    const { recovery } = useRecoveryCodeChallenge()
    const { messages } = useMfaLocale()
    const busy = recovery.status === 'verifying'
    const unavailable = !recovery.value.trim() || recovery.status !== 'idle'
    return (
      <Primitive.button {...submitProps({ unavailable, busy }, props)} ref={ref}>
        {props.children ?? (busy ? messages.common.verifying : messages.recoveryCodeChallenge.submit)}
      </Primitive.button>
    )
  },
)

/** Back to the authenticator-code challenge; renders nothing without `onBack` on the root. */
export const RecoveryCodeChallengeBack = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(
  function RecoveryCodeChallengeBack(props, ref) {
    const { back } = useRecoveryCodeChallenge()
    const { messages } = useMfaLocale()
    if (!back) return null
    return (
      <Primitive.button
        type="button"
        data-part="back"
        data-variant="link"
        {...props}
        onClick={composeEventHandlers(props.onClick, () => back())}
        ref={ref}
      >
        {props.children ?? messages.recoveryCodeChallenge.back}
      </Primitive.button>
    )
  },
)

/** Sign-in with a recovery code, as a root with parts. */
export const RecoveryCodeChallenge = {
  Root: RecoveryCodeChallengeRoot,
  Step,
  Heading,
  Description,
  Form: RecoveryCodeChallengeForm,
  Label: RecoveryCodeChallengeLabel,
  CodeInput: RecoveryCodeChallengeCodeInput,
  Error: RecoveryCodeChallengeError,
  Submit: RecoveryCodeChallengeSubmit,
  Back: RecoveryCodeChallengeBack,
  RecoveryCode,
  CopyRecoveryCode,
  DownloadRecoveryCode,
  PrintRecoveryCode,
  Acknowledge: AcknowledgeRecoveryCode,
  Finish: FinishRecoveryCode,
  Restart,
}
