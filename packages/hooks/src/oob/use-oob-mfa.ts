import { useEffect, useRef } from '../peer'
import { MfaError } from '@mfa-kit/client'
import type { CallOptions, EmailScene, MfaClient, SendResult, SmsScene, User } from '@mfa-kit/client'
import { useResendCountdown } from '../countdown/use-resend-countdown'
import { callOptions } from '../query-options'
import type { MfaMutationOptions } from '../query-options'
import { useCodeField } from '../utils/code-field'
import type { CodeFieldParts } from '../utils/code-field'
import { warnOnce } from '../utils/dev'
import { useField } from '../utils/field'
import type { Field } from '../utils/field'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { DEFAULT_PHONE_COUNTRY_CODE, maskDestination } from './destination'
import { oobMfaInitialState, oobMfaReducer } from './oob.reducer'
import type { OobMfaState, OobMfaStatus } from './oob.reducer'

export interface OobMfaOptions extends FlowCallbacks {
  /** The mfaToken of the login in progress. */
  mfaToken: string
  /** Send a code on mount when the destination is already bound (Guard does). @default true */
  autoSend?: boolean
  /** Digits in a code. @default 6 */
  codeLength?: number
  /** Verify as soon as the last digit is in. @default true */
  autoSubmit?: boolean
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
}

/** Variables of the call that sends a code. */
export type OobSendVariables = CallOptions & { destination: string; phoneCountryCode?: string }
/** Variables of the call that checks a code. */
export type OobCodeVariables = OobSendVariables & { code: string }

/** How long to wait before a resend when the server throttled without saying for how long. */
export const DEFAULT_RESEND_MS = 60_000

/** The call that sends a code to a phone (with its calling code, in `scene`) or an email (in `emailScene`). */
export const sendCall = (
  client: MfaClient,
  type: 'sms' | 'email',
  scene?: SmsScene,
  emailScene?: EmailScene,
): MfaMutationOptions<SendResult, OobSendVariables> =>
  callOptions(type === 'sms' ? 'sendSmsCode' : 'sendEmailCode', ({ destination, phoneCountryCode, ...call }: OobSendVariables) =>
    type === 'sms'
      ? client.auth.sendSmsCode(destination, { ...call, phoneCountryCode, scene })
      : client.auth.sendEmailCode(destination, emailScene, call),
  )

/** The error a malformed phone or email gets, before anything is sent. */
export const malformed = (type: 'sms' | 'email'): MfaError => {
  const code = type === 'sms' ? 'invalid_phone' : 'invalid_email'
  return new MfaError(code, code)
}

export interface OobMfaData {
  /** Where codes go, once known. */
  destination: string | null
  /** The destination masked for display, as Guard shows it. */
  maskedDestination: string | null
  /** The destination was bound before; it cannot be changed here. */
  bound: boolean
  /** The calling code of the phone (SMS); `null` for email. */
  phoneCountryCode: string | null
  /** The signed-in user, once `verified`. */
  user: User | null
}

/** The flow in one status, with `data` narrowed to match: `verified` has the user. */
export type OobMfaSnapshot =
  | { status: 'verified'; error: null; data: OobMfaData & { destination: string; maskedDestination: string; user: User } }
  | { status: Exclude<OobMfaStatus, 'verified'>; error: MfaError | null; data: OobMfaData & { user: null } }

export type OobMfaResult = OobMfaSnapshot &
  CodeFieldParts & {
    /** Sends (or resends) a code; resolves to the snapshot once the server answered. */
    send: () => Promise<OobMfaSnapshot>
    /** Verifies a code; resolves to the snapshot once the server answered. */
    verify: (code: string) => Promise<OobMfaSnapshot>
    /**
     * Starts over: `idle` with a bound destination, else `binding` with the typed destination kept
     * for editing (another one can be sent to at once; the server still paces each destination).
     */
    reset: () => void
    /** True when a send is possible now (a destination, and no resend countdown running). */
    canSend: boolean
    /** Seconds until the next send is accepted (the server's resend delay); 0 when a send is possible. */
    resendSecondsLeft: number
    /** Seconds until codes are accepted again, while `rate_limited`. */
    secondsLeft: number
    /** The send / resend button; disabled during the resend countdown. */
    getSendButtonProps: PropGetter<ActionButtonProps>
  }

/** The options of the flow, with the calling code of the bound phone (SMS) or `null` (email). */
export type OobFlowOptions = OobMfaOptions & { phoneCountryCode?: string | null }

/** The destination a flow sends to when none is bound: what the user typed, and whether it can be sent to. */
interface DestinationForm<Parts> {
  /** The destination as typed, trimmed; empty when there is none. */
  typed: string
  /** True when what is typed is a well-formed phone or email. */
  valid: boolean
  /** The calling code of the phone. */
  countryCode: string
  /** True while the server has not agreed that the destination can be bound. */
  pending: boolean
  /** What the form adds to the flow's result. */
  parts: Parts
}

/**
 * The hook that gives a flow its destination form (`editable` while the flow is `binding`). The
 * sign-in flows of the main entry have none: they send to the bound destination only.
 */
