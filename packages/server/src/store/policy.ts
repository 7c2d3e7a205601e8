/**
 * The security policy of every store adapter, as pure functions: consecutive failures into
 * lockouts, fixed-window rate limits, and the decisions of a second-factor attempt. An adapter only
 * loads the records these functions read and saves what they return, inside its own transaction,
 * so that the memory store and the SQLite store cannot drift apart.
 */

import { equalBytesFixedLength } from '../crypto/compare'
import { utf8Encode } from '../crypto/encoding'
import type {
  AttemptResult,
  ContactChannel,
  FailurePolicy,
  FailureState,
  MfaAttemptInput,
  MfaFailureResult,
  MfaSuccessInput,
  RateLimitResult,
  RateWindow,
  TokenRecord,
  TotpRecord,
  UserRecord,
} from './types'

/**
 * Lock delay for a lockout, given how many lockouts came before it since the last success:
 * `baseLockMs`, then twice that, four times, … capped at `maxLockMs`.
 */
export function lockDelay(policy: FailurePolicy, previousLockouts: number): number {
  const exponent = Math.min(Math.max(0, Math.floor(previousLockouts)), 30)
  return Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** exponent)
}

/**
 * Equality of a stored keyed hash and a presented one, in time that does not depend on where they
 * differ. Hashes have a fixed, public length, so a length mismatch may answer early.
 */
export function sameHash(stored: string, presented: string): boolean {
  return equalBytesFixedLength(utf8Encode(stored), utf8Encode(presented))
}

/** Key of an mfaToken's attempt counter in the rate-limit table. */
export function mfaTokenAttemptsKey(mfaTokenHash: string): string {
  return `mfa-token-attempts:${mfaTokenHash}`
}

/** What {@link nextFailureState} decided, and the state to save (null: leave the stored one as it is). */
export interface FailureTransition {
  result: AttemptResult
  save: FailureState | null
}

/** `lockedUntil` of a key that stays locked until it is reset (see `FailurePolicy.disableAfter`). */
export const LOCKED_UNTIL_RESET = Number.MAX_SAFE_INTEGER

/**
 * One attempt under a consecutive-failure policy. A locked key refuses it with the time left.
 * Otherwise the attempt counts as a failure at once (so that parallel attempts can never exceed the
 * threshold), and reaching the threshold locks the key for a delay that grows per lockout. A round
 * that ended in a lockout starts again from zero once the lock is over, unless the policy has
 * `disableAfter`: then every failure from the threshold on locks again, and the failure numbered
 * `disableAfter` locks the key until it is reset.
 */
export function nextFailureState(stored: FailureState | null, now: number, policy: FailurePolicy): FailureTransition {
  const state = stored ?? { failures: 0, lockouts: 0, lockedUntil: 0 }
  if (state.lockedUntil > now) return { result: { allowed: false, retryAfterMs: state.lockedUntil - now }, save: null }
  const forgiving = policy.disableAfter === undefined
  const failures = (forgiving && state.failures >= policy.threshold ? 0 : state.failures) + 1
  const locks = failures >= policy.threshold
  const lockedUntil =
    !forgiving && failures >= policy.disableAfter!
      ? LOCKED_UNTIL_RESET
      : locks
        ? now + lockDelay(policy, state.lockouts)
        : state.lockedUntil
  const next: FailureState = { failures, lockouts: locks ? state.lockouts + 1 : state.lockouts, lockedUntil }
  return { result: { allowed: true, failures }, save: next }
}

/** True while a stored failure state refuses attempts. */
export function isLocked(state: FailureState | null, now: number): boolean {
  return state !== null && state.lockedUntil > now
}

/** True for a key locked until it is reset (a face disabled after too many failures). */
export function isLockedUntilReset(state: FailureState | null): boolean {
  return state !== null && state.lockedUntil >= LOCKED_UNTIL_RESET
}

export interface RateTransition {
  result: RateLimitResult
  save: RateWindow | null
}

