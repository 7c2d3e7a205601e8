import { createContext, forwardRef, useContext, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { ForwardedRef, FormEvent, ReactNode, RefObject } from 'react'
import { composeEventHandlers } from '@mfa-kit/hooks'
import { useEmailBinding, useSmsBinding } from '@mfa-kit/hooks/binding'
import type { OobBindingResult, UseEmailBindingOptions, UseSmsBindingOptions } from '@mfa-kit/hooks/binding'
import type { UseSelfBindingResult } from '@mfa-kit/hooks/account'
import { formatDuration, formatMessage, MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaLocale, MfaMessagesOverride } from '../i18n/types'
import type { OneTimeCodeInputRootProps } from '../one-time-code-input/one-time-code-input'
import { countryCodeLabel, phoneCountryCodes } from '../phone/country-codes'
import { AnnounceProvider, useAnnounce, useAnnouncer } from '../primitives/announcer'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import {
  Description,
  endedTexts,
  ExpiredStep,
  FlowContext,
  Heading,
  Restart,
  Step,
  submitProps,
  useFlowFeedback,
  useStepFocus,
} from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'
import { FlowCodeForm, FlowCodeInput, FlowCodeSubmit } from '../shared/code-parts'
import { TextField } from '../shared/text-field'

/**
 * The steps of a code sent by text message or email, as `data-step` on the root: `bind` (type the
 * phone or email), `code` (enter the code), `reverify` (a fresh proof, when adding from the
 * settings), then `done` or `expired`.
 */
export type CodeChallengeStep = 'bind' | 'code' | 'reverify' | 'done' | 'expired'

/** Where a code flow is: finishing a sign-in (`SmsChallenge`, `EmailChallenge`) or adding a factor (`SmsBinding`, `EmailBinding`). */
export type CodePurpose = 'sign-in' | 'settings'

export function codeChallengeStep(status: string, purpose: CodePurpose, bound: boolean, sent: boolean): CodeChallengeStep {
  if (status === 'verified' || status === 'done') return 'done'
  if (status === 'expired') return 'expired'
  if (status === 'reverifying') return 'reverify'
  if (status === 'binding' || (purpose === 'settings' && status === 'idle')) return 'bind'
  if (status === 'sending' && !bound && !sent) return 'bind'
  return 'code'
}

export interface CodeChallengeContextValue {
  type: 'sms' | 'email'
  purpose: CodePurpose
  /** Everything the hook returns: `useSmsBinding` / `useEmailBinding`, or `useSelfSmsBinding` / `useSelfEmailBinding`. */
  flow: OobBindingResult | UseSelfBindingResult
  step: CodeChallengeStep
  /** The message for the input of the step on screen (error or countdown), announced when it appears. */
  feedback: FlowFeedback
  /** What to say under the phone or email field: its error, or the server's verdict. */
  destinationMessage: string | null
  /** A hint under the phone or email field while the server checks it. */
  destinationHint: string | null
  /** Shows what is wrong with the typed phone or email from now on (after the field was left). */
  touch: () => void
  /** Checks the code entered: verifies the sign-in, or binds the destination. */
  submitCode: (code: string) => void
}

const CodeChallengeContext = createContext<CodeChallengeContextValue | null>(null)

/** The flow's state, for parts of your own inside a code component's Root. */
export function useCodeChallenge(): CodeChallengeContextValue {
  const ctx = useContext(CodeChallengeContext)
  if (!ctx)
    throw new Error(
      'The code parts must be used inside <SmsChallenge.Root>, <EmailChallenge.Root>, <SmsBinding.Root> or <EmailBinding.Root>',
    )
  return ctx
}

export interface CommonRootProps extends PrimitiveProps<'div'> {
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

export interface SmsChallengeRootProps extends CommonRootProps, UseSmsBindingOptions {
  /** Called from the expired step's "Sign in again" button; without it the button is not shown. */
  onRestart?: () => void
}

export interface EmailChallengeRootProps extends CommonRootProps, UseEmailBindingOptions {
  /** Called from the expired step's "Sign in again" button; without it the button is not shown. */
  onRestart?: () => void
}

/**
 * Finishes a sign-in with a code sent by text message: the masked phone, the code (sent by
 * itself unless `autoSend` is false), a resend countdown announced when it starts and ends, and,
 * when no phone is bound, a form to add one (a calling-code picker, checked as it is typed).
 *
 * `data-state`: the `useSmsBinding` status; `data-step`: `bind` | `code` | `done` | `expired`.
 */
export const SmsChallengeRoot = forwardRef<HTMLDivElement, SmsChallengeRootProps>(function SmsChallengeRoot(props, ref) {
  const [root, options] = splitProps(props)
  return (
    <MfaLocaleProvider locale={props.locale} messages={props.messages}>
      <SmsChallengeFlow options={options} root={root} onRestart={props.onRestart} forwardedRef={ref} />
    </MfaLocaleProvider>
  )
})

/** Finishes a sign-in with a code sent by email; the same steps and parts as `SmsChallenge`. */
export const EmailChallengeRoot = forwardRef<HTMLDivElement, EmailChallengeRootProps>(function EmailChallengeRoot(props, ref) {
  const [root, options] = splitProps(props)
  return (
    <MfaLocaleProvider locale={props.locale} messages={props.messages}>
      <EmailChallengeFlow options={options} root={root} onRestart={props.onRestart} forwardedRef={ref} />
    </MfaLocaleProvider>
  )
})

const OPTION_KEYS = [
  'mfaToken',
  'phone',
  'phoneCountryCode',
  'email',
  'autoSend',
  'codeLength',
  'autoSubmit',
  'bindableCheck',
  'debounceMs',
  'onVerified',
  'onExpired',
  'onDone',
  'useForLogin',
] as const

/** The hook's options apart from the props of the root element. */
export function splitProps<P extends CommonRootProps & { onRestart?: () => void }>(props: P) {
  const { locale: _l, messages: _m, onRestart: _r, ...rest } = props
  const root: Record<string, unknown> = {}
  const options: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(rest)) ((OPTION_KEYS as readonly string[]).includes(key) ? options : root)[key] = value
  return [root as PrimitiveProps<'div'>, options as never] as const
}

export interface FlowProps<O> {
  options: O
  root: PrimitiveProps<'div'>
  onRestart?: (() => void) | undefined
  forwardedRef: ForwardedRef<HTMLDivElement>
}

function SmsChallengeFlow({ options, ...rest }: FlowProps<UseSmsBindingOptions>) {
  return <CodeRoot type="sms" purpose="sign-in" flow={useSmsBinding(options)} {...rest} />
}
function EmailChallengeFlow({ options, ...rest }: FlowProps<UseEmailBindingOptions>) {
  return <CodeRoot type="email" purpose="sign-in" flow={useEmailBinding(options)} {...rest} />
}
export function CodeRoot({
  type,
  purpose,
  flow,
  root: { children, ...props },
  onRestart,
  forwardedRef,
  reverifyPart = null,
}: Omit<FlowProps<unknown>, 'options'> & {
  type: 'sms' | 'email'
  purpose: CodePurpose
  flow: OobBindingResult | UseSelfBindingResult
  /** What the `reverify` step shows (settings only). */
  reverifyPart?: ReactNode
}) {
  const { locale, messages } = useMfaLocale()
  const { announce, region } = useAnnouncer()
  const rootRef = useRef<HTMLDivElement | null>(null)
  const ref = useComposedRefs(rootRef, forwardedRef)
  const sent = useRef(false)
  const bound = 'bound' in flow.data && flow.data.bound
  if (flow.status === 'code_sent') sent.current = true
  else if (flow.status === 'binding' || (purpose === 'settings' && flow.status === 'idle')) sent.current = false
  const step = codeChallengeStep(flow.status, purpose, bound, sent.current)
  useStepFocus(step, rootRef)

  const m = messages.codeDelivery
  const sms = type === 'sms'
  const destination = flow.data.maskedDestination ?? ''
  const [title, description] =
    step === 'bind'
      ? sms
        ? [m.bindPhoneTitle, m.bindPhoneIntro]
        : [m.bindEmailTitle, m.bindEmailIntro]
      : step === 'done'
        ? purpose === 'sign-in'
          ? [m.verifiedTitle, null]
          : [formatMessage(m.added, { destination }), null]
        : step === 'expired'
          ? purpose === 'sign-in'
            ? endedTexts(messages, flow.error)
            : [messages.common.expiredTitle, messages.errors.unauthenticated]
          : [
              sms ? m.smsTitle : m.emailTitle,
              // Until a code has gone out (the first send included), it is still to be sent.
              destination && formatMessage(sent.current ? m.sentTo : m.willSendTo, { destination }),
            ]
  const context: FlowContextValue = { step, title, description, restart: onRestart }

  return (
    <AnnounceProvider value={announce}>
      <FlowContext.Provider value={context}>
        <CodeContextProvider type={type} purpose={purpose} flow={flow} step={step} root={rootRef}>
          <Primitive.div
            data-mfa=""
            data-part={
              sms ? (purpose === 'sign-in' ? 'sms-challenge' : 'sms-binding') : purpose === 'sign-in' ? 'email-challenge' : 'email-binding'
            }
            data-state={flow.status}
            data-step={step}
            lang={locale}
            {...props}
            ref={ref}
          >
            {children ?? <DefaultLayout reverifyPart={reverifyPart} />}
          </Primitive.div>
          {region}
        </CodeContextProvider>
      </FlowContext.Provider>
    </AnnounceProvider>
  )
}

function CodeContextProvider(props: {
  type: 'sms' | 'email'
  purpose: CodePurpose
  flow: OobBindingResult | UseSelfBindingResult
  step: CodeChallengeStep
  root: RefObject<HTMLDivElement | null>
  children: ReactNode
}) {
  const { type, purpose, flow, step } = props
  const { messages, locale } = useMfaLocale()
  const announce = useAnnounce()
  const m = messages.codeDelivery
  const [touched, setTouched] = useState(false)
  const { status, error } = flow
  // A resend refused as too early is about the resend button, not about the code typed.
  const resendRefused = error?.code === 'rate_limited' && status !== 'rate_limited'
  const feedback = useFlowFeedback({ status, error: resendRefused ? null : error, secondsLeft: flow.secondsLeft }, props.root)

  const verdict = 'bindable' in flow ? flow.bindable : null
  const invalid = !flow.destinationValid && flow.destinationInput.trim() !== ''
  const sms = type === 'sms'
  const destinationMessage =
    step !== 'bind'
      ? null
      : (feedback.message ??
        (touched && invalid
          ? messages.errors[sms ? 'invalid_phone' : 'invalid_email']
          : verdict === 'unavailable'
            ? sms
              ? m.unavailablePhone
              : m.unavailableEmail
            : null))
  const destinationHint = step === 'bind' && verdict === 'checking' && !invalid ? m.checking : null

  // Announce a verdict or a malformed value once when it appears (errors of calls are announced by the feedback).
  const verdictMessage = destinationMessage !== feedback.message ? destinationMessage : null
  useEffect(() => {
    if (verdictMessage) announce(verdictMessage)
  }, [verdictMessage, announce])

  // Announce a code sent, and the end of the resend wait: never each second of it.
  const previous = useRef({ status, waiting: flow.resendSecondsLeft > 0 })
  const destination = flow.data.maskedDestination
  useEffect(() => {
    const was = previous.current
    const waiting = flow.resendSecondsLeft > 0
    previous.current = { status, waiting }
    if (was.status === 'sending' && status === 'code_sent' && destination) {
      // A code asked for from the code step (a resend, or the first one by the button): type it next.
      if (step === 'code') props.root.current?.querySelector<HTMLElement>('[data-part="otp-input"]')?.focus()
      announce(
        `${formatMessage(m.sent, { destination })} ${waiting ? formatMessage(m.resendIn, { duration: formatDuration(flow.resendSecondsLeft, locale) }) : ''}`.trim(),
      )
    } else if (was.waiting && !waiting && step === 'code') announce(m.resendReady)
  }, [status, flow.resendSecondsLeft, destination, step, announce, m, locale, props.root])

  const value: CodeChallengeContextValue = {
    type,
    purpose,
    flow,
    step,
    feedback,
    destinationMessage,
    destinationHint,
    touch: () => setTouched(true),
    submitCode: (code) => void ('verify' in flow ? flow.verify(code) : flow.confirm(code)),
  }
  return <CodeChallengeContext.Provider value={value}>{props.children}</CodeChallengeContext.Provider>
}

function DefaultLayout({ reverifyPart }: { reverifyPart: ReactNode }) {
  return (
    <>
      <Step step="bind">
        <Heading />
        <Description />
        <CodeDestinationForm>
          <CodeDestinationField />
          <CodeSend />
        </CodeDestinationForm>
      </Step>
      <Step step="code">
        <Heading />
        <Description />
        <CodeForm>
          <CodeInput />
          <CodeSubmit />
        </CodeForm>
        <div data-part="actions">
          <CodeResend />
          <CodeChangeDestination />
        </div>
      </Step>
      <Step step="reverify">{reverifyPart}</Step>
      <Step step="done">
        <Heading />
        <Description />
      </Step>
      <ExpiredStep />
    </>
  )
}

/** The form around the phone or email; submitting sends the code. */
export const CodeDestinationForm = forwardRef<HTMLFormElement, PrimitiveProps<'form'>>(function CodeDestinationForm(props, ref) {
  const { flow, touch } = useCodeChallenge()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    touch()
    void flow.send()
  }
  return (
    <Primitive.form data-part="destination-form" noValidate {...props} onSubmit={composeEventHandlers(props.onSubmit, submit)} ref={ref} />
  )
})

