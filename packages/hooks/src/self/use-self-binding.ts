import type { MfaClient, MfaConfirmAssociation, MfaError } from '@mfa-kit/client'
import { useResendCountdown } from '../countdown/use-resend-countdown'
import { maskDestination, useDestination } from '../oob/destination'
import type { DestinationParts } from '../oob/destination'
import { DEFAULT_RESEND_MS, malformed, sendCall } from '../oob/use-oob-mfa'
import type { OobCodeVariables } from '../oob/use-oob-mfa'
import { callOptions, mfaKeys } from '../query-options'
import type { MfaMutationOptions } from '../query-options'
import { useReverifiable } from '../reverification/use-reverifiable'
import type { EmbeddedReverification } from '../reverification/use-reverifiable'
import { useCodeField } from '../utils/code-field'
import type { CodeFieldParts } from '../utils/code-field'
import { useField } from '../utils/field'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { selfBindingInitialState, selfBindingReducer } from './self-binding.reducer'
import type { SelfBindingState, SelfBindingStatus } from './self-binding.reducer'

export interface SelfBindingOptions extends FlowCallbacks {
  /** Digits in a code. @default 6 */
  codeLength?: number
  /** Confirm as soon as the last digit is in. @default true */
  autoSubmit?: boolean
  /** Called once the destination is bound (`done`), with it. */
  onDone?: (destination: string) => void
}

export interface UseSelfSmsBindingOptions extends SelfBindingOptions {
  /** The calling code the form starts with. @default '+86' */
  phoneCountryCode?: string
  /** Also make the phone a login identifier (sign in with an SMS code). @default false */
  useForLogin?: boolean
}

export type UseSelfEmailBindingOptions = SelfBindingOptions

export interface SelfBindingData {
  /** Where the code went, once sent. */
  destination: string | null
  /** The destination masked for display. */
  maskedDestination: string | null
  /** The calling code of the phone (SMS); `null` for email. */
  phoneCountryCode: string | null
}

/** The flow in one status; `code_sent` and later have the destination. */
export type SelfBindingSnapshot =
  | { status: 'code_sent' | 'confirming' | 'reverifying' | 'done'; error: MfaError | null; data: SelfBindingData & { destination: string } }
  | {
      status: Exclude<SelfBindingStatus, 'code_sent' | 'confirming' | 'reverifying' | 'done'>
      error: MfaError | null
      data: SelfBindingData
    }

export type UseSelfBindingResult = SelfBindingSnapshot &
  CodeFieldParts &
  DestinationParts & {
    /** Sends (or resends) a code to the typed destination; resolves to the snapshot once answered. */
    send: () => Promise<SelfBindingSnapshot>
    /** Binds the destination with the code it received. */
    confirm: (code: string) => Promise<SelfBindingSnapshot>
    /** Back to `idle`, keeping what was typed, e.g. to change the destination. */
    reset: () => void
    /** True when a send is possible now. */
    canSend: boolean
    /** Seconds until the next send is accepted; 0 when a send is possible. */
    resendSecondsLeft: number
    /** Seconds until codes are accepted again, while `rate_limited`. */
    secondsLeft: number
    getSendButtonProps: PropGetter<ActionButtonProps>
    /** While `reverifying`: the fresh proof of a factor the server asks for before the change. */
    reverification: EmbeddedReverification
  }

type BindVariables = OobCodeVariables & { useForLogin?: boolean }

/** The call that binds the phone or email with the code it received. */
const bindCall = (client: MfaClient, type: 'sms' | 'email'): MfaMutationOptions<MfaConfirmAssociation, BindVariables> =>
  callOptions(
    type === 'sms' ? 'associateSmsMfa' : 'associateEmailMfa',
    ({ destination, phoneCountryCode, useForLogin, ...rest }: BindVariables) =>
      type === 'sms'
        ? client.mfa.associateSmsMfa({ ...rest, phone: destination, phoneCountryCode, useForLogin })
        : client.mfa.associateEmailMfa({ ...rest, email: destination }),
  )

/**
 * Binds a phone or an email as a factor of the signed-in user: type it (checked as it is typed),
 * get a code there, enter it. When the sign-in is too old, it asks for a fresh proof in place
 * (`reverifying`) and then binds with the same code. The authenticator lists are refreshed on `done`.
 */
