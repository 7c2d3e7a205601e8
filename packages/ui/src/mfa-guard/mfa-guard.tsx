import { Suspense, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode, RefObject } from 'react'
import { MfaProvider, useMfaChallenge, useMfaSession } from '@mfa-kit/hooks'
import type { MfaClient, MfaEnrollment, MfaError, MfaPolicy, MfaProviderProps, MfaTrigger, TokenStore, User } from '@mfa-kit/hooks'
import { errorMessage, MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaErrorCode, MfaLocale, MfaMessagesOverride } from '../i18n/types'
import { useStepFocus } from '../shared/flow'
import { getMfaGuardComponents } from './components'
import type { MfaGuardComponentOverrides, MfaGuardComponents, MfaGuardSignInProps } from './components'

/** Where the guard is: checking a stored session, signed out, in the second factor, or through. */
export type MfaGuardStatus = 'restoring' | 'signed_out' | 'challenge' | 'signed_in'

export interface MfaGuardContextValue {
  /** Where the guard is: `restoring`, `signed_out`, `challenge` or `signed_in`. */
  status: MfaGuardStatus
  /** The signed-in user, once through. */
  user: User | null
  /** Signs out (revoking the token on the server); the guard shows the sign-in again. */
  signOut: () => Promise<void>
  /**
   * Asks the signed-in user for a fresh proof of a factor, in a dialog, before a sensitive action
   * of yours: resolves once it was given, rejects (with an `MfaError`, usually
   * `reauthentication_required`) when the user cancels.
   */
  requireStepUp: () => Promise<void>
  /** Starts the second factor from a login answer of your own sign-in form (`mfa_required`). */
  startChallenge: (trigger: MfaTrigger) => void
}

const GuardContext = createContext<MfaGuardContextValue | null>(null)

/** The guard's user, `signOut`, `requireStepUp` and `startChallenge`. Throws outside `<MfaGuard>`. */
export function useMfaGuard(): MfaGuardContextValue {
  const ctx = useContext(GuardContext)
  if (!ctx) throw new Error('useMfaGuard must be used inside <MfaGuard>')
  return ctx
}