/** The calling-code picker of a phone, named in the page's language; nothing for email. */
export const CodeCountryCode = forwardRef<HTMLSelectElement, PrimitiveProps<'select'>>(function CodeCountryCode(props, ref) {
  const { type, flow } = useCodeChallenge()
  const { messages, locale } = useMfaLocale()
  const selectProps = flow.getCountryCodeProps()
  const value = selectProps.value
  const options = useMemo(() => {
    const list = phoneCountryCodes.some((c) => c.code === value) ? phoneCountryCodes : [{ region: '', code: value }, ...phoneCountryCodes]
    return list.map((c) => ({ code: c.code, label: c.region ? countryCodeLabel(c, locale) : c.code }))
  }, [value, locale])
  if (type !== 'sms') return null
  return (
    <Primitive.select data-part="country-code" aria-label={messages.codeDelivery.countryCodeLabel} {...selectProps} {...props} ref={ref}>
      {options.map((o) => (
        <option key={o.code} value={o.code}>
          {o.label}
        </option>
      ))}
    </Primitive.select>
  )
})

/**
 * The phone (with its calling code) or email field, its label, and what is wrong with it: shown
 * once the field is left or a send was tried, linked to the input and announced.
 */
export const CodeDestinationField = forwardRef<HTMLInputElement, { className?: string }>(function CodeDestinationField(_, ref) {
  const { type, flow, destinationMessage, destinationHint, touch } = useCodeChallenge()
  const { messages } = useMfaLocale()
  const id = useId()
  const sms = type === 'sms'
  return (
    <TextField
      ref={ref}
      label={sms ? messages.codeDelivery.phoneLabel : messages.codeDelivery.emailLabel}
      before={sms ? <CodeCountryCode /> : undefined}
      input={flow.getDestinationInputProps({ id: `${id}destination`, onBlur: touch })}
      hint={destinationHint}
      error={destinationMessage}
    />
  )
})

