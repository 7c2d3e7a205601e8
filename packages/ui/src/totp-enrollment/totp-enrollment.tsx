import { Suspense, createContext, forwardRef, lazy, useContext, useMemo } from 'react'
import type { ForwardedRef } from 'react'
import { composeEventHandlers } from '@mfa-kit/hooks'
import { useTotpBinding } from '@mfa-kit/hooks/binding'
import type { TotpBindingStatus, UseTotpBindingOptions, UseTotpBindingResult } from '@mfa-kit/hooks/binding'
import { useSelfTotpBinding } from '@mfa-kit/hooks/account'
import type { EmbeddedReverification } from '@mfa-kit/hooks/account'
import { useMfaLocale } from '../i18n/provider'
import type { OneTimeCodeInputRootProps } from '../one-time-code-input/one-time-code-input'
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
import { Reverification } from '../reverification/reverification'
import { Description, endedTexts, ExpiredStep, Heading, Restart, Step, useCopy, useFlowFeedback } from '../shared/flow'
import type { FlowContextValue, FlowFeedback } from '../shared/flow'
import { FlowCodeForm, FlowCodeSubmit, FlowCodeInput } from '../shared/code-parts'
import { FlowRootElement, useFlowRoot, withLocale } from '../shared/flow-root'
import type { FlowRootProps, LocaleProps } from '../shared/flow-root'

// qrcode.react is fetched only when a QR code is first drawn.
const QRCodeSVG = lazy(() => import('qrcode.react').then((m) => ({ default: m.QRCodeSVG })))

/** The steps of a TOTP binding, as `data-step` on the root. */
export type TotpEnrollmentStep = 'scan' | 'reverify' | 'recovery' | 'done' | 'expired'

export function totpEnrollmentStep(status: TotpBindingStatus): TotpEnrollmentStep {
  if (status === 'showing_recovery_code') return 'recovery'
  if (status === 'reverifying') return 'reverify'
  if (status === 'done' || status === 'expired') return status
  return 'scan'
}

export interface TotpEnrollmentContextValue {
  /** Everything `useTotpBinding` returns. */
  binding: UseTotpBindingResult
  step: TotpEnrollmentStep
  /** The message for the code input (error or countdown), announced when it appears. */
  feedback: FlowFeedback
  /** For the signed-in user (no mfaToken): the fresh proof the server asks for while `reverifying`. */
  reverification: EmbeddedReverification | null
}

const TotpEnrollmentContext = createContext<TotpEnrollmentContextValue | null>(null)

/** The binding's state, for parts of your own inside `<TotpEnrollment.Root>`. */
export function useTotpEnrollment(): TotpEnrollmentContextValue {
  const ctx = useContext(TotpEnrollmentContext)
  if (!ctx) throw new Error('useTotpEnrollment and the TotpEnrollment parts must be used inside <TotpEnrollment.Root>')
  return ctx
}

export interface TotpEnrollmentRootProps extends PrimitiveProps<'div'>, UseTotpBindingOptions, FlowRootProps {}

type EnrollmentProps = Omit<TotpEnrollmentRootProps, keyof LocaleProps>

const EnrollmentRoot = forwardRef<HTMLDivElement, EnrollmentProps>(function EnrollmentRoot(props, ref) {
  return props.mfaToken ? <SignInEnrollment {...props} forwardedRef={ref} /> : <SelfEnrollment {...props} forwardedRef={ref} />
})

/**
 * Binds an authenticator app (TOTP): scan the QR code or type the setup key, confirm with a code,
 * then save the recovery code. Without children it renders every step. With an `mfaToken` it binds
 * during a sign-in (`useTotpBinding`); without one, for the signed-in user (`useSelfTotpBinding`),
 * asking in place for a fresh proof when the sign-in is too old.
 *
 * `data-state`: the binding's status; `data-step`: `scan` | `reverify` | `recovery` | `done` | `expired`.
 */
export const TotpEnrollmentRoot = withLocale<TotpEnrollmentRootProps>('TotpEnrollmentRoot', EnrollmentRoot)

type WithRef = EnrollmentProps & { forwardedRef: ForwardedRef<HTMLDivElement> }

function SignInEnrollment({ mfaToken, source, autoStart, autoSubmit, onDone, onVerified, onExpired, ...rest }: WithRef) {
  const binding = useTotpBinding({ mfaToken, source, autoStart, autoSubmit, onDone, onVerified, onExpired })
  return <EnrollmentView binding={binding} reverification={null} {...rest} />
}

