import { useEffect, useRef } from '../peer'
import type { MfaError, MfaPolicy, MfaTrigger, User } from '@mfa-kit/client'
import { mergeProps } from '../utils/compose'
import { useMachine } from '../utils/use-flow'
import { defaultSupportedFactors, mfaChallengeInitialState, mfaChallengeReducer } from './challenge.reducer'
import type { MfaChallengeStatus } from './challenge.reducer'

export interface UseMfaChallengeOptions {
  /** The factors your UI can run; others are not offered. @default ['OTP', 'SMS', 'EMAIL', 'FACE'] */
  factors?: readonly MfaPolicy[]
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
  /** Called by `restart()`: send the user back to your login form. */
  onRestart?: () => void
}

export interface MfaChallengeData {
  trigger: MfaTrigger
  /** The factors offered, in the application's order. */
  factors: MfaPolicy[]
  /** The factor on screen, or `null` when none can be offered. */
  factor: MfaPolicy | null
  /** The signed-in user, once `verified`. */
  user: User | null
}

/**
 * Options to spread into the factor hook on screen, whichever it is: `useTotpVerify(challenge.flow)`,
 * `useTotpBinding(challenge.flow)`, `useSmsMfa(challenge.flow)`, … Binding hooks end the
 * challenge once their last step is done.
 */
export interface MfaChallengeFlow {
  mfaToken: string
  /** The bound phone (`trigger.mfaPhone`), for `useSmsMfa`: verify it, or bind one when `null`. */
  phone: string | null
  phoneCountryCode: string | null
  /** The bound email (`trigger.mfaEmail`), for `useEmailMfa`: verify it, or bind one when `null`. */
  email: string | null
  /** Ends the challenge `verified` with the user. */
  onVerified: (user: User) => void
  /** Ends the challenge `expired`. */
  onExpired: (error: MfaError) => void
}

export interface MfaFactorButtonProps {
  type: 'button'
  'aria-pressed': boolean
  onClick: () => void
}

/**
 * What to show: `verifying` or `binding` the current factor, `recovering` (recovery code instead of
 * TOTP), `verified` (with `data.user`), `expired` (the mfaToken is dead: `error` says why), or
 * `unavailable` (no factor to offer).
 */
export type MfaChallengeSnapshot =
  | { status: 'verified'; error: null; data: MfaChallengeData & { user: User } }
  | { status: 'expired'; error: MfaError | null; data: MfaChallengeData & { user: null } }
  | { status: Exclude<MfaChallengeStatus, 'verified' | 'expired'>; error: null; data: MfaChallengeData & { user: null } }

export type UseMfaChallengeResult = MfaChallengeSnapshot & {
  /** Wires the factor hook on screen to this challenge. */
  flow: MfaChallengeFlow
  /** Switches to another offered factor. */
  selectFactor: (factor: MfaPolicy) => void
  /** Uses a recovery code instead of TOTP; `selectFactor('OTP')` goes back. */
  startRecovery: () => void
  /** Calls `onRestart`. A new trigger (a new login) starts the challenge over. */
  restart: () => void
  /** A button that switches to `factor`. */
  getFactorButtonProps: <P extends object = Record<never, never>>(factor: MfaPolicy, props?: P) => MfaFactorButtonProps & P
}

/**
 * The state machine behind `<MfaGuard>`: from the login's trigger it offers the factors, knows
 * for each whether to bind or verify, and ends `verified` with the user or `expired`.
 */
export function useMfaChallenge(trigger: MfaTrigger, options: UseMfaChallengeOptions = {}): UseMfaChallengeResult {
  const supported = options.factors ?? defaultSupportedFactors
  const [state, send] = useMachine(mfaChallengeReducer, () => mfaChallengeInitialState(trigger, supported))
  const latest = useRef(options)
  latest.current = options
  const token = useRef(trigger.mfaToken)

  useEffect(() => {
    if (token.current === trigger.mfaToken) return
    token.current = trigger.mfaToken
    send({ type: 'reset', trigger, supported })
  })

  const flow: MfaChallengeFlow = {
    mfaToken: trigger.mfaToken,
    phone: trigger.mfaPhone,
    phoneCountryCode: trigger.mfaPhoneCountryCode,
    email: trigger.mfaEmail,
    onVerified: (user) => {
      if (send({ type: 'verified', user })) latest.current.onVerified?.(user)
    },
    onExpired: (error) => void send({ type: 'expire', error }),
  }

  const selectFactor = (factor: MfaPolicy) => void send({ type: 'select', factor })
  const snapshot = {
    status: state.status,
    error: state.error,
    data: { trigger, factors: state.factors, factor: state.factor, user: state.user },
  } as MfaChallengeSnapshot
  return {
    ...snapshot,
    flow,
    selectFactor,
    startRecovery: () => void send({ type: 'recover' }),
    restart: () => options.onRestart?.(),
    getFactorButtonProps: (factor, props) =>
      mergeProps<MfaFactorButtonProps, NonNullable<typeof props>>(
        { type: 'button', 'aria-pressed': factor === state.factor, onClick: () => selectFactor(factor) },
        props,
      ),
  }
}