/** Sends the code to the phone or email typed. */
export const CodeSend = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function CodeSend(props, ref) {
  const { flow } = useCodeChallenge()
  const { messages, locale } = useMfaLocale()
  const id = useId()
  const busy = flow.status === 'sending'
  const waiting = flow.resendSecondsLeft > 0
  return (
    <>
      <Primitive.button
        {...submitProps({ unavailable: busy || waiting, busy }, { 'aria-describedby': waiting ? `${id}wait` : undefined, ...props })}
        ref={ref}
      >
        {props.children ?? (busy ? messages.codeDelivery.sending : messages.codeDelivery.send)}
      </Primitive.button>
      {waiting && (
        <p data-part="resend-wait" id={`${id}wait`}>
          {formatMessage(messages.codeDelivery.resendIn, { duration: formatDuration(flow.resendSecondsLeft, locale) })}
        </p>
      )}
    </>
  )
})

/** The form around the code input; submitting checks the code. Shown once a code was asked for. */
export const CodeForm = forwardRef<HTMLFormElement, PrimitiveProps<'form'>>(function CodeForm(props, ref) {
  const { flow, submitCode } = useCodeChallenge()
  // Nothing to enter before the first code was asked for (`autoSend: false`).
  if (flow.status === 'idle') return null
  return <FlowCodeForm code={flow.code} submitCode={submitCode} {...props} ref={ref} />
})

