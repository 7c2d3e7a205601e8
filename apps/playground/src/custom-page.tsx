/**
 * The same flows as the drop-in guard, built only from `@mfa-kit/hooks` and `@mfa-kit/hooks/binding`
 * with plain markup: what a team with its own design system writes. Every input is labelled and
 * described by the hooks' prop getters; the statuses drive what is shown.
 */

import type { MfaTrigger } from '@mfa-kit/client'
import { useLogin, useMfaChallenge, useMfaSession, useRecoveryCodeVerify, useSignUp, useTotpVerify } from '@mfa-kit/hooks'
import { type OobBindingResult, useEmailBinding, useSmsBinding, useTotpBinding } from '@mfa-kit/hooks/binding'
import { type FormEvent, useState } from 'react'

export function CustomPage() {
  const session = useMfaSession()
  const [trigger, setTrigger] = useState<MfaTrigger | null>(null)

  if (session.status === 'signed_in') {
    return (
      <section className="pg-card" aria-labelledby="custom-signed-in">
        <h2 id="custom-signed-in">Signed in</h2>
        <p>
          Hello, <strong>{session.data.user.email ?? session.data.user.username ?? session.data.user.phone}</strong>.
        </p>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </section>
    )
  }
  if (session.status === 'restoring') return <p>Restoring your session…</p>
  // The challenge signs the user in through the session; the trigger is done with either way.
  if (trigger) return <Challenge trigger={trigger} onDone={() => setTrigger(null)} />
  return <SignIn onMfaRequired={setTrigger} />
}

function SignIn({ onMfaRequired }: { onMfaRequired: (trigger: MfaTrigger) => void }) {
  const login = useLogin()
  const signUp = useSignUp()
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in')
  const flow = mode === 'sign-in' ? login : signUp
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email'))
    const password = String(form.get('password'))
    const result =
      mode === 'sign-in'
        ? await login.loginByEmail(email, password)
        : await signUp.registerByEmail(email, password, undefined, { forceLogin: true })
    if (result.status === 'mfa_required') onMfaRequired(result.data.trigger)
  }
  const message =
    flow.status === 'rate_limited'
      ? `Too many attempts: try again in ${flow.secondsLeft} s.`
      : flow.status === 'sign_in_required'
        ? 'Account created: sign in now.'
        : flow.error
          ? describe(flow.error.code)
          : ''
  return (
    <form className="pg-card" aria-labelledby="custom-title" onSubmit={submit}>
      <h2 id="custom-title">{mode === 'sign-in' ? 'Sign in' : 'Create an account'}</h2>
      <label htmlFor="custom-email">Email</label>
      <input id="custom-email" name="email" type="email" autoComplete="username" required />
      <label htmlFor="custom-password">Password</label>
      <input
        id="custom-password"
        name="password"
        type="password"
        autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
        minLength={mode === 'sign-up' ? 8 : undefined}
        required
      />
      <p role="status" className="pg-message">
        {message}
      </p>
      <button type="submit" disabled={flow.status === 'submitting'}>
        {mode === 'sign-in' ? 'Sign in' : 'Create account'}
      </button>
      <button type="button" className="pg-link" onClick={() => setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in')}>
        {mode === 'sign-in' ? 'No account yet? Create one' : 'Have an account? Sign in'}
      </button>
    </form>
  )
}

function Challenge({ trigger, onDone }: { trigger: MfaTrigger; onDone: () => void }) {
  const challenge = useMfaChallenge(trigger, { factors: ['OTP', 'SMS', 'EMAIL'], onRestart: onDone, onVerified: onDone })
  if (challenge.status === 'expired') {
    return (
      <section className="pg-card" aria-labelledby="custom-expired">
        <h2 id="custom-expired">Sign in again</h2>
        <p>{challenge.error?.code === 'too_many_attempts' ? 'This sign-in used up its attempts.' : 'This sign-in has expired.'}</p>
        <button type="button" onClick={challenge.restart}>
          Back to sign-in
        </button>
      </section>
    )
  }
  if (challenge.status === 'unavailable') return <p>No second factor can be offered here.</p>
  if (challenge.status === 'verified') return <p>Signed in.</p>
  const factor = challenge.data.factor
  return (
    <section className="pg-card" aria-labelledby="custom-second-factor">
      <h2 id="custom-second-factor">Second factor</h2>
      {challenge.data.factors.length > 1 && (
        <nav aria-label="Other ways to verify" className="pg-factors">
          {challenge.data.factors.map(({ type }) => (
            <button key={type} {...challenge.getFactorButtonProps(type)}>
              {FACTOR_NAMES[type] ?? type}
            </button>
          ))}
        </nav>
      )}
      {challenge.status === 'recovering' ? (
        <RecoveryCode flow={challenge.flow} />
      ) : factor === 'OTP' && challenge.status === 'binding' ? (
        <TotpBinding flow={challenge.flow} />
      ) : factor === 'OTP' ? (
        <>
          <TotpCode flow={challenge.flow} />
          <button type="button" className="pg-link" onClick={challenge.startRecovery}>
            Use a recovery code instead
          </button>
        </>
      ) : factor === 'SMS' ? (
        <SmsCode flow={challenge.flow} />
      ) : factor === 'EMAIL' ? (
        <EmailCode flow={challenge.flow} />
      ) : null}
    </section>
  )
}