/** One hit of a fixed-window limit of `limit` hits per `windowMs`; a refused hit is not counted. */
export function nextRateWindow(stored: RateWindow | null, now: number, limit: number, windowMs: number): RateTransition {
  const window = stored && stored.windowStart + stored.windowMs > now ? stored : { windowStart: now, windowMs, count: 0 }
  if (window.count >= limit) return { result: { allowed: false, retryAfterMs: window.windowStart + window.windowMs - now }, save: null }
  const count = window.count + 1
  return { result: { allowed: true, count }, save: { ...window, count } }
}

/** True while a window is open and has no hits left. */
export function isRateWindowFull(window: RateWindow | null, now: number, limit: number): boolean {
  return window !== null && window.windowStart + window.windowMs > now && window.count >= limit
}

/** True for a live mfaToken, of `userId` when given. */
function isLiveMfaToken(token: TokenRecord | null, now: number, userId?: string): token is TokenRecord {
  return token !== null && token.kind === 'mfa' && token.expiresAt > now && (userId === undefined || token.userId === userId)
}

/** The records a wrong-code attempt reads. */
export interface MfaFailureRecords {
  token: TokenRecord | null
  tokenAttempts: RateWindow | null
  factor: FailureState | null
}

/** What a wrong-code attempt does: its result, and the records to save or delete. */
export interface MfaFailureTransition {
  result: MfaFailureResult
  /** The token's attempt window to save, when the attempt was counted on it. */
  tokenAttempts: RateWindow | null
  /** The token was out of attempts: delete it. */
  deleteToken: boolean
  /** The factor's failure state to save, when it changed. */
  factor: FailureState | null
}

/**
 * A wrong second-factor code: the mfaToken must be live; the attempt is counted against its budget
 * (a token out of attempts is deleted, and the factor is not touched); then it is counted as a
 * failure of the account's factor, which locks at the threshold.
 */
export function mfaFailure(input: MfaAttemptInput, records: MfaFailureRecords): MfaFailureTransition {
  const none = { tokenAttempts: null, deleteToken: false, factor: null }
  if (!isLiveMfaToken(records.token, input.now)) return { result: { outcome: 'token_invalid' }, ...none }
  const budget = nextRateWindow(records.tokenAttempts, input.now, input.mfaTokenMaxAttempts, input.mfaTokenWindowMs)
  if (!budget.result.allowed) return { result: { outcome: 'token_exhausted' }, ...none, deleteToken: true }
  const attempt = nextFailureState(records.factor, input.now, input.policy)
  const result: MfaFailureResult = attempt.result.allowed
    ? { outcome: 'counted', failures: attempt.result.failures }
    : { outcome: 'locked', retryAfterMs: attempt.result.retryAfterMs }
  return { result, tokenAttempts: budget.save, deleteToken: false, factor: attempt.save }
}

/** The records a matching-code attempt reads. */
export interface MfaSuccessRecords extends MfaFailureRecords {
  totp: TotpRecord | null
  user: UserRecord | null
}

/**
 * Whether a matching second factor may be accepted, checked in this order: a live mfaToken of the
 * user (else `token_invalid`), attempts left on it, the factor not locked, and for TOTP a step after
 * the last accepted one of the same authenticator. `refuse` means: apply {@link mfaFailure} instead.
 */
export function mfaSuccessDecision(input: MfaSuccessInput, records: MfaSuccessRecords): 'accept' | 'refuse' | 'token_invalid' {
  if (!isLiveMfaToken(records.token, input.now, input.userId) || records.user === null) return 'token_invalid'
  if (isRateWindowFull(records.tokenAttempts, input.now, input.mfaTokenMaxAttempts)) return 'refuse'
  if (isLocked(records.factor, input.now)) return 'refuse'
  if (input.totp) {
    const { totp } = records
    if (!totp || totp.id !== input.totp.totpId || (totp.lastStep !== null && input.totp.step <= totp.lastStep)) return 'refuse'
  }
  return 'accept'
}

/** The MFA result of a refused matching code: a counted failure reads as a replayed code. */
export function refusedSuccess(failure: MfaFailureResult) {
  return failure.outcome === 'counted' ? ({ outcome: 'replayed', failures: failure.failures } as const) : failure
}

