/**
 * The storage contract of the reference server.
 *
 * Every method is async so that adapters can sit on any database. Every one-time consumption and
 * every counter is a single method here, and each adapter implements it atomically (one
 * synchronous critical section in memory, one transaction or one conditional statement in SQL).
 * Services never read a value and write it back in two steps.
 *
 * Times are Unix epoch milliseconds from the server's clock; adapters never read a clock
 * themselves. Secrets reach the store only in protected form: TOTP seeds sealed with AES-256-GCM,
 * tokens, recovery codes and one-time codes as keyed hashes.
 */

/** An account. `username`, `email` and `phone` are the login identifiers (unique, canonical form). */
export interface UserRecord {
  id: string
  username: string | null
  email: string | null
  phone: string | null
  phoneCountryCode: string | null
  nickname: string | null
  photo: string | null
  /** Encoded password hash (algorithm, parameters, salt and digest), or null for code-only accounts. */
  passwordHash: string | null
  /**
   * Where SMS codes for MFA go; null until a phone is on file. The login `phone` counts as verified
   * when it equals this one and `mfaPhoneVerified` is true.
   */
  mfaPhone: string | null
  mfaPhoneCountryCode: string | null
  /** True once a code sent to `mfaPhone` has been verified. */
  mfaPhoneVerified: boolean
  /** Where email codes for MFA go; null until an email is on file. */
  mfaEmail: string | null
  /** True once a code sent to `mfaEmail` has been verified. */
  mfaEmailVerified: boolean
  loginsCount: number
  lastLoginAt: number | null
  createdAt: number
  updatedAt: number
}

/** Fields a caller may set when creating an account. */
export type NewUser = Pick<UserRecord, 'id' | 'username' | 'email' | 'phone' | 'passwordHash' | 'createdAt'> &
  Partial<Pick<UserRecord, 'phoneCountryCode' | 'nickname' | 'photo' | 'mfaPhone' | 'mfaPhoneCountryCode' | 'mfaEmail'>>

export type LoginIdentifier = 'username' | 'email' | 'phone'

export type ContactChannel = 'sms' | 'email'

export type CreateUserResult = { ok: true; user: UserRecord } | { ok: false; conflict: LoginIdentifier }

/** What {@link MfaStore.bindContact} puts on file. */
export interface ContactBinding {
  channel: ContactChannel
  /** Canonical form: E.164 for a phone, lower case for an email. */
  value: string
  countryCode: string | null
  now: number
  /** Also make a phone the login phone. @default false */
  useForLogin?: boolean
}

export type BindContactResult =
  | { ok: true; user: UserRecord }
  /** The user already has a different destination on file for this channel. */
  | { ok: false; reason: 'already_bound' | 'no_user' }

/** A confirmed TOTP authenticator. The seed is sealed (AES-256-GCM, AAD = user id + factor). */
export interface TotpRecord {
  id: string
  userId: string
  sealedSecret: string
  /** The last TOTP time step accepted, or null before the first use. Only ever increases. */
  lastStep: number | null
  createdAt: number
  updatedAt: number
}

/** A binding that is waiting for its first code. One per user at a time. */
export interface PendingTotpRecord {
  id: string
  userId: string
  sealedSecret: string
  /** Keyed hash of the recovery code that becomes valid on confirmation. */
  recoveryCodeHash: string
  source: 'SELF' | 'APPLICATION'
  createdAt: number
  expiresAt: number
}

export type PutPendingTotpResult = { ok: true } | { ok: false; reason: 'already_bound' }

export type ActivateTotpResult = { ok: true; totp: TotpRecord } | { ok: false; reason: 'no_pending' | 'expired' | 'already_bound' }

export type AdvanceStepResult = { ok: true } | { ok: false; reason: 'replayed' | 'not_bound' }

/**
 * A bound face: the descriptors of the two binding photos, sealed together (AES-256-GCM, AAD = user
 * id + factor). The photos themselves are never stored.
 */
export interface FaceRecord {
  id: string
  userId: string
  sealedDescriptors: string
  createdAt: number
}

