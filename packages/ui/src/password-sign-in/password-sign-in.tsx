import { forwardRef, useEffect, useId, useRef, useState } from 'react'
import type { FormEvent, ReactNode } from 'react'
import { useLogin, useSignUp } from '@mfa-kit/hooks'
import type { MfaTrigger, User } from '@mfa-kit/hooks'
import { formatMessage, MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaLocale, MfaMessagesOverride } from '../i18n/types'
import { AnnounceProvider, useAnnounce, useAnnouncer } from '../primitives/announcer'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { submitProps, useFlowFeedback, useStepFocus } from '../shared/flow'
import { TextField } from '../shared/text-field'

/** Which form is on screen, as `data-step` on the root. */
export type PasswordSignInMode = 'sign-in' | 'sign-up'

export interface PasswordSignInRootProps extends PrimitiveProps<'div'> {
  /** The server asks for a second factor: the trigger to finish with (`<MfaGuard>` does it for you). */
  onMfaRequired?: (trigger: MfaTrigger) => void
  /** Signed in without a second factor; the session records the user too. */
  onSignedIn?: (user: User) => void
  /** The form shown first. @default 'sign-in' */
  defaultMode?: PasswordSignInMode
  /** Offer to create an account (`useSignUp`, with an email and a password). @default true */
  signUp?: boolean
  /** A message above the form, such as why the user is back here. */
  notice?: ReactNode
  /** The shortest password sign-up accepts, for its hint (the client's `minPasswordLength`). @default 8 */
  minPasswordLength?: number
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

/**
 * A small, complete sign-in: an email, a phone or a username with a password (`useLogin`), and
 * creating an account with an email and a password (`useSignUp`). Empty fields are pointed out
 * before anything is sent; the server's answer is linked to the field it is about and announced.
 *
 * `data-step`: `sign-in` | `sign-up`; `data-state`: the status of the request on screen.
 */
export const PasswordSignInRoot = forwardRef<HTMLDivElement, PasswordSignInRootProps>(function PasswordSignInRoot(
  { locale, messages, ...props },
  ref,
) {
  return (
    <MfaLocaleProvider locale={locale} messages={messages}>
      <SignInRoot {...props} ref={ref} />
    </MfaLocaleProvider>
  )
})

const SignInRoot = forwardRef<HTMLDivElement, Omit<PasswordSignInRootProps, 'locale' | 'messages'>>(function SignInRoot(
  { onMfaRequired, onSignedIn, defaultMode = 'sign-in', signUp: canSignUp = true, notice, minPasswordLength = 8, children, ...props },
  forwardedRef,
) {
  const { locale } = useMfaLocale()
  const { announce, region } = useAnnouncer()
  const root = useRef<HTMLDivElement | null>(null)
  const ref = useComposedRefs(root, forwardedRef)
  const [mode, setMode] = useState<PasswordSignInMode>(canSignUp ? defaultMode : 'sign-in')
  const [created, setCreated] = useState<string | null>(null)
  useStepFocus(mode, root)
  const switchTo = (next: PasswordSignInMode) => {
    setCreated(null)
    setMode(next)
  }

  return (
    <AnnounceProvider value={announce}>
      <Primitive.div data-mfa="" data-part="password-sign-in" data-step={mode} lang={locale} {...props} ref={ref}>
        {children ??
          (mode === 'sign-in' ? (
            <SignInForm
              notice={created ? null : notice}
              created={created}
              onMfaRequired={onMfaRequired}
              onSignedIn={onSignedIn}
              onSignUp={canSignUp ? () => switchTo('sign-up') : undefined}
            />
          ) : (
            <SignUpForm
              minPasswordLength={minPasswordLength}
              onMfaRequired={onMfaRequired}
              onSignedIn={onSignedIn}
              onSignIn={() => switchTo('sign-in')}
              onCreated={(email) => {
                setCreated(email)
                setMode('sign-in')
              }}
            />
          ))}
      </Primitive.div>
      {region}
    </AnnounceProvider>
  )
})

/** Empty fields, by name, pointed out at once and announced; the first takes focus. */
function useRequired(fields: Record<string, string>) {
  const { messages } = useMfaLocale()
  const announce = useAnnounce()
  const [missing, setMissing] = useState<string[]>([])
  return {
    errorOf: (name: string) => (missing.includes(name) && !fields[name]?.trim() ? messages.signIn.required : null),
    /** True when every field is filled; otherwise marks the empty ones and focuses the first. */
    check: (form: HTMLFormElement) => {
      const empty = Object.keys(fields).filter((name) => !fields[name]?.trim())
      setMissing(empty)
      if (empty.length === 0) return true
      announce(messages.signIn.required)
      form.querySelector<HTMLInputElement>(`[name="${empty[0]}"]`)?.focus()
      return false
    },
  }
}

/** Which login call an account typed into one field needs. */
function loginMethod(account: string): 'loginByEmail' | 'loginByPhonePassword' | 'loginByUsername' {
  if (account.includes('@')) return 'loginByEmail'
  return /^\+?[\d\s().-]{5,}$/.test(account) ? 'loginByPhonePassword' : 'loginByUsername'
}

function SignInForm(props: {
  notice: ReactNode
  created: string | null
  onMfaRequired: ((trigger: MfaTrigger) => void) | undefined
  onSignedIn: ((user: User) => void) | undefined
  onSignUp: (() => void) | undefined
}) {
  const { messages } = useMfaLocale()
  const m = messages.signIn
  const login = useLogin()
  const id = useId()
  const [account, setAccount] = useState(props.created ?? '')
  const [password, setPassword] = useState('')
  const passwordField = useRef<HTMLDivElement | null>(null)
  const feedback = useFlowFeedback(login, passwordField)
  const required = useRequired({ account, password })
  const latest = useRef(props)
  latest.current = props

  useEffect(() => {
    if (login.status === 'mfa_required') latest.current.onMfaRequired?.(login.data.trigger)
    if (login.status === 'authenticated') latest.current.onSignedIn?.(login.data.user)
  }, [login.status, login.data.trigger, login.data.user])

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!required.check(event.currentTarget) || login.status !== 'idle') return
    const name = account.trim()
    void login[loginMethod(name)](name, password)
  }
  const busy = login.status === 'submitting'
  return (
    <>
      <h2 data-part="heading" tabIndex={-1}>
        {m.title}
      </h2>
      {(props.created || props.notice) && (
        <p data-part="notice" role={props.created ? undefined : 'alert'}>
          {props.created ? m.created : props.notice}
        </p>
      )}
      <form data-part="form" noValidate onSubmit={submit}>
        <TextField
          label={m.accountLabel}
          error={required.errorOf('account')}
          input={{
            id: `${id}account`,
            name: 'account',
            type: 'text',
            autoComplete: 'username',
            autoCapitalize: 'none',
            spellCheck: false,
            value: account,
            onChange: (e) => setAccount(e.currentTarget.value),
          }}
        />
        <div data-part="field-group" ref={passwordField}>
          <TextField
            label={m.passwordLabel}
            error={required.errorOf('password') ?? feedback.message}
            invalid={!!required.errorOf('password') || feedback.invalid}
            input={{
              id: `${id}password`,
              name: 'password',
              type: 'password',
              autoComplete: 'current-password',
              value: password,
              onChange: (e) => setPassword(e.currentTarget.value),
            }}
          />
        </div>
        <button {...submitProps({ unavailable: login.status !== 'idle', busy }, {})}>{busy ? m.submitting : m.submit}</button>
      </form>
      {props.onSignUp && (
        <p data-part="switch">
          {m.noAccount}{' '}
          <button type="button" data-variant="link" onClick={props.onSignUp}>
            {m.toSignUp}
          </button>
        </p>
      )}
    </>
  )
}