export interface MfaGuardProps {
  /** What only a signed-in user who passed the second factor sees. */
  children?: ReactNode
  /**
   * The client, when there is no `<MfaProvider>` above: the guard makes one, so the drop-in is
   * `<MfaGuard client={client}>…</MfaGuard>`. Create it once, outside components.
   */
  client?: MfaClient
  /** With `client`: where to keep the access token between page loads (see `MfaProvider`). @default memory only */
  tokenStore?: TokenStore
  /** With `client`: the QueryClient for MFA queries (see `MfaProvider`). */
  queryClient?: MfaProviderProps['queryClient']
  /** The sign-in, instead of the default `PasswordSignIn`: an element, or a function of {@link MfaGuardSignInProps}. */
  signIn?: ReactNode | ((props: MfaGuardSignInProps) => ReactNode)
  /** Starts with the second factor of a login your own form did (its 1635 or 1636 answer). */
  mfaTrigger?: MfaTrigger | null
  /** Called once per signed-in user, when the children are first shown to them. */
  onAuthenticated?: (user: User) => void
  /** Replacements for any part, by slot (see {@link MfaGuardComponents}); face is offered only with a `FaceChallenge`. */
  components?: MfaGuardComponentOverrides
  /** The factors this page runs. @default ['OTP', 'SMS', 'EMAIL'], and 'FACE' with a `FaceChallenge` */
  factors?: readonly MfaPolicy[]
  /** Who may bind a factor while signing in, as the server is configured. @default 'first-factor' */
  enrollment?: MfaEnrollment
  /** Send SMS and email codes as soon as their step shows. @default true */
  autoSend?: boolean
  /** Shown while a stored session is checked. @default a busy card */
  fallback?: ReactNode
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

/**
 * Renders `children` only for a signed-in user who passed the second factor. Signed out, it
 * shows the sign-in (with sign-up); then the second factor the server asks for, binding one where
 * the account has none, with the other factors to pick from; then the children, with focus moved
 * into them. An expired sign-in goes back to the sign-in with a message saying so.
 *
 * ```tsx
 * <MfaGuard client={client}>
 *   <App />
 * </MfaGuard>
 * ```
 */
export function MfaGuard({ client, tokenStore, queryClient, ...props }: MfaGuardProps): ReactNode {
  const guard = (
    <MfaLocaleProvider locale={props.locale} messages={props.messages}>
      <Guard {...props} />
    </MfaLocaleProvider>
  )
  return client ? (
    <MfaProvider client={client} tokenStore={tokenStore} queryClient={queryClient}>
      {guard}
    </MfaProvider>
  ) : (
    guard
  )
}

const DEFAULT_FACTORS: readonly MfaPolicy[] = ['OTP', 'SMS', 'EMAIL']

type StepUp = { resolve: () => void; reject: (error: MfaError | null) => void }

function Guard({
  children,
  signIn,
  mfaTrigger,
  onAuthenticated,
  components: overrides,
  factors: factorsProp,
  enrollment,
  autoSend,
  fallback,
}: Omit<MfaGuardProps, 'client' | 'tokenStore' | 'queryClient' | 'locale' | 'messages'>) {
  const session = useMfaSession()
  const { messages, locale } = useMfaLocale()
  const components = useMemo(() => getMfaGuardComponents(overrides), [overrides])
  const [trigger, setTrigger] = useState<MfaTrigger | null>(mfaTrigger ?? null)
  const [notice, setNotice] = useState<MfaErrorCode | null>(null)
  const [stepUp, setStepUp] = useState<StepUp | null>(null)
  const root = useRef<HTMLDivElement | null>(null)
  const content = useRef<HTMLDivElement | null>(null)

  // A new login answer from the app's own form starts its challenge.
  const given = useRef(mfaTrigger?.mfaToken)
  useEffect(() => {
    if (!mfaTrigger || given.current === mfaTrigger.mfaToken) return
    given.current = mfaTrigger.mfaToken
    setNotice(null)
    setTrigger(mfaTrigger)
  }, [mfaTrigger])

  const user = session.status === 'signed_in' ? session.data.user : null
  const status: MfaGuardStatus = user ? 'signed_in' : session.status === 'restoring' ? 'restoring' : trigger ? 'challenge' : 'signed_out'

  // Once through: forget the sign-in, tell the app once per user, and move focus into the content.
  const told = useRef<string | null>(null)
  const shownSignIn = useRef(false)
  if (status === 'signed_out' || status === 'challenge') shownSignIn.current = true
  const latest = useRef(onAuthenticated)
  latest.current = onAuthenticated
  useEffect(() => {
    if (!user) {
      told.current = null
      return
    }
    setTrigger(null)
    setNotice(null)
    if (told.current === user.id) return
    told.current = user.id
    latest.current?.(user)
    if (shownSignIn.current) content.current?.focus()
  }, [user])
  useStepFocus(status, root)

  const startChallenge = useCallback((next: MfaTrigger) => {
    setNotice(null)
    setTrigger(next)
  }, [])
  const backToSignIn = useCallback((reason: MfaErrorCode | null) => {
    setTrigger(null)
    setNotice(reason)
  }, [])
  const { signOut: endSession } = session
  const value: MfaGuardContextValue = {
    status,
    user,
    signOut: async () => {
      await endSession()
      backToSignIn(null)
    },
    requireStepUp: () =>
      new Promise<void>((resolve, reject) => {
        if (!user) return reject(new Error('requireStepUp needs a signed-in user'))
        returnTo.current = document.activeElement as HTMLElement | null
        setStepUp({ resolve, reject })
      }),
    startChallenge,
  }

  // While the step-up dialog is open, the rest of the page is out of reach (modal); once it
  // closes, focus goes back where it was.
  const returnTo = useRef<HTMLElement | null>(null)
  useEffect(() => {
    const node = content.current
    if (!node) return
    node.toggleAttribute('inert', !!stepUp)
    if (stepUp) return
    returnTo.current?.focus()
    returnTo.current = null
  }, [stepUp])

  const signInProps: MfaGuardSignInProps = { onMfaRequired: startChallenge, notice: notice && errorMessage(messages, notice) }
  const factors = factorsProp ?? (components.FaceChallenge ? [...DEFAULT_FACTORS, 'FACE'] : DEFAULT_FACTORS)
  const { StepUp } = components
  return (
    <GuardContext.Provider value={value}>
      {status === 'signed_in' ? (
        <>
          <div data-part="guard-content" tabIndex={-1} ref={content}>
            {children}
          </div>
          {stepUp && (
            <Suspense fallback={null}>
              <StepUp
                onDone={() => {
                  setStepUp(null)
                  stepUp.resolve()
                }}
                onCancel={(error) => {
                  setStepUp(null)
                  stepUp.reject(error)
                }}
              />
            </Suspense>
          )}
        </>
      ) : (
        <div data-part="mfa-guard" data-state={status} lang={locale} ref={root}>
          {status === 'restoring' ? (
            (fallback ?? (
              <div data-mfa="" aria-busy="true">
                <p>{messages.common.loading}</p>
              </div>
            ))
          ) : status === 'challenge' && trigger ? (
            <GuardChallenge
              key={trigger.mfaToken}
              trigger={trigger}
              components={components}
              factors={factors}
              enrollment={enrollment}
              autoSend={autoSend}
              onEnd={backToSignIn}
            />
          ) : typeof signIn === 'function' ? (
            signIn(signInProps)
          ) : (
            (signIn ?? <components.SignIn {...signInProps} />)
          )}
        </div>
      )}
    </GuardContext.Provider>
  )
}

function GuardChallenge({
  trigger,
  components: C,
  factors,
  enrollment,
  autoSend,
  onEnd,
}: {
  trigger: MfaTrigger
  components: MfaGuardComponents
  factors: readonly MfaPolicy[]
  enrollment: MfaEnrollment | undefined
  autoSend: boolean | undefined
  onEnd: (reason: MfaErrorCode | null) => void
}) {
  const { messages } = useMfaLocale()
  const restart = () => onEnd(null)
  const challenge = useMfaChallenge(trigger, { factors, enrollment, onRestart: restart })
  const { status, error } = challenge
  useEffect(() => {
    if (status === 'expired') onEnd(error?.code ?? 'mfa_token_expired')
  }, [status, error, onEnd])

  const { factor } = challenge.data
  const bound = challenge.data.factors.find((f) => f.current)?.bound ?? false
  const container = useRef<HTMLDivElement | null>(null)
  const { mfaToken, onVerified, onExpired } = challenge.flow
  const common = { mfaToken, onVerified, onExpired, onRestart: restart }
  // Face that cannot finish this sign-in: offer the others.
  const [faceRefused, setFaceRefused] = useState(false)
  let view: ReactNode = null
  if (status === 'unavailable' || (factor === 'FACE' && faceRefused)) {
    view = (
      <div data-mfa="" data-part="guard-unavailable">
        <h2 data-part="heading" tabIndex={-1}>
          {messages.guard.unavailableTitle}
        </h2>
        <p data-part="description">{messages.guard.unavailableBody}</p>
        <button type="button" data-variant="primary" onClick={restart}>
          {messages.common.restart}
        </button>
      </div>
    )
  } else if (factor === 'OTP') {
    view =
      status === 'binding' ? (
        <C.TotpEnrollment key="otp-binding" {...common} />
      ) : (
        <C.TotpChallenge
          key="otp"
          {...common}
          mode={status === 'recovering' ? 'recovery' : 'totp'}
          onModeChange={(mode) => (mode === 'recovery' ? challenge.startRecovery() : challenge.stopRecovery())}
        />
      )
  } else if (factor === 'SMS') {
    view = (
      <C.SmsChallenge
        key="sms"
        {...common}
        phone={challenge.flow.phone}
        phoneCountryCode={challenge.flow.phoneCountryCode}
        autoSend={autoSend}
      />
    )
  } else if (factor === 'EMAIL') {
    view = <C.EmailChallenge key="email" {...common} email={challenge.flow.email} autoSend={autoSend} />
  } else if (factor === 'FACE') {
    const refuse = () => setFaceRefused(true)
    if (bound && C.FaceChallenge) view = <C.FaceChallenge key="face" {...common} onUnavailable={refuse} />
    else if (!bound && C.FaceEnrollment) {
      view = <C.FaceEnrollment key="face-binding" {...common} onDone={(user) => user && onVerified(user)} onUnavailable={refuse} />
    }
  }
  return (
    <div data-mfa="" data-part="guard-challenge" data-state={status} ref={container}>
      <Suspense fallback={<p aria-busy="true">{messages.common.loading}</p>}>
        {view}
        <FocusHeading key={`${factor}:${status === 'binding'}`} container={container} />
      </Suspense>
      <C.FactorPicker challenge={challenge} />
    </div>
  )
}

/**
 * Moves focus to the first heading in `container` once it is on screen: the factor shown, when
 * the challenge starts or another factor is picked (after its code arrived, for a lazy one).
 */
function FocusHeading({ container }: { container: RefObject<HTMLElement | null> }) {
  useEffect(() => {
    container.current?.querySelector<HTMLElement>('[data-part="heading"]')?.focus()
  }, [container])
  return null
}
