import { useEffect, useRef, useState } from '../peer'
import type { ChangeEvent } from 'react'
import type { MfaError, User, VerifyAppSmsMfaOptions } from '@mfa-kit/client'
import { useOneTimeCode } from '../one-time-code/use-one-time-code'
import type { UseOneTimeCodeResult } from '../one-time-code/use-one-time-code'
import { mfaMutationOptions } from '../query-options'
import type { SendSmsVariables } from '../query-options'
import { mergeProps } from '../utils/compose'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { maskEmail, maskPhone } from '../utils/mask'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import type { BindableCheckStatus } from './bindable-status'
import { oobMfaInitialState, oobMfaReducer } from './oob.reducer'
import type { OobMfaStatus } from './oob.reducer'
import { useBindableCheck } from './use-bindable-check'

export interface OobMfaOptions extends FlowCallbacks {
  /** The mfaToken of the login in progress. */
  mfaToken: string
  /** Send a code on mount when the destination is already bound (Guard does). @default true */
  autoSend?: boolean
  /** Digits in a code. @default 6 */
  codeLength?: number
  /** Verify as soon as the last digit is in. @default true */
  autoSubmit?: boolean
  /** Check a destination being bound with the server while the user types. @default true */
  bindableCheck?: boolean
  /** Debounce of the bindable check. @default 500 */
  debounceMs?: number
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
}

export interface OobMfaData {
  /** Where codes go, once known. */
  destination: string | null
  /** The destination masked for display, as Guard shows it. */
  maskedDestination: string | null
  /** The destination was bound before; it cannot be changed here. */
  bound: boolean
  /** The signed-in user, once `verified`. */
  user: User | null
}

/** Props of the phone or email `<input>` used while binding. */
export interface DestinationInputProps {
  type: 'tel' | 'email'
  inputMode: 'tel' | 'email'
  autoComplete: 'tel' | 'email'
  value: string
  disabled: boolean
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
}

export interface OobMfaResult {
  status: OobMfaStatus
  error: MfaError | null
  data: OobMfaData
  /** The destination typed while `binding`. */
  destinationInput: string
  setDestinationInput: (value: string) => void
  /** The server's verdict on the typed destination. */
  bindable: BindableCheckStatus
  /** Sends (or resends) a code. Resolves to true when sent. */
  send: () => Promise<boolean>
  /** Verifies a code. Resolves to the user, or `null`. */
  verify: (code: string) => Promise<User | null>
  /** Starts over: `idle` with a bound destination, else `binding` with the typed destination kept for editing. */
  reset: () => void
  /** True when a send is possible now (not waiting for the resend countdown). */
  canSend: boolean
  /** Seconds until the next send, or until attempts are accepted again while `rate_limited`. */
  secondsLeft: number
  code: UseOneTimeCodeResult
  getCodeInputProps: UseOneTimeCodeResult['getInputProps']
  getDestinationInputProps: PropGetter<DestinationInputProps>
  /** The send / resend button; disabled during the countdown. */
  getSendButtonProps: PropGetter<ActionButtonProps>
}

/** The SMS and email flows: (bind →) send → verify, with a resend countdown driven by the server. */
export function useOobMfa(
  sms: boolean,
  options: OobMfaOptions,
  bound: string | null | undefined,
  phoneCountryCode: string | undefined,
): OobMfaResult {
  const { mfaToken, autoSend = true } = options
  const flow = useFlow(oobMfaReducer, () => oobMfaInitialState(bound), options)
  const { state, send: dispatch, client, countdown } = flow
  const [input, setInput] = useState('')
  const autoSent = useRef(false)
  const { status } = state
  // SMS and email differ only in their client methods and the name of the destination field;
  // each method's default scene is the MFA one.
  const [sendCall, verifyCall, field] = sms
    ? (['sendSmsCode', 'verifyAppSmsMfa', 'phone'] as const)
    : (['sendEmailCode', 'verifyAppEmailMfa', 'email'] as const)
  const check = useBindableCheck({
    mfaToken,
    [field]: status === 'binding' ? input : '',
    debounceMs: options.debounceMs,
    enabled: options.bindableCheck !== false,
  })
  const kind = sms ? 'tel' : 'email'
  const code = useOneTimeCode({
    length: options.codeLength,
    onComplete: (c) => void (options.autoSubmit !== false && verify(c)),
    webOtp: sms && status === 'code_sent',
    disabled: status !== 'code_sent' && status !== 'verifying',
  })

  async function send() {
    const to = state.bound ? state.destination : input.trim()
    if (!to) return false
    const result = await flow.call({ type: 'send', destination: to }, mfaMutationOptions(client, sendCall), {
      [field]: to,
      phoneCountryCode,
    } as unknown as SendSmsVariables)
    if (!result) return false
    dispatch({ type: 'sent' })
    countdown.start(result.resendAfterMs)
    return true
  }

  async function verify(c: string) {
    const user = await flow.call({ type: 'verify' }, mfaMutationOptions(client, verifyCall), {
      [field]: flow.ref.current.destination,
      code: c,
      phoneCountryCode,
      mfaToken,
    } as unknown as VerifyAppSmsMfaOptions, code.clear)
    if (!user) return null
    dispatch({ type: 'verified', user })
    options.onVerified?.(user)
    return user
  }

  useEffect(() => {
    if (autoSend && !autoSent.current && flow.ref.current.status === 'idle') {
      autoSent.current = true
      void send()
    }
  }, [])

  const canSend =
    !countdown.isActive &&
    (status === 'binding'
      ? !!input.trim() && check.status !== 'checking' && check.status !== 'unavailable'
      : status === 'idle' || status === 'code_sent')
  const destination = state.destination
  return {
    ...flow.base,
    data: {
      destination,
      maskedDestination: destination && (sms ? maskPhone(destination, phoneCountryCode) : maskEmail(destination)),
      bound: state.bound,
      user: state.user,
    },
    destinationInput: input,
    setDestinationInput: setInput,
    bindable: check.status,
    send,
    verify,
    reset: () => flow.reset(code.clear, { type: 'reset', destination: bound ?? null }),
    canSend,
    code,
    getCodeInputProps: code.getInputProps,
    getDestinationInputProps: (props) =>
      mergeProps(
        {
          type: kind,
          inputMode: kind,
          autoComplete: kind,
          value: input,
          disabled: status !== 'binding',
          onChange: (e: ChangeEvent<HTMLInputElement>) => setInput(e.currentTarget.value),
        } satisfies DestinationInputProps,
        props,
      ),
    getSendButtonProps: buttonGetter(!canSend, send),
  }
}
