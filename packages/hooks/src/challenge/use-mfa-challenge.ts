import { useEffect, useRef } from '../peer'
import type { MfaError, MfaPolicy, MfaTrigger, User } from '@mfa-kit/client'
import { mergeProps } from '../utils/compose'
import { useMachine } from '../utils/use-flow'
import { defaultSupportedFactors, mfaChallengeInitialState, mfaChallengeReducer } from './challenge.reducer'
import type { MfaChallengeState, MfaChallengeStatus, MfaEnrollment } from './challenge.reducer'

export interface UseMfaChallengeOptions {
  /** The factors your UI can run; others are not offered. @default ['OTP', 'SMS', 'EMAIL', 'FACE'] */
  factors?: readonly MfaPolicy[]
  /**
   * Who may bind a factor while signing in, as the server is configured (`enrollmentDuringLogin`):
   * with `first-factor`, an account that can verify a factor is offered only those.
   * @default 'first-factor'
   */
  enrollment?: MfaEnrollment
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
  /** Called by `restart()`: send the user back to your login form. */
  onRestart?: () => void
}

/** One factor this sign-in can finish with. */
export interface MfaChallengeFactor {
  type: MfaPolicy
  /** Bound: the user verifies it. Otherwise the user binds it first. */
  bound: boolean
  /** The factor on screen. */
  current: boolean
}

export interface MfaChallengeData {
  trigger: MfaTrigger
  /** The factors this sign-in can finish with, in the application's (the server's) order. */
  factors: MfaChallengeFactor[]
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
  /** Set on the button of the factor on screen. */
  'aria-current': true | undefined
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
  /** True when a recovery code can be used instead: TOTP is bound and on screen. */
  canRecover: boolean
  /** Uses a recovery code instead of TOTP (`recovering`). */
  startRecovery: () => void
  /** Back from the recovery code to TOTP (as `selectFactor('OTP')`). */
  stopRecovery: () => void
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
  const { enrollment } = options
  const [state, send] = useMachine(mfaChallengeReducer, () => mfaChallengeInitialState(trigger, supported, enrollment))
  const latest = useRef(options)
  latest.current = options
  const token = useRef(trigger.mfaToken)

  useEffect(() => {
    if (token.current === trigger.mfaToken) return
    token.current = trigger.mfaToken
    send({ type: 'reset', trigger, supported, enrollment })
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
  return {
    ...snapshotOf(state, trigger),
    flow,
    selectFactor,
    canRecover: state.status === 'verifying' && state.factor === 'OTP',
    startRecovery: () => void send({ type: 'recover' }),
    stopRecovery: () => selectFactor('OTP'),
    restart: () => options.onRestart?.(),
    getFactorButtonProps: (factor, props) =>
      mergeProps<MfaFactorButtonProps, NonNullable<typeof props>>(
        { type: 'button', 'aria-current': factor === state.factor || undefined, onClick: () => selectFactor(factor) },
        props,
      ),
  }
}

function snapshotOf({ status, error, factors, factor, bound, user }: MfaChallengeState, trigger: MfaTrigger): MfaChallengeSnapshot {
  const list = factors.map((type) => ({ type, bound: !!bound[type], current: type === factor }))
  return { status, error, data: { trigger, factors: list, factor, user } } as MfaChallengeSnapshot
}