/** The code, as a `OneTimeCodeInput` wired to the flow. */
export const CodeInput = forwardRef<HTMLDivElement, OneTimeCodeInputRootProps>(function CodeInput(props, ref) {
  const { flow, feedback } = useCodeChallenge()
  return <FlowCodeInput flow={flow} feedback={feedback} {...props} ref={ref} />
})

/** Submits the code; `aria-disabled` until it is complete. */
export const CodeSubmit = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function CodeSubmit(props, ref) {
  const { flow } = useCodeChallenge()
  const { messages } = useMfaLocale()
  const busy = flow.status === 'verifying' || flow.status === 'confirming'
  const unavailable = !flow.code.isComplete || flow.status !== 'code_sent'
  return <FlowCodeSubmit busy={busy} unavailable={unavailable} label={messages.codeDelivery.submit} {...props} ref={ref} />
})

/**
 * Sends a new code (or the first one, when it is not sent by itself). While the server's resend
 * delay runs it stays focusable but `aria-disabled`, and says how long is left under it.
 */
export const CodeResend = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function CodeResend(props, ref) {
  const { flow } = useCodeChallenge()
  const { messages, locale } = useMfaLocale()
  const id = useId()
  const m = messages.codeDelivery
  const first = flow.status === 'idle'
  const waiting = flow.resendSecondsLeft > 0
  const unavailable = !flow.canSend
  return (
    <>
      <Primitive.button
        type="button"
        data-part="resend"
        data-variant={first ? 'primary' : 'secondary'}
        aria-disabled={unavailable || undefined}
        aria-busy={flow.status === 'sending' || undefined}
        aria-describedby={waiting ? `${id}wait` : undefined}
        {...props}
        onClick={composeEventHandlers(props.onClick, () => void (flow.canSend && flow.send()))}
        ref={ref}
      >
        {props.children ?? (flow.status === 'sending' ? m.sending : first ? m.send : m.resend)}
      </Primitive.button>
      {waiting && (
        <p data-part="resend-wait" id={`${id}wait`}>
          {formatMessage(m.resendIn, { duration: formatDuration(flow.resendSecondsLeft, locale) })}
        </p>
      )}
    </>
  )
})