export type PutFaceResult = { ok: true } | { ok: false; reason: 'already_bound' | 'no_user' }

/** A one-time code sent by SMS or email. Only its keyed hash is stored. */
export interface OobCodeRecord {
  /** `purpose:channel:destination`, built by the service. */
  key: string
  codeHash: string
  /** The account the code was sent for, when known at send time. */
  userId: string | null
  /** Hash of the mfaToken that asked for the code, when the send carried one. */
  mfaTokenHash: string | null
  createdAt: number
  expiresAt: number
}

export interface OobConsumeInput {
  key: string
  codeHash: string
  now: number
  /** The account trying the code. A code sent for another account never matches. */
  userId: string | null
  /** The mfaToken presenting the code. A code sent under another mfaToken never matches. */
  mfaTokenHash: string | null
}

export type OobConsumeResult = { ok: true; record: OobCodeRecord } | { ok: false; reason: 'missing' | 'expired' | 'mismatch' }

export type TokenKind = 'mfa' | 'access'

/** An mfaToken or access token, stored by hash only. */
export interface TokenRecord {
  hash: string
  kind: TokenKind
  userId: string
  createdAt: number
  expiresAt: number
  /** When the user last proved a factor for this token (password, or password + MFA). */
  authenticatedAt: number
  /**
   * How the token was earned. An mfaToken records its first factor: `password`, or `phone_code` (an
   * SMS code to the login phone, after which SMS cannot be the second factor). An access token
   * records `password` (no MFA was required), `mfa` or `register`.
   */
  method: 'password' | 'phone_code' | 'mfa' | 'register'
}

/** Consecutive-failure policy: lock after `threshold` failures for a delay that grows per lockout. */
export interface FailurePolicy {
  threshold: number
  /** Lock delay for the first lockout; it doubles per further lockout. */
  baseLockMs: number
  /** Upper bound of the lock delay. */
  maxLockMs: number
  /**
   * The rule for biometrics (NIST SP 800-63B-4 §3.2.3): failures are never forgiven by waiting.
   * From the threshold on, every further failure locks again (for a delay that keeps growing), and
   * at this many consecutive failures the key stays locked until it is reset. Without it, a round
   * that ended in a lockout starts again from zero once the lock is over.
   */
  disableAfter?: number
}

export interface FailureState {
  /** Failures in the current round (attempts that were not followed by a reset). */
  failures: number
  /** Lockouts since the last success; drives the growing delay. */
  lockouts: number
  lockedUntil: number
}

export type AttemptResult =
  /** The attempt may be evaluated; it already counts as a failure until `resetFailures`. */
  { allowed: true; failures: number } | { allowed: false; retryAfterMs: number }

/** A fixed-window counter as stored. */
export interface RateWindow {
  windowStart: number
  windowMs: number
  count: number
}

export type RateLimitResult = { allowed: true; count: number } | { allowed: false; retryAfterMs: number }

/**
 * A second-factor attempt with an mfaToken, as the store sees it: the token, its attempt budget and
 * the failure counter of the account's factor.
 */
export interface MfaAttemptInput {
  /** Hash of the mfaToken presenting the code. */
  mfaTokenHash: string
  /** Attempts the mfaToken may make; once they are used up the token is deleted. */
  mfaTokenMaxAttempts: number
  /** Window of the mfaToken's attempt counter (its lifetime). */
  mfaTokenWindowMs: number
  /** Failure counter of the account and factor, shared by every token and session of the account. */
  factorKey: string
  policy: FailurePolicy
  now: number
}

/** What a failed (or refused) second-factor attempt did. */
export type MfaFailureResult =
  /** Counted on the mfaToken and on the factor (which may now be locked): a wrong code. */
  | { outcome: 'counted'; failures: number }
  /** The mfaToken is unknown, expired, consumed or not an mfaToken. Nothing was counted. */
  | { outcome: 'token_invalid' }
  /** The mfaToken had used up its attempts and has been deleted. The factor was not touched. */
  | { outcome: 'token_exhausted' }
  /** The factor is locked. The attempt was counted on the mfaToken only. */
  | { outcome: 'locked'; retryAfterMs: number }