type Flow = ReturnType<typeof useMfaChallenge>['flow']

function TotpCode({ flow }: { flow: Flow }) {
  const totp = useTotpVerify(flow)
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        void totp.verify(totp.code.value)
      }}
    >
      <label {...totp.getLabelProps()}>Code from your authenticator app</label>
      <input {...totp.getCodeInputProps({ className: 'pg-code' })} />
      <p {...totp.getErrorProps({ className: 'pg-message' })}>
        {totp.status === 'rate_limited' ? `Locked: try again in ${totp.secondsLeft} s.` : totp.error ? describe(totp.error.code) : ''}
      </p>
      <button type="submit">Verify</button>
    </form>
  )
}

function TotpBinding({ flow }: { flow: Flow }) {
  const binding = useTotpBinding(flow)
  if (binding.status === 'showing_recovery_code') {
    return (
      <div>
        <p>Save this recovery code. It signs you in once if you lose your phone:</p>
        <p className="pg-secret" data-testid="custom-recovery-code">
          {binding.data.recoveryCode}
        </p>
        <label>
          <input {...binding.getAcknowledgeProps()} /> I have saved my recovery code
        </label>
        <button {...binding.getFinishProps()}>Continue</button>
      </div>
    )
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        void binding.confirm(binding.code.value)
      }}
    >
      <p>Scan the QR code with an authenticator app, or type the key.</p>
      {binding.data.qrcodeDataUrl ? (
        <img className="pg-qr" src={binding.data.qrcodeDataUrl} alt="QR code to add this account to an authenticator app" />
      ) : null}
      <p>
        Setup key: <span className="pg-secret">{binding.data.secretGroups?.join(' ')}</span>
      </p>
      <label {...binding.getLabelProps()}>Code from the app</label>
      <input {...binding.getCodeInputProps({ className: 'pg-code' })} />
      <p {...binding.getErrorProps({ className: 'pg-message' })}>{binding.error ? describe(binding.error.code) : ''}</p>
      <button type="submit">Confirm</button>
    </form>
  )
}

function RecoveryCode({ flow }: { flow: Flow }) {
  const recovery = useRecoveryCodeVerify(flow)
  if (recovery.status === 'showing_recovery_code') {
    return (
      <div>
        <p>Your old recovery code is used up. This is your new one:</p>
        <p className="pg-secret">{recovery.data.recoveryCode}</p>
        <label>
          <input {...recovery.getAcknowledgeProps()} /> I have saved my new recovery code
        </label>
        <button {...recovery.getFinishProps()}>Continue</button>
      </div>
    )
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        void recovery.verify()
      }}
    >
      <label {...recovery.getLabelProps()}>Recovery code</label>
      <input {...recovery.getCodeInputProps()} />
      <p {...recovery.getErrorProps({ className: 'pg-message' })}>{recovery.error ? describe(recovery.error.code) : ''}</p>
      <button type="submit">Sign in</button>
    </form>
  )
}

const SmsCode = ({ flow }: { flow: Flow }) => <PhoneOrEmailCode channel="sms" code={useSmsBinding(flow)} />
const EmailCode = ({ flow }: { flow: Flow }) => <PhoneOrEmailCode channel="email" code={useEmailBinding(flow)} />

function PhoneOrEmailCode({ channel, code }: { channel: 'sms' | 'email'; code: OobBindingResult }) {
  if (code.status === 'binding') {
    return (
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void code.send()
        }}
      >
        <label {...code.getLabelProps()}>{channel === 'sms' ? 'Your phone number (with +country code)' : 'Your email address'}</label>
        <input {...code.getDestinationInputProps()} />
        <p {...code.getErrorProps({ className: 'pg-message' })}>{code.error ? describe(code.error.code) : ''}</p>
        <button {...code.getSendButtonProps()}>Send a code</button>
      </form>
    )
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        void code.verify(code.code.value)
      }}
    >
      <p>We sent a code to {code.data.maskedDestination}.</p>
      <label {...code.getLabelProps()}>Code</label>
      <input {...code.getCodeInputProps({ className: 'pg-code' })} />
      <p {...code.getErrorProps({ className: 'pg-message' })}>{code.error ? describe(code.error.code) : ''}</p>
      <button type="submit">Verify</button>
      <button {...code.getSendButtonProps({ className: 'pg-link' })}>
        {code.resendSecondsLeft > 0 ? `Resend in ${code.resendSecondsLeft} s` : 'Resend the code'}
      </button>
    </form>
  )
}

const FACTOR_NAMES: Record<string, string> = { OTP: 'Authenticator app', SMS: 'Text message', EMAIL: 'Email' }

/** The kit's error codes, in words: branch on the code, never on the server's message. */
function describe(code: string): string {
  const words: Record<string, string> = {
    invalid_code: 'That code is not right.',
    code_expired: 'That code has expired: ask for a new one.',
    invalid_credentials: 'Wrong email or password.',
    user_exists: 'An account with this email exists: sign in instead.',
    weak_password: 'Use at least 8 characters.',
    invalid_email: 'That email address is not valid.',
    invalid_phone: 'That phone number is not valid.',
    invalid_recovery_code: 'That recovery code is not right.',
    network: 'The server cannot be reached.',
  }
  return words[code] ?? 'Something went wrong. Try again.'
}
