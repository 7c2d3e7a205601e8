import { createContext, forwardRef, useContext, useRef } from 'react'
import type { FormEvent, ReactNode, RefObject } from 'react'
import { composeEventHandlers, useControllableState, useTotpVerify } from '@mfa-kit/hooks'
import type { TotpVerifyStatus, UseTotpVerifyOptions, UseTotpVerifyResult } from '@mfa-kit/hooks'
import { MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaLocale, MfaMessagesOverride } from '../i18n/types'
import { OneTimeCodeInputRoot } from '../one-time-code-input/one-time-code-input'
import type { OneTimeCodeInputRootProps } from '../one-time-code-input/one-time-code-input'
import { AnnounceProvider, useAnnouncer } from '../primitives/announcer'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { RecoveryCodeChallengeRoot } from '../recovery-code-challenge/recovery-code-challenge'
import { Description, endedTexts, FlowContext, Heading, Restart, Step, submitProps, useFlowFeedback, useStepFocus } from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'

/** Which code the user enters: from the authenticator app, or a recovery code. */
export type TotpChallengeMode = 'totp' | 'recovery'

/** The steps of a TOTP challenge, as `data-step` on the root. */
export type TotpChallengeStep = 'verify' | 'verified' | 'expired' | 'recovery'

export function totpChallengeStep(status: TotpVerifyStatus, mode: TotpChallengeMode): TotpChallengeStep {
  if (mode === 'recovery') return 'recovery'
  if (status === 'verified' || status === 'expired') return status
  return 'verify'
}

export interface TotpChallengeContextValue {
  /** Everything `useTotpVerify` returns. */
  totp: UseTotpVerifyResult
  step: TotpChallengeStep
  mode: TotpChallengeMode
  setMode: (mode: TotpChallengeMode) => void
  /** The message for the code input (error or countdown), announced when it appears. */
  feedback: FlowFeedback
}

const TotpChallengeContext = createContext<TotpChallengeContextValue | null>(null)

/** The challenge's state, for parts of your own inside `<TotpChallenge.Root>`. */
export function useTotpChallenge(): TotpChallengeContextValue {
  const ctx = useContext(TotpChallengeContext)
  if (!ctx) throw new Error('useTotpChallenge and the TotpChallenge parts must be used inside <TotpChallenge.Root>')
  return ctx
}