function SelfEnrollment({ mfaToken: _, source: __, onVerified: ___, autoStart, autoSubmit, onDone, onExpired, ...rest }: WithRef) {
  const binding = useSelfTotpBinding({ autoStart, autoSubmit, onDone, onExpired })
  return <EnrollmentView binding={binding} reverification={binding.reverification} {...rest} />
}

function EnrollmentView({
  binding,
  reverification,
  onRestart,
  children,
  forwardedRef,
  ...props
}: Omit<WithRef, keyof UseTotpBindingOptions> & { binding: UseTotpBindingResult; reverification: EmbeddedReverification | null }) {
  const { messages } = useMfaLocale()
  const step = totpEnrollmentStep(binding.status)
  const frame = useFlowRoot(step, forwardedRef)
  const feedback = useFlowFeedback(binding, frame.root, frame.announce)

  const m = messages.totpEnrollment
  const [title, description] =
    step === 'recovery'
      ? [m.recoveryTitle, m.recoveryIntro]
      : step === 'done'
        ? [m.doneTitle, m.doneIntro]
        : step === 'expired'
          ? endedTexts(messages, binding.error)
          : [m.title, m.intro]
  const flow: FlowContextValue = { step, title, description, restart: onRestart }

  const uri = binding.data.otpauthUri
  const issuer = useMemo(() => issuerOf(uri), [uri])
  const recovery = recoveryCodeContextOf(binding, issuer)

  return (
    <FlowRootElement
      part="totp-enrollment"
      state={binding.status}
      flow={flow}
      frame={frame}
      provide={(rootElement) => (
        <RecoveryCodeContext.Provider value={recovery}>
          <TotpEnrollmentContext.Provider value={{ binding, step, feedback, reverification }}>{rootElement}</TotpEnrollmentContext.Provider>
        </RecoveryCodeContext.Provider>
      )}
      {...props}
    >
      {children ?? <DefaultLayout />}
    </FlowRootElement>
  )
}

function issuerOf(uri: string | null): string | null {
  if (!uri) return null
  try {
    return new URL(uri).searchParams.get('issuer')
  } catch {
    return null
  }
}

function DefaultLayout() {
  return (
    <>
      <Step step="scan">
        <Heading />
        <Description />
        <TotpEnrollmentStart />
        <TotpEnrollmentQr />
        <TotpEnrollmentSecret />
        <div data-part="actions">
          <TotpEnrollmentCopySecret />
          <TotpEnrollmentOpenInApp />
        </div>
        <TotpEnrollmentForm>
          <TotpEnrollmentCodeInput />
          <TotpEnrollmentSubmit />
        </TotpEnrollmentForm>
      </Step>
      <Step step="reverify">
        <TotpEnrollmentReverification />
      </Step>
      <Step step="recovery">
        <Heading />
        <Description />
        <SaveRecoveryCode />
      </Step>
      <Step step="done">
        <Heading />
        <Description />
      </Step>
      <ExpiredStep />
    </>
  )
}

/** The fresh proof the server asks for before a signed-in user binds (`reverify` step); nothing otherwise. */
export function TotpEnrollmentReverification() {
  const { reverification, step } = useTotpEnrollment()
  if (!reverification || step !== 'reverify') return null
  return <Reverification reverification={reverification} />
}

/** Asks for a setup key: shown while idle (with `autoStart: false`, or after loading failed). */
export const TotpEnrollmentStart = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function TotpEnrollmentStart(props, ref) {
  const { binding } = useTotpEnrollment()
  const { messages } = useMfaLocale()
  if (binding.status !== 'idle') return null
  return (
    <Primitive.button
      type="button"
      data-part="start"
      data-variant="primary"
      {...props}
      onClick={composeEventHandlers(props.onClick, () => void binding.start())}
      ref={ref}
    >
      {props.children ?? (binding.error ? messages.totpEnrollment.retry : messages.totpEnrollment.start)}
    </Primitive.button>
  )
})

/**
 * The QR code of the otpauth URI, drawn locally as SVG with a quiet zone (qrcode.react, loaded
 * on first use). `data-state`: `loading` | `ready`. Renders nothing without a URI.
 */
export const TotpEnrollmentQr = forwardRef<HTMLDivElement, PrimitiveProps<'div'> & { size?: number }>(function TotpEnrollmentQr(
  { size = 176, ...props },
  ref,
) {
  const { binding } = useTotpEnrollment()
  const { messages } = useMfaLocale()
  const uri = binding.data.otpauthUri
  const loading = binding.status === 'loading_secret'
  if (!uri && !loading) return null
  const placeholder = <span data-part="totp-qr-placeholder">{messages.common.loading}</span>
  return (
    <Primitive.div data-part="totp-qr" data-state={uri ? 'ready' : 'loading'} aria-busy={uri ? undefined : true} {...props} ref={ref}>
      {uri ? (
        <Suspense fallback={placeholder}>
          <QRCodeSVG value={uri} size={size} marginSize={4} level="M" role="img" aria-label={messages.totpEnrollment.qrLabel} />
        </Suspense>
      ) : (
        placeholder
      )}
    </Primitive.div>
  )
})

