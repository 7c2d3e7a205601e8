import { useEffect, useRef } from '../peer'
import type { MfaError, TotpSource, User } from '@mfa-kit/client'
import { useOneTimeCode } from '../one-time-code/use-one-time-code'
import type { UseOneTimeCodeResult } from '../one-time-code/use-one-time-code'
import { mfaKeys, mfaMutationOptions } from '../query-options'
import { acknowledgeParts } from '../utils/getters'
import type { AcknowledgeParts } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { totpBindingInitialState, totpBindingReducer } from './totp-binding.reducer'
import type { TotpBindingStatus } from './totp-binding.reducer'

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
  /** The recovery code to show once, in `showing_recovery_code`. */
  recoveryCode: string | null
  /** Whether the recovery code was acknowledged. */
  acknowledged: boolean
  /** The signed-in user, when confirming finished a login. */
  user: User | null
}

export interface UseTotpBindingResult extends AcknowledgeParts {
  status: TotpBindingStatus
  error: MfaError | null
  data: TotpBindingData
  /** Asks the server for a new secret (from `idle`). */
  start: () => Promise<void>
  /** Confirms the binding with a code from the app (from `awaiting_code`). */
  confirm: (code: string) => Promise<boolean>
  /** Back to `idle`, dropping everything. */
  reset: () => void
  /** Seconds until codes are accepted again, while `rate_limited`. */
  secondsLeft: number
  code: UseOneTimeCodeResult
  getCodeInputProps: UseOneTimeCodeResult['getInputProps']
}

/**
 * Binds TOTP: idle → loading_secret → awaiting_code → confirming → showing_recovery_code → done.
 * The secret and recovery code live only in this hook's state and are dropped on `done`,
 * on `expired` and on unmount.
 */
export function useTotpBinding(options: UseTotpBindingOptions = {}): UseTotpBindingResult {
  const { mfaToken, source = mfaToken ? 'APPLICATION' : 'SELF' } = options
  const flow = useFlow(totpBindingReducer, () => totpBindingInitialState, options)
  const { state, send, client } = flow
  const started = useRef(false)
  const code = useOneTimeCode({
    onComplete: (c) => void (options.autoSubmit !== false && confirm(c)),
    disabled: state.status !== 'awaiting_code' && state.status !== 'confirming',
  })

  async function start() {
    const association = await flow.call({ type: 'start' }, mfaMutationOptions(client, 'associateMfaAuthenticator'), { source, mfaToken })
    if (association) send({ type: 'secret_loaded', association })
  }

  async function confirm(totp: string) {
    const result = await flow.call(
      { type: 'confirm' },
      mfaMutationOptions(client, 'confirmAssociateMfaAuthenticator'),
      { totp, source, mfaToken },
      code.clear,
    )
    if (!result) return false
    send({ type: 'confirmed', user: result.user ?? null })
    return true
  }


  useEffect(() => {
    if (options.autoStart !== false && !started.current) {
      started.current = true
      void start()
    }
    // Runs once; `started` keeps StrictMode's second run from asking for a second secret.
  }, [])

  const a = state.association
  const secret = a?.secret ?? null
  return {
    ...flow.base,
    data: {
      secret,
      secretGroups: secret?.match(/.{1,4}/g) ?? [],
      otpauthUri: a?.qrcode_uri || null,
      recoveryCode: state.status === 'showing_recovery_code' ? (a?.recovery_code ?? null) : null,
      acknowledged: state.acknowledged,
      user: state.user,
    },
    start,
    confirm,
    reset: () => flow.reset(code.clear),
    code,
    getCodeInputProps: code.getInputProps,
    ...acknowledgeParts(state, send, () => {
      // Only now: a page that hides the form once a factor is listed must not unmount it while
      // the recovery code is still on screen.
      void flow.queryClient.invalidateQueries({ queryKey: mfaKeys.all })
      const { user } = flow.ref.current
      options.onDone?.(user)
      if (user) options.onVerified?.(user)
    }),
  }
}