function useSelfBinding(type: 'sms' | 'email', options: UseSelfSmsBindingOptions): UseSelfBindingResult {
  const flow = useFlow(selfBindingReducer, () => selfBindingInitialState, options)
  const { state, send: dispatch, client } = flow
  const { reverification, reverified } = useReverifiable(dispatch)
  const resend = useResendCountdown()
  const field = useField(state.error)
  const { status } = state
  const typed = useDestination(type, field, status === 'idle', options.phoneCountryCode)
  const countryCode = type === 'sms' ? typed.countryCode : null
  const codeField = useCodeField(
    {
      length: options.codeLength,
      onComplete: (code) => void (options.autoSubmit !== false && confirm(code)),
      disabled: status !== 'code_sent' && status !== 'confirming',
    },
    field,
  )

  const snapshotOf = ({ status, error, destination }: SelfBindingState) =>
    ({
      status,
      error,
      data: {
        destination,
        maskedDestination: destination && maskDestination(type, destination, countryCode),
        phoneCountryCode: countryCode,
      },
    }) as SelfBindingSnapshot

  async function send(): Promise<SelfBindingSnapshot> {
    const { status: now, destination } = flow.ref.current
    const to = now === 'code_sent' ? destination : typed.typed
    if (!to) return snapshotOf(flow.ref.current)
    if (now === 'idle' && !typed.valid) {
      dispatch({ type: 'reject', error: malformed(type) })
      return snapshotOf(flow.ref.current)
    }
    const variables = { destination: to, ...(countryCode && { phoneCountryCode: countryCode }) }
    const sent = await flow.call({ type: 'send', destination: to }, sendCall(client, type, 'mfa-bind', 'MFA_VERIFY'), variables)
    if (sent) {
      if (dispatch({ type: 'sent' })) resend.start(sent.resendAfterMs)
    } else if (flow.ref.current.error?.code === 'rate_limited') {
      resend.start(flow.ref.current.error.retryAfterMs ?? DEFAULT_RESEND_MS)
    }
    return snapshotOf(flow.ref.current)
  }

  async function confirm(code: string): Promise<SelfBindingSnapshot> {
    const to = flow.ref.current.destination
    if (!to) return snapshotOf(flow.ref.current)
    const variables: BindVariables = {
      destination: to,
      code,
      ...(countryCode && { phoneCountryCode: countryCode }),
      ...(options.useForLogin && { useForLogin: true }),
    }
    const bound = await flow.call({ type: 'confirm' }, reverified(bindCall(client, type)), variables, codeField.code.clear)
    if (bound && dispatch({ type: 'done' })) {
      resend.stop()
      void flow.queryClient.invalidateQueries({ queryKey: mfaKeys.authenticatorLists })
      options.onDone?.(to)
    }
    return snapshotOf(flow.ref.current)
  }

  const canSend = !resend.isActive && (status === 'idle' ? typed.valid : status === 'code_sent')
  return {
    ...snapshotOf(state),
    ...codeField,
    ...typed.parts,
    send,
    confirm,
    reset: () =>
      flow.reset(() => {
        codeField.code.clear()
        resend.stop()
        reverification.reset()
      }),
    canSend,
    resendSecondsLeft: resend.secondsLeft,
    secondsLeft: flow.countdown.secondsLeft,
    getSendButtonProps: buttonGetter(!canSend, send),
    reverification,
  }
}

/**
 * Binds a phone as the signed-in user's SMS factor (source `SELF`): the code is sent with the
 * `mfa-bind` scene under the session, and the phone is bound with `client.mfa.associateSmsMfa`.
 */
export function useSelfSmsBinding(options: UseSelfSmsBindingOptions = {}): UseSelfBindingResult {
  return useSelfBinding('sms', options)
}

/**
 * Binds an email as the signed-in user's email factor (source `SELF`): the code is sent with the
 * `MFA_VERIFY` scene under the session, and the email is bound with `client.mfa.associateEmailMfa`.
 */
export function useSelfEmailBinding(options: UseSelfEmailBindingOptions = {}): UseSelfBindingResult {
  return useSelfBinding('email', options)
}