export interface TotpChallengeRootProps extends PrimitiveProps<'div'>, UseTotpVerifyOptions {
  /** The code the user enters (controlled). */
  mode?: TotpChallengeMode
  /** @default 'totp' */
  defaultMode?: TotpChallengeMode
  onModeChange?: (mode: TotpChallengeMode) => void
  /** Called from the expired step's "Sign in again" button; without it the button is not shown. */
  onRestart?: () => void
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

/**
 * Finishes a sign-in with a code from the authenticator app, or, through its link, with a
 * recovery code (a `RecoveryCodeChallenge` in its place). Without children it renders every step.
 *
 * `data-state`: the `useTotpVerify` status; `data-step`: `verify` | `verified` | `expired` | `recovery`.
 */
export const TotpChallengeRoot = forwardRef<HTMLDivElement, TotpChallengeRootProps>(function TotpChallengeRoot(
  { locale, messages, ...props },
  ref,
) {
  return (
    <MfaLocaleProvider locale={locale} messages={messages}>
      <ChallengeRoot {...props} ref={ref} />
    </MfaLocaleProvider>
  )
})

const ChallengeRoot = forwardRef<HTMLDivElement, Omit<TotpChallengeRootProps, 'locale' | 'messages'>>(function ChallengeRoot(
  { mfaToken, autoSubmit, onVerified, onExpired, onRestart, mode: modeProp, defaultMode = 'totp', onModeChange, children, ...props },
  forwardedRef,
) {
  const totp = useTotpVerify({ mfaToken, autoSubmit, onVerified, onExpired })
  const [mode, setMode] = useControllableState({ prop: modeProp, defaultProp: defaultMode, onChange: onModeChange })
  const { locale, messages } = useMfaLocale()
  const { announce, region } = useAnnouncer()
  const root = useRef<HTMLDivElement | null>(null)
  const ref = useComposedRefs(root, forwardedRef)
  const step = totpChallengeStep(totp.status, mode)
  useStepFocus(step, root)

  const m = messages.totpChallenge
  const [title, description] =
    step === 'verified' ? [m.verifiedTitle, null] : step === 'expired' ? endedTexts(messages, totp.error) : [m.title, m.intro]
  const flow: FlowContextValue = { step, title, description, restart: onRestart }

  return (
    <AnnounceProvider value={announce}>
      <FlowContext.Provider value={flow}>
        <ChallengeContextProvider totp={totp} step={step} mode={mode} setMode={setMode} root={root}>
          <Primitive.div
            data-mfa=""
            data-part="totp-challenge"
            data-state={totp.status}
            data-step={step}
            lang={locale}
            {...props}
            ref={ref}
          >
            {mode === 'recovery' ? (
              <RecoveryCodeChallengeRoot
                mfaToken={mfaToken}
                onVerified={onVerified}
                onExpired={onExpired}
                onRestart={onRestart}
                onBack={() => setMode('totp')}
              />
            ) : (
              (children ?? <DefaultLayout />)
            )}
          </Primitive.div>
          {region}
        </ChallengeContextProvider>
      </FlowContext.Provider>
    </AnnounceProvider>
  )
})

function ChallengeContextProvider(props: {
  totp: UseTotpVerifyResult
  step: TotpChallengeStep
  mode: TotpChallengeMode
  setMode: (mode: TotpChallengeMode) => void
  root: RefObject<HTMLDivElement | null>
  children: ReactNode
}) {
  const feedback = useFlowFeedback(props.totp, props.root)
  const { totp, step, mode, setMode } = props
  const value: TotpChallengeContextValue = { totp, step, mode, setMode, feedback }
  return <TotpChallengeContext.Provider value={value}>{props.children}</TotpChallengeContext.Provider>
}

function DefaultLayout() {
  return (
    <>
      <Step step="verify">
        <Heading />
        <Description />
        <TotpChallengeForm>
          <TotpChallengeCodeInput />
          <TotpChallengeSubmit />
        </TotpChallengeForm>
        <TotpChallengeRecoveryLink />
      </Step>
      <Step step="verified">
        <Heading />
      </Step>
      <Step step="expired">
        <Heading />
        <Description />
        <Restart />
      </Step>
    </>
  )
}

/** The form around the code input; submitting verifies the code. */
export const TotpChallengeForm = forwardRef<HTMLFormElement, PrimitiveProps<'form'>>(function TotpChallengeForm(props, ref) {
  const { totp } = useTotpChallenge()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (totp.code.isComplete) void totp.verify(totp.code.value)
  }
  return <Primitive.form data-part="form" noValidate {...props} onSubmit={composeEventHandlers(props.onSubmit, submit)} ref={ref} />
})

/** The code from the app, as a `OneTimeCodeInput` wired to the challenge. */
export const TotpChallengeCodeInput = forwardRef<HTMLDivElement, OneTimeCodeInputRootProps>(function TotpChallengeCodeInput(props, ref) {
  const { totp, feedback } = useTotpChallenge()
  const { messages } = useMfaLocale()
  return (
    <OneTimeCodeInputRoot
      code={totp.code}
      getInputProps={totp.getCodeInputProps}
      label={messages.totpChallenge.codeLabel}
      error={feedback.message}
      invalid={feedback.invalid}
      locked={feedback.locked}
      {...props}
      ref={ref}
    />
  )
})

/** Submits the form; `aria-disabled` until the code is complete. */
export const TotpChallengeSubmit = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function TotpChallengeSubmit(props, ref) {
  const { totp } = useTotpChallenge()
  const { messages } = useMfaLocale()
  const busy = totp.status === 'verifying'
  const unavailable = !totp.code.isComplete || totp.status !== 'idle'
  return (
    <Primitive.button {...submitProps({ unavailable, busy }, props)} ref={ref}>
      {props.children ?? (busy ? messages.common.verifying : messages.totpChallenge.submit)}
    </Primitive.button>
  )
})

/** Switches to a recovery code. */
export const TotpChallengeRecoveryLink = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(
  function TotpChallengeRecoveryLink(props, ref) {
    const { setMode } = useTotpChallenge()
    const { messages } = useMfaLocale()
    return (
      <Primitive.button
        type="button"
        data-part="recovery-link"
        data-variant="link"
        {...props}
        onClick={composeEventHandlers(props.onClick, () => setMode('recovery'))}
        ref={ref}
      >
        {props.children ?? messages.totpChallenge.useRecoveryCode}
      </Primitive.button>
    )
  },
)

/** Sign-in with an authenticator-app code, as a root with parts. */
export const TotpChallenge = {
  Root: TotpChallengeRoot,
  Step,
  Heading,
  Description,
  Form: TotpChallengeForm,
  CodeInput: TotpChallengeCodeInput,
  Submit: TotpChallengeSubmit,
  RecoveryLink: TotpChallengeRecoveryLink,
  Restart,
}
