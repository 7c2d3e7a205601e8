import { useEffect, useRef, useState } from '../peer'
import type { ChangeEvent } from 'react'
import type { CallOptions, MfaClient, MfaError, SendResult, User } from '@mfa-kit/client'
import { callOptions } from '../query-options'
import type { MfaMutationOptions } from '../query-options'
import { useCodeField } from '../utils/code-field'
import type { CodeFieldParts } from '../utils/code-field'
import { mergeProps } from '../utils/compose'
import { useField } from '../utils/field'
import type { FieldInputProps } from '../utils/field'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { maskEmail, maskPhone } from '../utils/mask'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import type { BindableCheckStatus } from './bindable-status'
import { oobMfaInitialState, oobMfaReducer } from './oob.reducer'
import type { OobMfaState, OobMfaStatus } from './oob.reducer'
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
  /** Debounce of the bindable check, in ms. @default 500 */
  debounceMs?: number
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
}

/** Variables of the call that sends a code. */
type OobSendVariables = CallOptions & { destination: string }
/** Variables of the call that verifies a code and finishes the login. */
type OobVerifyVariables = CallOptions & { destination: string; code: string; mfaToken: string }

/** What tells the SMS and email flows apart: the destination's kind, and the calls that send and verify. */
export interface OobChannel {
  type: 'sms' | 'email'
  /** The kind of the destination `<input>`: its `type`, `inputMode` and `autoComplete`. */
  inputKind: 'tel' | 'email'
  /** The destination as shown: masked the way Guard shows it. */
  mask: (destination: string) => string
  sendCall: (client: MfaClient) => MfaMutationOptions<SendResult, OobSendVariables>
  verifyCall: (client: MfaClient) => MfaMutationOptions<User, OobVerifyVariables>
}

/** The SMS channel; `phoneCountryCode` goes with every send and verification. */
export function smsChannel(phoneCountryCode: string | undefined): OobChannel {
  return {
    type: 'sms',
    inputKind: 'tel',
    mask: (phone) => maskPhone(phone, phoneCountryCode),
    sendCall: (client) =>
      callOptions('sendSmsCode', ({ destination, ...call }: OobSendVariables) =>
        client.auth.sendSmsCode(destination, { ...call, phoneCountryCode }),
      ),
    verifyCall: (client) =>
      callOptions('verifyAppSmsMfa', ({ destination, ...rest }: OobVerifyVariables) =>
        client.mfa.verifyAppSmsMfa({ ...rest, phone: destination, phoneCountryCode }),
      ),
  }
}

/** The email channel. */
export const emailChannel: OobChannel = {
  type: 'email',
  inputKind: 'email',
  mask: maskEmail,
  sendCall: (client) =>
    callOptions('sendEmailCode', ({ destination, ...call }: OobSendVariables) => client.auth.sendEmailCode(destination, undefined, call)),
  verifyCall: (client) =>
    callOptions('verifyAppEmailMfa', ({ destination, ...rest }: OobVerifyVariables) =>
      client.mfa.verifyAppEmailMfa({ ...rest, email: destination }),
    ),
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

/** The flow in one status, with `data` narrowed to match: `verified` has the user. */
export type OobMfaSnapshot =
  | { status: 'verified'; error: null; data: OobMfaData & { destination: string; maskedDestination: string; user: User } }
  | { status: Exclude<OobMfaStatus, 'verified'>; error: MfaError | null; data: OobMfaData & { user: null } }

/** Props of the phone or email `<input>` used while binding. */
export interface DestinationInputProps extends FieldInputProps {
  type: 'tel' | 'email'
  inputMode: 'tel' | 'email'
  autoComplete: 'tel' | 'email'
  value: string
  disabled: boolean
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
}

export type OobMfaResult = OobMfaSnapshot &
  CodeFieldParts & {
    /** The destination typed while `binding`. */
    destinationInput: string
    setDestinationInput: (value: string) => void
    /** The server's verdict on the typed destination. */
    bindable: BindableCheckStatus
    /** Sends (or resends) a code; resolves to the snapshot once the server answered. */
    send: () => Promise<OobMfaSnapshot>
    /** Verifies a code; resolves to the snapshot once the server answered. */
    verify: (code: string) => Promise<OobMfaSnapshot>
    /** Starts over: `idle` with a bound destination, else `binding` with the typed destination kept for editing. */
    reset: () => void
    /** True when a send is possible now (not waiting for the resend countdown). */
    canSend: boolean
    /** Seconds until the next send, or until attempts are accepted again while `rate_limited`. */
    secondsLeft: number
    /** The phone or email `<input>` while `binding`; labelled with `getLabelProps` until the code is sent. */
    getDestinationInputProps: PropGetter<DestinationInputProps>
    /** The send / resend button; disabled during the countdown. */
    getSendButtonProps: PropGetter<ActionButtonProps>
  }

/**
 * The SMS and email flows: (bind →) send → verify, with a resend countdown driven by the server.
 * `channel` says which; `destination` is the bound phone or email, or none to bind one first.
 */
export function useOobMfa(channel: OobChannel, options: OobMfaOptions, destination: string | null | undefined): OobMfaResult {
  const { mfaToken, autoSend = true } = options
  const flow = useFlow(oobMfaReducer, () => oobMfaInitialState(destination), options)
  const { state, send: dispatch, client, countdown } = flow
  const [input, setInput] = useState('')
  const autoSent = useRef(false)
  const { status } = state
  const typed = status === 'binding' ? input : ''
  const check = useBindableCheck({
    mfaToken,
    ...(channel.type === 'sms' ? { phone: typed } : { email: typed }),
    debounceMs: options.debounceMs,
    enabled: options.bindableCheck !== false,
  })
  const field = useField(state.error)
  const codeField = useCodeField(
    {
      length: options.codeLength,
      onComplete: (code) => void (options.autoSubmit !== false && verify(code)),
      webOtp: channel.type === 'sms' && status === 'code_sent',
      disabled: status !== 'code_sent' && status !== 'verifying',
    },
    field,
  )

  const snapshotOf = ({ status, error, destination, bound, user }: OobMfaState) =>
    ({ status, error, data: { destination, maskedDestination: destination && channel.mask(destination), bound, user } }) as OobMfaSnapshot

  async function send(): Promise<OobMfaSnapshot> {
    const to = state.bound ? state.destination : input.trim()
    if (!to) return snapshotOf(flow.ref.current)
    const result = await flow.call({ type: 'send', destination: to }, channel.sendCall(client), { destination: to })
    if (result && dispatch({ type: 'sent' })) countdown.start(result.resendAfterMs)
    return snapshotOf(flow.ref.current)
  }

  async function verify(code: string): Promise<OobMfaSnapshot> {
    const to = flow.ref.current.destination
    if (!to) return snapshotOf(flow.ref.current)
    const user = await flow.call({ type: 'verify' }, channel.verifyCall(client), { destination: to, code, mfaToken }, codeField.code.clear)
    if (user && dispatch({ type: 'verified', user })) flow.signedIn(user, options.onVerified)
    return snapshotOf(flow.ref.current)
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
  const kind = channel.inputKind
  return {
    ...snapshotOf(state),
    ...codeField,
    destinationInput: input,
    setDestinationInput: setInput,
    bindable: check.status,
    send,
    verify,
    reset: () => flow.reset(codeField.code.clear),
    canSend,
    secondsLeft: countdown.secondsLeft,
    getDestinationInputProps: (props) =>
      mergeProps(
        {
          ...field.inputProps,
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
