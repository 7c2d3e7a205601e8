import type { MfaError, MfaPolicy, MfaTrigger, User } from '@mfa-kit/client'
import { on, transition } from '../utils/machine'
import type { Transitions } from '../utils/machine'

export type MfaChallengeStatus = 'verifying' | 'binding' | 'recovering' | 'verified' | 'expired' | 'unavailable'

/**
 * Who may bind a factor while signing in, as the server's `enrollmentDuringLogin` says:
 * `first-factor` (the default) only an account with no factor to verify with; `any` everyone.
 */
export type MfaEnrollment = 'first-factor' | 'any'

export interface MfaChallengeState {
  status: MfaChallengeStatus
  error: MfaError | null
  /**
   * The factors this sign-in can finish with, in the application's order: those the account
   * can verify, or, for an account with none, those it may bind now.
   */
  factors: MfaPolicy[]
  /** The factor on screen. */
  factor: MfaPolicy | null
  /** Which factors are already bound (verify) rather than to be bound first. */
  bound: Partial<Record<MfaPolicy, boolean>>
  /** The signed-in user, once `verified`. */
  user: User | null
}

export type MfaChallengeEvent =
  | { type: 'select'; factor: MfaPolicy }
  | { type: 'recover' }
  | { type: 'verified'; user: User }
  | { type: 'expire'; error: MfaError | null }
  | { type: 'reset'; trigger: MfaTrigger; supported?: readonly MfaPolicy[]; enrollment?: MfaEnrollment }

/** The factors the kit can run. PASSKEY exists only in Guard's server-driven mode. */
export const defaultSupportedFactors: readonly MfaPolicy[] = ['OTP', 'SMS', 'EMAIL', 'FACE']

type S = MfaChallengeState

const modeOf = (bound: S['bound'], factor: MfaPolicy | null): MfaChallengeStatus =>
  factor ? (bound[factor] ? 'verifying' : 'binding') : 'unavailable'

/**
 * The state a trigger starts in: the enabled, supported factors sorted by `sort`, starting on
 * `current` when it is offered, else on the first. An account that can verify a factor binds
 * nothing during a sign-in (the server refuses it: it binds from its settings once signed in),
 * unless `enrollment` is `any`; so only the factors it can verify are offered.
 */
export function mfaChallengeInitialState(
  trigger: MfaTrigger,
  supported = defaultSupportedFactors,
  enrollment: MfaEnrollment = 'first-factor',
): S {
  const bound: S['bound'] = {
    OTP: trigger.totpMfaEnabled,
    SMS: !!trigger.mfaPhone,
    EMAIL: !!trigger.mfaEmail,
    FACE: trigger.faceMfaEnabled,
  }
  const offered = trigger.applicationMfa
    .filter((f) => f.status === 1 && supported.includes(f.mfaPolicy))
    .sort((a, b) => a.sort - b.sort)
    .map((f) => f.mfaPolicy)
  const canBind = enrollment === 'any' || !offered.some((f) => bound[f])
  const factors = canBind ? offered : offered.filter((f) => bound[f])
  const { current } = trigger
  const factor = current && factors.includes(current) ? current : (factors[0] ?? null)
  return { status: modeOf(bound, factor), error: null, factors, factor, bound, user: null }
}

const ACTIVE = ['verifying', 'binding', 'recovering'] as const
const transitions: Transitions<S, MfaChallengeEvent> = {
  select: on(
    ACTIVE,
    (s, e) => modeOf(s.bound, e.factor),
    (s, e) => s.factors.includes(e.factor) && { factor: e.factor },
  ),
  recover: on('verifying', 'recovering', (s) => s.factor === 'OTP' && {}),
  verified: on(ACTIVE, 'verified'),
  expire: on(ACTIVE, 'expired'),
}

/**
 * The machine behind `<MfaGuard>`: pick a factor, bind or verify it, end `verified` or `expired`.
 * Selecting OTP again leaves the recovery-code step.
 */
export function mfaChallengeReducer(state: S, event: MfaChallengeEvent): S {
  return event.type === 'reset'
    ? mfaChallengeInitialState(event.trigger, event.supported, event.enrollment)
    : transition(transitions, state, event)
}