/** Everything a matching second factor changes, applied together. */
export interface MfaSuccessInput extends MfaAttemptInput {
  userId: string
  /** For a TOTP code: the compare-and-set of the factor's last accepted step. */
  totp?: { totpId: string; step: number }
  /** The access token of the new session. */
  accessToken: TokenRecord
}

export type MfaSuccessResult =
  /** The mfaToken was consumed, the factor's failures reset, the session stored; the user after the login was counted. */
  | { outcome: 'accepted'; user: UserRecord }
  /**
   * The step was not after the last accepted one (a replay), or the authenticator changed
   * meanwhile: counted as a failure, exactly like a wrong code.
   */
  | { outcome: 'replayed'; failures: number }
  /** Refused before anything was accepted, with the same effect as a wrong code would have had. */
  | Exclude<MfaFailureResult, { outcome: 'counted' }>

export interface MfaStore {
  // ---- users ---------------------------------------------------------------------------------

  /** Creates an account unless a login identifier is taken. */
  createUser(user: NewUser): Promise<CreateUserResult>
  getUser(id: string): Promise<UserRecord | null>
  /** Looks an account up by a canonical login identifier. */
  findUserBy(identifier: LoginIdentifier, value: string): Promise<UserRecord | null>
  /** Counts a successful login. */
  recordLogin(userId: string, now: number): Promise<void>
  /**
   * Puts an MFA destination on file and marks it verified (its owner has just proven it with a
   * code), atomically: succeeds when the user has no destination for the channel yet, or already has
   * exactly this one. In the same step, other accounts' unproven claims on the value (a login
   * identifier or MFA destination typed in but never proven) are released. A phone becomes the
   * account's login phone only with `useForLogin`, and only when no other account signs in with it.
   */
  bindContact(userId: string, binding: ContactBinding): Promise<BindContactResult>
  /** Removes the user's MFA destination on `channel`; its login identifiers stay. Null without such a user. */
  unbindContact(userId: string, channel: ContactChannel, now: number): Promise<UserRecord | null>
  /** True when an account other than `exceptUserId` has proven `value` (see {@link bindContact}). */
  isContactInUse(channel: ContactChannel, value: string, exceptUserId: string): Promise<boolean>

  // ---- TOTP ----------------------------------------------------------------------------------

  getTotp(userId: string): Promise<TotpRecord | null>
  getPendingTotp(userId: string): Promise<PendingTotpRecord | null>
  /** Stores a pending binding, replacing any earlier pending one; refused when TOTP is bound. */
  putPendingTotp(pending: PendingTotpRecord): Promise<PutPendingTotpResult>
  /**
   * Turns the pending binding `pendingId` into the user's TOTP authenticator, atomically: records
   * `step` as the last accepted step, makes the pending recovery code the user's only recovery
   * code and removes the pending record.
   */
  activatePendingTotp(userId: string, pendingId: string, step: number, now: number): Promise<ActivateTotpResult>
  /** Compare-and-set of the last accepted step: succeeds only when `step` is greater than it. */
  advanceTotpStep(userId: string, totpId: string, step: number, now: number): Promise<AdvanceStepResult>
  /** Removes the authenticator, any pending binding and all recovery codes. True if anything was bound. */
  deleteTotp(userId: string): Promise<boolean>

  // ---- face ----------------------------------------------------------------------------------

  getFace(userId: string): Promise<FaceRecord | null>
  /** Binds a face, atomically: refused when the user has one already (or does not exist). */
  putFace(record: FaceRecord): Promise<PutFaceResult>
  /** Removes the user's face. True if one was bound. */
  deleteFace(userId: string): Promise<boolean>

  // ---- recovery codes --------------------------------------------------------------------------

  /**
   * Consumes the recovery code with hash `codeHash` and stores `replacementHash` in its place,
   * atomically. False when the user has no such code.
   */
  consumeRecoveryCode(userId: string, codeHash: string, replacementHash: string, now: number): Promise<boolean>
  /**
   * Replaces all of the user's recovery codes with the one whose hash is `codeHash`, atomically.
   * False when the user has no TOTP authenticator.
   */
  replaceRecoveryCodes(userId: string, codeHash: string, now: number): Promise<boolean>
  /** Number of unused recovery codes of the user. */
  countRecoveryCodes(userId: string): Promise<number>

