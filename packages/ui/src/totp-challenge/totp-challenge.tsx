import { createContext, forwardRef, useContext } from 'react'
import { composeEventHandlers, useControllableState, useTotpVerify } from '@mfa-kit/hooks'
import type { TotpVerifyStatus, UseTotpVerifyOptions, UseTotpVerifyResult } from '@mfa-kit/hooks'
import { useMfaLocale } from '../i18n/provider'
import type { OneTimeCodeInputRootProps } from '../one-time-code-input/one-time-code-input'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { RecoveryCodeChallengeRoot } from '../recovery-code-challenge/recovery-code-challenge'
import { Description, endedTexts, ExpiredStep, Heading, Restart, Step, useFlowFeedback } from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'
import { FlowCodeForm, FlowCodeSubmit, FlowCodeInput } from '../shared/code-parts'
import { FlowRootElement, useFlowRoot, withLocale } from '../shared/flow-root'
import type { FlowRootProps, LocaleProps } from '../shared/flow-root'

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

export interface TotpChallengeRootProps extends PrimitiveProps<'div'>, UseTotpVerifyOptions, FlowRootProps {
  /** Which code the user enters: `'totp'` (from the app) or `'recovery'` (controlled). */
  mode?: TotpChallengeMode
  /** Which code the user enters first, when `mode` is not controlled. @default 'totp' */
  defaultMode?: TotpChallengeMode
  /** Called when the user switches between the app's code and a recovery code. */
  onModeChange?: (mode: TotpChallengeMode) => void
}

const ChallengeRoot = forwardRef<HTMLDivElement, Omit<TotpChallengeRootProps, keyof LocaleProps>>(function ChallengeRoot(
  { mfaToken, autoSubmit, onVerified, onExpired, onRestart, mode: modeProp, defaultMode = 'totp', onModeChange, children, ...props },
  forwardedRef,
) {
  const totp = useTotpVerify({ mfaToken, autoSubmit, onVerified, onExpired })
  const [mode, setMode] = useControllableState({ prop: modeProp, defaultProp: defaultMode, onChange: onModeChange })
  const { messages } = useMfaLocale()
  const step = totpChallengeStep(totp.status, mode)
  const frame = useFlowRoot(step, forwardedRef)
  const feedback = useFlowFeedback(totp, frame.root, frame.announce)

  const m = messages.totpChallenge
  const [title, description] =
    step === 'verified' ? [m.verifiedTitle, null] : step === 'expired' ? endedTexts(messages, totp.error) : [m.title, m.intro]
  const flow: FlowContextValue = { step, title, description, restart: onRestart }

  return (
    <FlowRootElement
      part="totp-challenge"
      state={totp.status}
      flow={flow}
      frame={frame}
      provide={(rootElement) => (
        <TotpChallengeContext.Provider value={{ totp, step, mode, setMode, feedback }}>{rootElement}</TotpChallengeContext.Provider>
      )}
      {...props}
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
    </FlowRootElement>
  )
})

/**
 * Finishes a sign-in with a code from the authenticator app, or, through its link, with a
 * recovery code (a `RecoveryCodeChallenge` in its place). Without children it renders every step.
 *
 * `data-state`: the `useTotpVerify` status; `data-step`: `verify` | `verified` | `expired` | `recovery`.
 */
export const TotpChallengeRoot = withLocale<TotpChallengeRootProps>('TotpChallengeRoot', ChallengeRoot)

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
      <ExpiredStep />
    </>
  )
}

/** The form around the code input; submitting verifies the code. */
export const TotpChallengeForm = forwardRef<HTMLFormElement, PrimitiveProps<'form'>>(function TotpChallengeForm(props, ref) {
  const { totp } = useTotpChallenge()
  return <FlowCodeForm code={totp.code} submitCode={totp.verify} {...props} ref={ref} />
})

/** The code from the app, as a `OneTimeCodeInput` wired to the challenge. */
export const TotpChallengeCodeInput = forwardRef<HTMLDivElement, OneTimeCodeInputRootProps>(function TotpChallengeCodeInput(props, ref) {
  const { totp, feedback } = useTotpChallenge()
  const { messages } = useMfaLocale()
  return <FlowCodeInput flow={totp} feedback={feedback} label={messages.totpChallenge.codeLabel} {...props} ref={ref} />
})

/** Submits the form; `aria-disabled` until the code is complete. */
export const TotpChallengeSubmit = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function TotpChallengeSubmit(props, ref) {
  const { totp } = useTotpChallenge()
  const { messages } = useMfaLocale()
  const unavailable = !totp.code.isComplete || totp.status !== 'idle'
  return (
    <FlowCodeSubmit
      busy={totp.status === 'verifying'}
      unavailable={unavailable}
      label={messages.totpChallenge.submit}
      {...props}
      ref={ref}
    />
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
