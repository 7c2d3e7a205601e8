import { useEffect, useRef } from '../peer'
import type { MfaError, TotpSource, User } from '@mfa-kit/client'
import { mfaKeys, mfaMutationOptions } from '../query-options'
import type { MfaMutationOptions } from '../query-options'
import type { EmbeddedReverification } from '../reverification/use-reverifiable'
import { useCodeField } from '../utils/code-field'
import type { CodeFieldParts } from '../utils/code-field'
import { warnOnce } from '../utils/dev'
import { useField } from '../utils/field'
import { acknowledgeParts } from '../utils/getters'
import type { AcknowledgeParts } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { totpBindingInitialState, totpBindingReducer } from './totp-binding.reducer'
import type { TotpBindingState, TotpBindingStatus } from './totp-binding.reducer'

export interface UseTotpBindingOptions extends FlowCallbacks {
  /** The mfaToken, when binding during a login. Without it the signed-in user binds (`SELF`). */
  mfaToken?: string
  /** @default 'APPLICATION' with an mfaToken, else 'SELF' */
  source?: TotpSource
  /** Ask for a secret on mount. @default true */
  autoStart?: boolean
  /** Confirm as soon as the sixth digit is in. @default true */
  autoSubmit?: boolean
  /** Called on `done`. `user` is set when the binding finished a login (`APPLICATION`). */
  onDone?: (user: User | null) => void
  /**
   * Called on `done` when the binding finished a login, with the signed-in user (as every factor
   * hook does), so `useTotpBinding(challenge.flow)` ends the challenge `verified`.
   */
  onVerified?: (user: User) => void
}

export interface TotpBindingData {
  /** Base32 secret for manual entry; `null` outside the binding steps. */
  secret: string | null
  /** The secret in groups of four, easier to read and type. */
  secretGroups: string[]
  /** The `otpauth://` URI to render as a QR code (render it locally, never through a web service). */
  otpauthUri: string | null
  /** The server's PNG of the QR code, as a data URL, when it sends one: an `<img src>` with no QR library. */
  qrcodeDataUrl: string | null
  /** The recovery code to show once, in `showing_recovery_code`. */
  recoveryCode: string | null
  /** Whether the recovery code was acknowledged. */
  acknowledged: boolean
  /** The signed-in user, when confirming finished a login. */
  user: User | null
}

/** The data of the steps that show the secret: it is there. */
type WithSecret = TotpBindingData & { secret: string; otpauthUri: string }

/**
 * The flow in one status, with `data` narrowed to match: the secret exists while the code is
 * awaited, the recovery code only while it is shown.
 */
export type TotpBindingSnapshot =
  | { status: 'awaiting_code' | 'confirming'; error: MfaError | null; data: WithSecret & { recoveryCode: null } }
  | { status: 'showing_recovery_code'; error: null; data: WithSecret & { recoveryCode: string } }
  | {
      status: Exclude<TotpBindingStatus, 'awaiting_code' | 'confirming' | 'showing_recovery_code'>
      error: MfaError | null
      data: TotpBindingData & { recoveryCode: null }
    }

export type UseTotpBindingResult = TotpBindingSnapshot &
  AcknowledgeParts &
  CodeFieldParts & {
    /** Asks the server for a new secret (from `idle`). */
    start: () => Promise<TotpBindingSnapshot>
    /** Confirms the binding with a code from the app (from `awaiting_code`). */
    confirm: (code: string) => Promise<TotpBindingSnapshot>
    /** Back to `idle`, dropping everything. */
    reset: () => void
    /** Seconds until codes are accepted again, while `rate_limited`. */
    secondsLeft: number
  }

/**
 * How a binding asks for a fresh proof when the server wants a recent sign-in: `reverified`
 * wraps a call, `reverification` is what the UI renders meanwhile (`null`: the binding does not
 * re-verify, and such a call fails with `reauthentication_required`).
 */
export type UseBindingReverification = (send: (event: { type: 'reverify' } | { type: 'reverified' }) => boolean) => {
  reverification: EmbeddedReverification | null
  reverified: <R, V>(options: MfaMutationOptions<R, V>) => MfaMutationOptions<R, V>
}

const withoutReverification: UseBindingReverification = () => ({ reverification: null, reverified: (options) => options })