/** The setup key in groups of four, for typing it into an app by hand. */
export const TotpEnrollmentSecret = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function TotpEnrollmentSecret(props, ref) {
  const { binding } = useTotpEnrollment()
  const { messages } = useMfaLocale()
  const groups = binding.data.secretGroups
  if (groups.length === 0) return null
  return (
    <Primitive.p data-part="totp-secret" {...props} ref={ref}>
      {props.children ?? (
        <>
          <span data-part="totp-secret-label">{messages.totpEnrollment.secretLabel}</span>{' '}
          <code data-part="totp-secret-value" translate="no">
            {groups.join(' ')}
          </code>
        </>
      )}
    </Primitive.p>
  )
})

/** Copies the setup key (without spaces) when clicked, and announces it. */
export const TotpEnrollmentCopySecret = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(
  function TotpEnrollmentCopySecret(props, ref) {
    const { binding } = useTotpEnrollment()
    const { messages } = useMfaLocale()
    const copy = useCopy()
    const { secret } = binding.data
    if (!secret) return null
    return (
      <Primitive.button
        type="button"
        data-part="copy-secret"
        data-variant="secondary"
        {...props}
        onClick={composeEventHandlers(props.onClick, () => void copy(secret, messages.totpEnrollment.secretCopied))}
        ref={ref}
      >
        {props.children ?? messages.totpEnrollment.copySecret}
      </Primitive.button>
    )
  },
)

/** A link with the otpauth URI, which opens an authenticator app on the same device. */
export const TotpEnrollmentOpenInApp = forwardRef<HTMLAnchorElement, PrimitiveProps<'a'>>(function TotpEnrollmentOpenInApp(props, ref) {
  const { binding } = useTotpEnrollment()
  const { messages } = useMfaLocale()
  const uri = binding.data.otpauthUri
  if (!uri) return null
  return (
    <Primitive.a data-part="open-in-app" data-variant="secondary" href={uri} {...props} ref={ref}>
      {props.children ?? messages.totpEnrollment.openInApp}
    </Primitive.a>
  )
})

/** The form around the code input; submitting confirms the code. */
export const TotpEnrollmentForm = forwardRef<HTMLFormElement, PrimitiveProps<'form'>>(function TotpEnrollmentForm(props, ref) {
  const { binding } = useTotpEnrollment()
  return <FlowCodeForm code={binding.code} submitCode={binding.confirm} {...props} ref={ref} />
})

/** The code from the app, as a `OneTimeCodeInput` wired to the binding. */
export const TotpEnrollmentCodeInput = forwardRef<HTMLDivElement, OneTimeCodeInputRootProps>(function TotpEnrollmentCodeInput(props, ref) {
  const { binding, feedback } = useTotpEnrollment()
  const { messages } = useMfaLocale()
  return <FlowCodeInput flow={binding} feedback={feedback} label={messages.totpEnrollment.codeLabel} {...props} ref={ref} />
})

/** Submits the form; `aria-disabled` until the code is complete. */
export const TotpEnrollmentSubmit = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function TotpEnrollmentSubmit(props, ref) {
  const { binding } = useTotpEnrollment()
  const { messages } = useMfaLocale()
  const unavailable = !binding.code.isComplete || binding.status !== 'awaiting_code'
  return (
    <FlowCodeSubmit
      busy={binding.status === 'confirming'}
      unavailable={unavailable}
      label={messages.totpEnrollment.submit}
      {...props}
      ref={ref}
    />
  )
})

/** TOTP binding, as a root with parts. */
export const TotpEnrollment = {
  Root: TotpEnrollmentRoot,
  Step,
  Heading,
  Description,
  Start: TotpEnrollmentStart,
  Qr: TotpEnrollmentQr,
  Secret: TotpEnrollmentSecret,
  CopySecret: TotpEnrollmentCopySecret,
  OpenInApp: TotpEnrollmentOpenInApp,
  Form: TotpEnrollmentForm,
  CodeInput: TotpEnrollmentCodeInput,
  Submit: TotpEnrollmentSubmit,
  RecoveryCode,
  CopyRecoveryCode,
  DownloadRecoveryCode,
  PrintRecoveryCode,
  Acknowledge: AcknowledgeRecoveryCode,
  Finish: FinishRecoveryCode,
  Reverification: TotpEnrollmentReverification,
  Restart,
}