  // ---- one-time codes (SMS, email) -------------------------------------------------------------

  /** Stores a code, replacing the code previously stored under the same key. */
  putOobCode(record: OobCodeRecord): Promise<void>
  /**
   * Consumes the code atomically when the hash, the binding and the expiry all match; the hash is
   * compared in constant time. A code whose hash and binding match but whose time is up answers
   * `expired` and stays stored until purged, so that retrying it answers `expired` again; any other
   * difference answers `mismatch`, so that expiry cannot be probed without the code.
   */
  consumeOobCode(input: OobConsumeInput): Promise<OobConsumeResult>

  // ---- tokens ----------------------------------------------------------------------------------

  putToken(record: TokenRecord): Promise<void>
  /** A live token (not expired at `now`), or null. */
  getToken(hash: string, now: number): Promise<TokenRecord | null>
  /** Deletes a live token of the given kind and returns it; null when it was already gone or expired. */
  consumeToken(hash: string, kind: TokenKind, now: number): Promise<TokenRecord | null>
  /**
   * Records that the holder of a live access token has just proven a factor again: its
   * `authenticatedAt` becomes `now`. Returns the updated record, or null when the token is not live.
   */
  refreshAuthentication(hash: string, now: number): Promise<TokenRecord | null>
  /** Deletes the user's tokens of a kind, except `keepHash`. Returns how many were deleted. */
  revokeTokens(userId: string, kind: TokenKind, keepHash?: string | null): Promise<number>

  // ---- counters --------------------------------------------------------------------------------

  /**
   * Starts an attempt under a consecutive-failure policy, atomically. When the key is locked the
   * attempt is refused with the time left. Otherwise the attempt is counted as a failure at once
   * (so that parallel attempts can never exceed the threshold) and, when it reaches the threshold,
   * the key locks for `baseLockMs * 2^(lockouts)` (at most `maxLockMs`). A success must call
   * {@link resetFailures}.
   */
  beginAttempt(key: string, now: number, policy: FailurePolicy): Promise<AttemptResult>
  /** Clears the failure state of a key after a success. */
  resetFailures(key: string): Promise<void>
  getFailureState(key: string): Promise<FailureState | null>
  /**
   * Fixed-window rate limit, atomically: allows at most `limit` hits per `windowMs`, counting this
   * one when allowed.
   */
  hitRateLimit(key: string, now: number, limit: number, windowMs: number): Promise<RateLimitResult>
  /** The stored window of a rate limit, read only (it may have ended already). */
  getRateWindow(key: string): Promise<RateWindow | null>

  // ---- second-factor verification ---------------------------------------------------------------

  /**
   * Records a wrong second-factor code, atomically: checks that the mfaToken is live, counts the
   * attempt against the token's budget (deleting the token when the budget was already used up;
   * the counter is the rate limit `mfa-token-attempts:<hash>`, see `hitRateLimit`) and then counts a
   * failure on the factor exactly as `beginAttempt` does, which locks it at the threshold.
   */
  recordMfaFailure(input: MfaAttemptInput): Promise<MfaFailureResult>
  /**
   * Applies a matching second factor, all or nothing. It is accepted only while the mfaToken is live
   * and within its budget and the factor is not locked, so a guess can succeed only while fewer
   * than the threshold of failures are recorded, however many requests run in parallel; otherwise
   * it is refused with the effect that `recordMfaFailure` would have had. With `totp`, the step must be after the last accepted one
   * (compare-and-set), else the attempt counts as a wrong code. Accepting consumes the mfaToken,
   * resets the factor's failures, stores the access token and counts the login.
   */
  completeMfa(input: MfaSuccessInput): Promise<MfaSuccessResult>

  // ---- housekeeping ----------------------------------------------------------------------------

  /** Deletes expired tokens, codes, pending bindings and stale counters. */
  purgeExpired(now: number): Promise<void>
  close(): Promise<void>
}