function snapshotOf({ status, error, association, user, acknowledged }: TotpBindingState): TotpBindingSnapshot {
  const secret = association?.secret ?? null
  return {
    status,
    error,
    data: {
      secret,
      secretGroups: secret?.match(/.{1,4}/g) ?? [],
      otpauthUri: association?.qrcode_uri || null,
      qrcodeDataUrl: association?.qrcode_data_url || null,
      recoveryCode: status === 'showing_recovery_code' ? (association?.recovery_code ?? null) : null,
      acknowledged,
      user,
    },
  } as TotpBindingSnapshot
}

/**
 * Binds TOTP: idle → loading_secret → awaiting_code → confirming → showing_recovery_code → done.
 * The secret and recovery code live only in this hook's state and are dropped on `done`, on
 * `expired` and on unmount. The authenticator lists are refreshed on `done`, once the recovery
 * code was acknowledged, so a page that hides the form once a factor is listed cannot unmount it
 * while the code is on screen.
 *
 * For a signed-in user (`SELF`) whose sign-in is too old, a call fails with
 * `reauthentication_required`; `useSelfTotpBinding` from `@mfa-kit/hooks/account` asks for the
 * fresh proof in place instead.
 */
export function useTotpBinding(options: UseTotpBindingOptions = {}): UseTotpBindingResult {
  const { reverification: _, ...binding } = useTotpBindingFlow(options, withoutReverification)
  if (process.env.NODE_ENV !== 'production' && binding.error?.code === 'reauthentication_required') {
    warnOnce("useTotpBinding does not re-verify a signed-in user: use useSelfTotpBinding from '@mfa-kit/hooks/account'.")
  }
  return binding
}

/** The binding flow, with the given way of re-verifying (see {@link UseBindingReverification}). */
export function useTotpBindingFlow(
  options: UseTotpBindingOptions,
  useBindingReverification: UseBindingReverification,
): UseTotpBindingResult & { reverification: EmbeddedReverification | null } {
  const { mfaToken, source = mfaToken ? 'APPLICATION' : 'SELF' } = options
  if (process.env.NODE_ENV !== 'production' && source === 'APPLICATION' && !mfaToken) {
    warnOnce("useTotpBinding({ source: 'APPLICATION' }) needs the mfaToken of the login in progress.")
  }
  const flow = useFlow(totpBindingReducer, () => totpBindingInitialState, options)
  const { state, send, client } = flow
  const { reverification, reverified } = useBindingReverification(send)
  const started = useRef(false)
  const field = useCodeField(
    {
      onComplete: (code) => void (options.autoSubmit !== false && confirm(code)),
      disabled: state.status !== 'awaiting_code' && state.status !== 'confirming',
    },
    useField(state.error),
  )

  async function start(): Promise<TotpBindingSnapshot> {
    const association = await flow.call({ type: 'start' }, reverified(mfaMutationOptions(client, 'associateMfaAuthenticator')), {
      source,
      mfaToken,
    })
    if (association) send({ type: 'secret_loaded', association })
    return snapshotOf(flow.ref.current)
  }

  async function confirm(totp: string): Promise<TotpBindingSnapshot> {
    const result = await flow.call(
      { type: 'confirm' },
      reverified(mfaMutationOptions(client, 'confirmAssociateMfaAuthenticator')),
      { totp, source, mfaToken },
      field.code.clear,
    )
    if (result) send({ type: 'confirmed', user: result.user ?? null })
    return snapshotOf(flow.ref.current)
  }

  useEffect(() => {
    if (options.autoStart !== false && !started.current) {
      started.current = true
      void start()
    }
    // Runs once; `started` keeps StrictMode's second run from asking for a second secret.
  }, [])

  return {
    ...snapshotOf(state),
    ...field,
    start,
    confirm,
    reset: () =>
      flow.reset(() => {
        field.code.clear()
        reverification?.reset()
      }),
    secondsLeft: flow.countdown.secondsLeft,
    reverification,
    ...acknowledgeParts(state, send, () => {
      void flow.queryClient.invalidateQueries({ queryKey: mfaKeys.authenticatorLists })
      const { user } = flow.ref.current
      options.onDone?.(user)
      if (user) flow.signedIn(user, options.onVerified)
    }),
  }
}