export type UseDestinationForm<Parts, Options extends OobFlowOptions = OobFlowOptions> = (
  type: 'sms' | 'email',
  options: Options,
  field: Field,
  editable: boolean,
) => DestinationForm<Parts>

/** No form: the flow sends to the bound destination, and cannot bind one. */
export const withoutDestinationForm: UseDestinationForm<Record<never, never>> = (type, options, _field, editable) => {
  if (process.env.NODE_ENV !== 'production' && editable) {
    warnOnce(
      `${type === 'sms' ? 'useSmsMfa' : 'useEmailMfa'} sends to a bound ${type === 'sms' ? 'phone' : 'email'} only. ` +
        `To bind one while signing in, use ${type === 'sms' ? 'useSmsBinding' : 'useEmailBinding'} from '@mfa-kit/hooks/binding'.`,
    )
  }
  return { typed: '', valid: false, countryCode: options.phoneCountryCode || DEFAULT_PHONE_COUNTRY_CODE, pending: true, parts: {} }
}

/**
 * The SMS and email flows: (bind →) send → verify, with a resend countdown driven by the server.
 * `type` says which; `destination` is the bound phone or email, or none to bind one first with
 * the form `useDestinationForm` gives.
 */
export function useOobMfa<Parts, Options extends OobFlowOptions>(
  type: 'sms' | 'email',
  options: Options,
  destination: string | null | undefined,
  useDestinationForm: UseDestinationForm<Parts, Options>,
): OobMfaResult & Parts {
  const { mfaToken, autoSend = true } = options
  const flow = useFlow(oobMfaReducer, () => oobMfaInitialState(destination), options)
  const { state, send: dispatch, client } = flow
  const resend = useResendCountdown()
  const autoSent = useRef(false)
  const { status } = state
  const field = useField(state.error)
  const form = useDestinationForm(type, options, field, status === 'binding')
  const countryCode = type === 'sms' ? (state.bound && options.phoneCountryCode) || form.countryCode : null
  const codeField = useCodeField(
    {
      length: options.codeLength,
      onComplete: (code) => void (options.autoSubmit !== false && verify(code)),
      webOtp: type === 'sms' && status === 'code_sent',
      disabled: status !== 'code_sent' && status !== 'verifying',
    },
    field,
  )

  const snapshotOf = ({ status, error, destination, bound, user }: OobMfaState) =>
    ({
      status,
      error,
      data: {
        destination,
        maskedDestination: destination && maskDestination(type, destination, countryCode),
        bound,
        phoneCountryCode: countryCode,
        user,
      },
    }) as OobMfaSnapshot

  async function send(): Promise<OobMfaSnapshot> {
    const { bound, destination: boundTo } = flow.ref.current
    const to = bound ? boundTo : form.typed
    if (!to) return snapshotOf(flow.ref.current)
    if (!bound && !form.valid) {
      dispatch({ type: 'reject', error: malformed(type) })
      return snapshotOf(flow.ref.current)
    }
    const variables = { destination: to, ...(countryCode && { phoneCountryCode: countryCode }) }
    const result = await flow.call({ type: 'send', destination: to }, sendCall(client, type), variables)
    if (result) {
      if (dispatch({ type: 'sent' })) resend.start(result.resendAfterMs)
    } else {
      const { error } = flow.ref.current
      if (error?.code === 'rate_limited') resend.start(error.retryAfterMs ?? DEFAULT_RESEND_MS)
    }
    return snapshotOf(flow.ref.current)
  }

  async function verify(code: string): Promise<OobMfaSnapshot> {
    const to = flow.ref.current.destination
    if (!to) return snapshotOf(flow.ref.current)
    const verifyCall = callOptions(type === 'sms' ? 'verifyAppSmsMfa' : 'verifyAppEmailMfa', (call: CallOptions) =>
      type === 'sms'
        ? client.mfa.verifyAppSmsMfa({ ...call, phone: to, code, mfaToken, phoneCountryCode: countryCode ?? undefined })
        : client.mfa.verifyAppEmailMfa({ ...call, email: to, code, mfaToken }),
    )
    const user = await flow.call({ type: 'verify' }, verifyCall, {}, codeField.code.clear)
    if (user && dispatch({ type: 'verified', user })) flow.signedIn(user, options.onVerified)
    return snapshotOf(flow.ref.current)
  }

  useEffect(() => {
    if (autoSend && !autoSent.current && flow.ref.current.status === 'idle') {
      autoSent.current = true
      void send()
    }
  }, [])

  const canSend = !resend.isActive && (status === 'binding' ? form.valid && !form.pending : status === 'idle' || status === 'code_sent')
  return {
    ...snapshotOf(state),
    ...codeField,
    ...form.parts,
    send,
    verify,
    reset: () =>
      flow.reset(() => {
        codeField.code.clear()
        resend.stop()
      }),
    canSend,
    resendSecondsLeft: resend.secondsLeft,
    secondsLeft: flow.countdown.secondsLeft,
    getSendButtonProps: buttonGetter(!canSend, send),
  }
}