/** Back to the phone or email form, keeping what was typed; only when the destination was typed here. */
export const CodeChangeDestination = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function CodeChangeDestination(props, ref) {
  const { type, purpose, flow } = useCodeChallenge()
  const { messages } = useMfaLocale()
  const bound = 'bound' in flow.data && flow.data.bound
  if (purpose === 'sign-in' && bound) return null
  return (
    <Primitive.button
      type="button"
      data-part="change-destination"
      data-variant="link"
      {...props}
      onClick={composeEventHandlers(props.onClick, () => flow.reset())}
      ref={ref}
    >
      {props.children ?? (type === 'sms' ? messages.codeDelivery.changePhone : messages.codeDelivery.changeEmail)}
    </Primitive.button>
  )
})

export const codeParts = {
  Step,
  Heading,
  Description,
  DestinationForm: CodeDestinationForm,
  CountryCode: CodeCountryCode,
  DestinationField: CodeDestinationField,
  Send: CodeSend,
  Form: CodeForm,
  CodeInput,
  Submit: CodeSubmit,
  Resend: CodeResend,
  ChangeDestination: CodeChangeDestination,
  Restart,
}

/** Sign-in with a code by text message, as a root with parts. */
export const SmsChallenge = { Root: SmsChallengeRoot, ...codeParts }
/** Sign-in with a code by email, as a root with parts. */
export const EmailChallenge = { Root: EmailChallengeRoot, ...codeParts }
