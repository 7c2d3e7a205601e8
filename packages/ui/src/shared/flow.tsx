import { createContext, forwardRef, useContext, useEffect, useRef } from 'react'
import type { MouseEvent, ReactNode, RefObject } from 'react'
import { composeEventHandlers, mergeProps } from '@mfa-kit/hooks'
import type { MfaErrorCode, MfaMessages } from '../i18n/types'
import { errorMessage, formatDuration, formatMessage, useMfaLocale } from '../i18n/provider'
import { useAnnounce } from '../primitives/announcer'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'

/** What every flow root tells its generic parts (Step, Heading, Description, Restart). */
export interface FlowContextValue {
  /** The step on screen, also the root's `data-step`. */
  step: string
  /** The heading of the step on screen. */
  title: string
  /** The description of the step on screen, if it has one. */
  description: string | null
  /** Starts a new sign-in, when the app passed `onRestart`. */
  restart: (() => void) | undefined
}

export const FlowContext = createContext<FlowContextValue | null>(null)

function useFlowContext(part: string): FlowContextValue {
  const ctx = useContext(FlowContext)
  if (!ctx) throw new Error(`<${part}> must be used inside the Root of an MFA component, such as <TotpChallenge.Root>`)
  return ctx
}

/**
 * Moves focus to the first step heading inside `root` whenever `step` changes after the first
 * render, so keyboard and screen-reader users start at the top of each new step.
 */
export function useStepFocus(step: string, root: RefObject<HTMLElement | null>): void {
  const previous = useRef(step)
  useEffect(() => {
    if (previous.current === step) return
    previous.current = step
    root.current?.querySelector<HTMLElement>('[data-part="heading"]')?.focus()
  }, [step, root])
}

export interface StepProps extends PrimitiveProps<'div'> {
  /** The step (the root's `data-step`) in which the children are shown. */
  step: string
}

/** Renders its children only while the flow is on `step`. */
export const Step = forwardRef<HTMLDivElement, StepProps>(function Step({ step, ...props }, ref) {
  const ctx = useFlowContext('Step')
  if (ctx.step !== step) return null
  return <Primitive.div data-part="step" data-step={step} {...props} ref={ref} />
})

/** The step of a flow whose sign-in ended: its heading, why it ended, and "Sign in again". */
export function ExpiredStep(): ReactNode {
  return (
    <Step step="expired">
      <Heading />
      <Description />
      <Restart />
    </Step>
  )
}

/**
 * The heading of the step on screen (an `h2`; use `asChild` for another level). It takes focus
 * when the step changes.
 */
export const Heading = forwardRef<HTMLHeadingElement, PrimitiveProps<'h2'>>(function Heading(props, ref) {
  const ctx = useFlowContext('Heading')
  return (
    <Primitive.h2 data-part="heading" tabIndex={-1} {...props} ref={ref}>
      {props.children ?? ctx.title}
    </Primitive.h2>
  )
})

/** The description of the step on screen; renders nothing when the step has none. */
export const Description = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function Description(props, ref) {
  const ctx = useFlowContext('Description')
  const text = props.children ?? ctx.description
  if (!text) return null
  return (
    <Primitive.p data-part="description" {...props} ref={ref}>
      {text}
    </Primitive.p>
  )
})

/** "Sign in again", on the expired step; renders nothing unless the root has `onRestart`. */
export const Restart = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function Restart(props, ref) {
  const ctx = useFlowContext('Restart')
  const { messages } = useMfaLocale()
  const restart = ctx.restart
  if (!restart) return null
  return (
    <Primitive.button
      type="button"
      data-part="restart"
      data-variant="primary"
      {...props}
      onClick={composeEventHandlers(props.onClick, () => restart())}
      ref={ref}
    >
      {props.children ?? messages.common.restart}
    </Primitive.button>
  )
})

/**
 * The heading and text of the step shown once the sign-in cannot go on: it timed out, or it used
 * up its attempts (`too_many_attempts`).
 */
export function endedTexts(messages: MfaMessages, error: { code: MfaErrorCode } | null): [string, string] {
  return error?.code === 'too_many_attempts'
    ? [messages.common.attemptsUsedTitle, messages.errors.too_many_attempts]
    : [messages.common.expiredTitle, messages.common.expiredBody]
}

/** What a flow hook reports that feedback is made of. */
export interface FlowFeedbackInput {
  status: string
  error: { code: MfaErrorCode } | null
  secondsLeft: number
}

export interface FlowFeedback {
  /** The text to show by the input: the countdown while throttled, else the error, else null. */
  message: string | null
  /** True when `message` says the input was wrong (not merely that the server wants a pause). */
  invalid: boolean
  /** True while the server refuses attempts. */
  locked: boolean
}

/**
 * Turns a flow's status and error into the text shown by its input, and announces politely: a
 * new error once, the start of a lock once (not every second of it), and its end. After a
 * failed attempt, focus goes back to the code input inside `root` (where the error is read out
 * as its description), unless it is already there. `announce` defaults to the nearest Root's; a
 * Root passes its own, which its parts are not inside of yet.
 */
export function useFlowFeedback(
  { status, error, secondsLeft }: FlowFeedbackInput,
  root?: RefObject<HTMLElement | null>,
  announceHere?: (message: string) => void,
): FlowFeedback {
  const { messages, locale } = useMfaLocale()
  const nearest = useAnnounce()
  const announce = announceHere ?? nearest
  const locked = status === 'rate_limited'
  const message = locked
    ? formatMessage(messages.common.retryIn, { duration: formatDuration(secondsLeft, locale) })
    : error && errorMessage(messages, error.code)
  const previous = useRef({ status, error })
  const latest = useRef(message)
  latest.current = message

  useEffect(() => {
    const was = previous.current
    previous.current = { status, error }
    if (status === 'expired') return
    if (locked && was.status !== 'rate_limited') announce(latest.current ?? '')
    else if (!locked && was.status === 'rate_limited') announce(messages.common.retryReady)
    else if (error && error !== was.error) {
      announce(latest.current ?? '')
      const input = root?.current?.querySelector<HTMLElement>('[data-part="otp-input"], [data-part="field-input"]')
      if (input && input.ownerDocument.activeElement !== input) input.focus()
    }
  }, [status, error, locked, announce, messages, root])

  return { message, invalid: !locked && error !== null, locked }
}

export interface SubmitState {
  /** The button cannot submit now (nothing entered yet, a request running, a lock). */
  unavailable: boolean
  /** A request is running. */
  busy: boolean
}

/**
 * Props of a submit button that stays focusable when it cannot submit (`aria-disabled`, and a
 * click is refused), so that focus is not lost when a request starts or a lock begins.
 */
export function submitProps<P extends object>({ unavailable, busy }: SubmitState, props: P) {
  return mergeProps(
    {
      type: 'submit' as const,
      'data-part': 'submit',
      'data-variant': 'primary',
      'aria-disabled': unavailable || undefined,
      'aria-busy': busy || undefined,
      onClick: (event: MouseEvent<HTMLButtonElement>) => {
        if (unavailable) event.preventDefault()
      },
    },
    props,
  )
}

/** Writes `text` to the clipboard (only ever from a click) and announces the outcome. */
export function useCopy(): (text: string, done: string) => Promise<boolean> {
  const announce = useAnnounce()
  const { messages } = useMfaLocale()
  return async (text, done) => {
    try {
      await navigator.clipboard.writeText(text)
      announce(done)
      return true
    } catch {
      announce(messages.common.copyFailed)
      return false
    }
  }
}