function SignUpForm(props: {
  minPasswordLength: number
  onMfaRequired: ((trigger: MfaTrigger) => void) | undefined
  onSignedIn: ((user: User) => void) | undefined
  onSignIn: () => void
  onCreated: (email: string) => void
}) {
  const { messages } = useMfaLocale()
  const m = messages.signIn
  const signUp = useSignUp()
  const id = useId()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const emailField = useRef<HTMLDivElement | null>(null)
  const passwordField = useRef<HTMLDivElement | null>(null)
  const onEmail = signUp.error?.code === 'invalid_email' || signUp.error?.code === 'user_exists'
  const feedback = useFlowFeedback(signUp, onEmail ? emailField : passwordField)
  const required = useRequired({ email, password })
  const latest = useRef({ ...props, email })
  latest.current = { ...props, email }

  useEffect(() => {
    if (signUp.status === 'mfa_required') latest.current.onMfaRequired?.(signUp.data.trigger)
    if (signUp.status === 'authenticated') latest.current.onSignedIn?.(signUp.data.user)
    if (signUp.status === 'sign_in_required') latest.current.onCreated(latest.current.email.trim())
  }, [signUp.status, signUp.data.trigger, signUp.data.user])

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!required.check(event.currentTarget) || signUp.status !== 'idle') return
    void signUp.registerByEmail(email.trim(), password, undefined, { forceLogin: true })
  }
  const busy = signUp.status === 'submitting'
  const passwordError = required.errorOf('password') ?? (onEmail ? null : feedback.message)
  const emailError = required.errorOf('email') ?? (onEmail ? feedback.message : null)
  return (
    <>
      <h2 data-part="heading" tabIndex={-1}>
        {m.signUpTitle}
      </h2>
      <form data-part="form" noValidate onSubmit={submit}>
        <div data-part="field-group" ref={emailField}>
          <TextField
            label={m.emailLabel}
            error={emailError}
            input={{
              id: `${id}email`,
              name: 'email',
              type: 'email',
              autoComplete: 'email',
              value: email,
              onChange: (e) => setEmail(e.currentTarget.value),
            }}
          />
        </div>
        <div data-part="field-group" ref={passwordField}>
          <TextField
            label={m.newPasswordLabel}
            hint={formatMessage(m.passwordHint, { min: props.minPasswordLength })}
            error={passwordError}
            input={{
              id: `${id}password`,
              name: 'password',
              type: 'password',
              autoComplete: 'new-password',
              minLength: props.minPasswordLength,
              value: password,
              onChange: (e) => setPassword(e.currentTarget.value),
            }}
          />
        </div>
        <button {...submitProps({ unavailable: signUp.status !== 'idle', busy }, {})}>{busy ? m.submitting : m.signUpSubmit}</button>
      </form>
      <p data-part="switch">
        <button type="button" data-variant="link" onClick={props.onSignIn}>
          {m.toSignIn}
        </button>
      </p>
    </>
  )
}

/** Sign-in and sign-up with a password. */
export const PasswordSignIn = { Root: PasswordSignInRoot }