// ---- phone and email claims --------------------------------------------------------------------

/** The contact fields of an account that bindings and releases change. */
export type ContactFields = Pick<
  UserRecord,
  'phone' | 'phoneCountryCode' | 'email' | 'mfaPhone' | 'mfaPhoneCountryCode' | 'mfaPhoneVerified' | 'mfaEmail' | 'mfaEmailVerified'
>

/** True when the account has proven `value` on `channel` with a code (its verified MFA destination). */
export function hasProvenContact(user: ContactFields, channel: ContactChannel, value: string): boolean {
  return channel === 'sms' ? user.mfaPhone === value && user.mfaPhoneVerified : user.mfaEmail === value && user.mfaEmailVerified
}

/** True when the account holds `value` as a login identifier or an MFA destination, proven or not. */
export function claimsContact(user: ContactFields, channel: ContactChannel, value: string): boolean {
  return channel === 'sms' ? user.phone === value || user.mfaPhone === value : user.email === value || user.mfaEmail === value
}

/**
 * The account's fields once its unproven claims on `value` are dropped, or null when it has none
 * to drop: a destination proven by a code wins over a login identifier or MFA destination that
 * another account only typed in (at registration, say).
 */
export function releaseUnprovenClaim<U extends ContactFields>(user: U, channel: ContactChannel, value: string): U | null {
  if (!claimsContact(user, channel, value) || hasProvenContact(user, channel, value)) return null
  if (channel === 'sms') {
    const keepsLogin = user.phone !== value
    return {
      ...user,
      phone: keepsLogin ? user.phone : null,
      phoneCountryCode: keepsLogin ? user.phoneCountryCode : null,
      ...(user.mfaPhone === value ? { mfaPhone: null, mfaPhoneCountryCode: null, mfaPhoneVerified: false } : {}),
    }
  }
  return {
    ...user,
    email: user.email === value ? null : user.email,
    ...(user.mfaEmail === value ? { mfaEmail: null, mfaEmailVerified: false } : {}),
  }
}

export interface BindContactInput {
  channel: ContactChannel
  value: string
  countryCode: string | null
  now: number
  /** Also make the phone the account's login phone (asked for from a signed-in session only). */
  useForLogin: boolean
  /** Another account signs in with this phone even after unproven claims were released. */
  loginTakenElsewhere: boolean
}

/**
 * The account after binding `value` as its verified MFA destination, or null when it already has a
 * different proven destination on that channel. An unproven one (the address given at sign-up,
 * never verified) is replaced. A phone becomes the login phone only when asked for and when no
 * other account signs in with it.
 */
export function bindContactFields<U extends ContactFields & { updatedAt: number }>(user: U, input: BindContactInput): U | null {
  const { channel, value, countryCode, now } = input
  if (channel === 'email') {
    if (user.mfaEmail !== null && user.mfaEmail !== value && user.mfaEmailVerified) return null
    return { ...user, mfaEmail: value, mfaEmailVerified: true, updatedAt: now }
  }
  if (user.mfaPhone !== null && user.mfaPhone !== value && user.mfaPhoneVerified) return null
  const login = input.useForLogin && !input.loginTakenElsewhere
  return {
    ...user,
    mfaPhone: value,
    mfaPhoneCountryCode: countryCode ?? user.mfaPhoneCountryCode,
    mfaPhoneVerified: true,
    ...(login ? { phone: value, phoneCountryCode: countryCode ?? user.phoneCountryCode } : {}),
    updatedAt: now,
  }
}

/** The account without its MFA destination on `channel` (its login identifiers stay). */
export function unbindContactFields<U extends ContactFields & { updatedAt: number }>(user: U, channel: ContactChannel, now: number): U {
  return channel === 'sms'
    ? { ...user, mfaPhone: null, mfaPhoneCountryCode: null, mfaPhoneVerified: false, updatedAt: now }
    : { ...user, mfaEmail: null, mfaEmailVerified: false, updatedAt: now }
}
