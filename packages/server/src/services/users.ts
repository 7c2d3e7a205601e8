/**
 * Accounts: canonical identifiers, registration, the password step of sign-in, and the decision
 * that follows it (a session, or an mfaToken with the 1635/1636 trigger).
 */

import {
  AuthingCode,
  type ApplicationMfaItem,
  type ApplicationMfaTriggerData,
  type MfaPolicy,
  type TotpMfaTriggerData,
  type User,
} from '@mfa-kit/protocol'
import { bytesToHex, hashPassword, randomBytes, verifyPassword } from '../crypto'
import type { ClientInfo } from '../http/client'
import { ApiError, errors } from '../http/errors'
import { isLockedUntilReset } from '../store/policy'
import type { FailurePolicy, LoginIdentifier, TokenRecord, TotpRecord, UserRecord } from '../store/types'
import type { ServerContext } from './context'
import { factorFailureKey } from './throttle'
import {
  canonicalCountryCode,
  canonicalEmail,
  canonicalIdentifier,
  canonicalPhone,
  canonicalUsername,
  type PhoneNumber,
} from './identifiers'
import { issueAccessToken, issueMfaToken, type IssuedToken } from './tokens'

const HOUR = 3_600_000

/** How the first factor of a sign-in was proven. */
export type FirstFactor = Extract<TokenRecord['method'], 'password' | 'phone_code'>

/** A phone field with its optional country code field, in E.164 form; an invalid number is 6011. */
export function requirePhone(ctx: ServerContext, raw: string, rawCountryCode: string | undefined): PhoneNumber {
  const phone = canonicalPhone(raw, canonicalCountryCode(rawCountryCode), ctx.config.defaultCallingCode)
  if (phone === null) throw errors.invalidPhone()
  return phone
}

/** An email field in canonical form; an invalid address is 6010. */
export function requireEmail(raw: string): string {
  const email = canonicalEmail(raw)
  if (email === null) throw errors.invalidEmail()
  return email
}

// ---- the user as the wire sees it ------------------------------------------------------------

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function userView(ctx: ServerContext, user: UserRecord, token?: Pick<IssuedToken, 'token' | 'record'> | null): User {
  return {
    id: user.id,
    arn: null,
    userPoolId: ctx.config.userPoolId,
    status: 'Activated',
    username: user.username,
    email: user.email,
    emailVerified: user.email !== null && user.email === user.mfaEmail && user.mfaEmailVerified,
    phone: user.phone,
    phoneVerified: hasVerifiedPhone(user),
    phoneCountryCode: user.phoneCountryCode,
    nickname: user.nickname,
    photo: user.photo,
    token: token?.token ?? null,
    tokenExpiredAt: token ? iso(token.record.expiresAt) : null,
    loginsCount: user.loginsCount,
    lastLogin: iso(user.lastLoginAt),
    signedUp: iso(user.createdAt),
    blocked: false,
    isDeleted: false,
    registerSource: [],
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  }
}

// ---- passwords -------------------------------------------------------------------------------

/**
 * The password as typed: the RSA PKCS#1 v1.5 ciphertext from the SDK, decrypted, or the plain
 * value when plain passwords are allowed. Null when it cannot be read.
 */
async function readPassword(ctx: ServerContext, raw: string): Promise<string | null> {
  if (ctx.hasRsaKey()) {
    const { decryptor } = await ctx.rsa()
    const plain = decryptor.decryptText(raw)
    if (plain !== null) return plain
  }
  return ctx.config.allowPlainPasswords ? raw : null
}

let dummyHash: { iterations: number; hash: Promise<string> } | undefined

/** A hash to verify against when the account does not exist, so both cases take the same time. */
function dummyPasswordHash(iterations: number): Promise<string> {
  if (dummyHash?.iterations !== iterations) {
    dummyHash = { iterations, hash: hashPassword(bytesToHex(randomBytes(16)), { iterations }) }
  }
  return dummyHash.hash
}

function passwordPolicy(ctx: ServerContext): FailurePolicy {
  const { limits } = ctx.config
  return { threshold: limits.passwordFailureThreshold, baseLockMs: limits.lockBaseMs, maxLockMs: limits.lockMaxMs }
}

// ---- registration ----------------------------------------------------------------------------

export interface RegisterInput {
  email?: string
  username?: string
  password: string
  nickname?: string
  /** A phone to sign in with (`loginByPhonePassword`); unverified until a code to it is verified. */
  phone?: string
  /** Country code of `phone`, e.g. `+86`. */
  phoneCountryCode?: string
  /** Return a session right away (SDK `forceLogin` / `generateToken`). */
  login: boolean
}

/**
 * Registration is throttled per client address and overall: it answers whether an identifier is
 * taken, and it decrypts passwords.
 */
async function throttleRegistration(ctx: ServerContext, client: ClientInfo): Promise<void> {
  const { limits } = ctx.config
  const now = ctx.clock.now()
  const windows: Array<[string, number]> = [['register:all', limits.registrationsPerHour]]
  if (client.clientAddress !== null) windows.unshift([`register:client:${client.clientAddress}`, limits.registrationsPerClientPerHour])
  for (const [key, limit] of windows) {
    const result = await ctx.store.hitRateLimit(key, now, limit, HOUR)
    if (!result.allowed) {
      ctx.log('warn', 'register.limited', { scope: key === 'register:all' ? 'all' : 'client' })
      throw errors.registrationLimited(result.retryAfterMs)
    }
  }
}

/** Refuses identifiers another account already holds (2026), before any password is decrypted. */
async function refuseTakenIdentifiers(ctx: ServerContext, identifiers: Record<LoginIdentifier, string | null>): Promise<void> {
  for (const [kind, value] of Object.entries(identifiers) as Array<[LoginIdentifier, string | null]>) {
    if (value !== null && (await ctx.store.findUserBy(kind, value))) throw errors.userExists()
  }
}

/**
 * The password of a registration, decrypted, checked and hashed. Every way it can fail (bad RSA
 * padding, a wrong block type, a missing separator, text that is not UTF-8, too short, too long)
 * gives the one answer 6009, so registration is never an oracle on the decryption.
 */
async function registrationPasswordHash(ctx: ServerContext, raw: string): Promise<string> {
  const password = await readPassword(ctx, raw)
  if (password === null || [...password].length < ctx.config.minPasswordLength)
    throw errors.registrationFailed(ctx.config.minPasswordLength)
  try {
    return await hashPassword(password, { iterations: ctx.config.passwordIterations })
  } catch {
    throw errors.registrationFailed(ctx.config.minPasswordLength)
  }
}

/**
 * The new user, signed in when asked for (`forceLogin` / `generateToken`): with no MFA policy a
 * session right away; under a policy the registration counts as the first factor and answers like
 * a login, with the 1636 trigger. Without the request the user signs in afterwards.
 */
async function registered(ctx: ServerContext, user: UserRecord, login: boolean, firstFactor: FirstFactor): Promise<User> {
  ctx.log('info', 'user.registered', { userId: user.id })
  if (!login) return userView(ctx, user)
  if (ctx.config.factors.length > 0) return afterFirstFactor(ctx, user, firstFactor)
  const token = await issueAccessToken(ctx, user.id, 'register')
  return userView(ctx, user, token)
}

export async function register(ctx: ServerContext, client: ClientInfo, input: RegisterInput): Promise<User> {
  await throttleRegistration(ctx, client)
  const email = input.email === undefined ? null : requireEmail(input.email)
  const username = input.username === undefined ? null : canonicalUsername(input.username)
  if (input.username !== undefined && username === null) throw errors.badRequest('The username is not valid')
  if (email === null && username === null) throw errors.badRequest('An email or a username is required')
  const phone = input.phone === undefined ? null : requirePhone(ctx, input.phone, input.phoneCountryCode)
  await refuseTakenIdentifiers(ctx, { email, username, phone: phone?.e164 ?? null })
  const passwordHash = await registrationPasswordHash(ctx, input.password)
  const result = await ctx.store.createUser({
    id: bytesToHex(randomBytes(12)),
    username,
    email,
    phone: phone?.e164 ?? null,
    phoneCountryCode: phone?.countryCode ?? null,
    passwordHash,
    createdAt: ctx.clock.now(),
    nickname: input.nickname?.trim().slice(0, 128) || null,
    mfaEmail: email,
  })
  // Taken between the check and the insert: answered like a password problem, never as 2026.
  if (!result.ok) throw errors.registrationFailed(ctx.config.minPasswordLength)
  return registered(ctx, result.user, input.login, 'password')
}

export interface PhoneRegisterInput {
  phone: string
  phoneCountryCode?: string
  /** Proves the phone: a code sent to it with the `register` scene. */
  code: string
  password?: string
  nickname?: string
  login: boolean
}

/** Checks a code sent to a phone for registration, consuming it when it matches. */
export type RegisterCodeCheck = (phone: string, code: string) => Promise<'ok' | 'expired' | 'wrong'>

/**
 * `registerByPhoneCode`: an account whose login phone is proven by a code, with an optional
 * password. The phone is also its SMS factor, and unproven claims of other accounts on it are
 * released.
 */
export async function registerByPhoneCode(
  ctx: ServerContext,
  client: ClientInfo,
  input: PhoneRegisterInput,
  checkCode: RegisterCodeCheck,
): Promise<User> {
  await throttleRegistration(ctx, client)
  const phone = requirePhone(ctx, input.phone, input.phoneCountryCode)
  const holder = await ctx.store.findUserBy('phone', phone.e164)
  if (holder && hasVerifiedPhone(holder)) throw errors.userExists()
  const passwordHash = input.password === undefined ? null : await registrationPasswordHash(ctx, input.password)
  const outcome = await checkCode(phone.e164, input.code)
  if (outcome !== 'ok') throw outcome === 'expired' ? errors.verifyCodeExpired() : errors.invalidVerifyCode()
  const now = ctx.clock.now()
  const created = await ctx.store.createUser({
    id: bytesToHex(randomBytes(12)),
    username: null,
    email: null,
    phone: null,
    passwordHash,
    createdAt: now,
    nickname: input.nickname?.trim().slice(0, 128) || null,
  })
  if (!created.ok) throw errors.registrationFailed(ctx.config.minPasswordLength)
  const bound = await ctx.store.bindContact(created.user.id, {
    channel: 'sms',
    value: phone.e164,
    countryCode: phone.countryCode,
    now,
    useForLogin: true,
  })
  if (!bound.ok || bound.user.phone !== phone.e164) throw errors.userExists()
  return registered(ctx, bound.user, input.login, 'phone_code')
}

// ---- sign-in ---------------------------------------------------------------------------------

/** A second factor is required: the GraphQL error carries this code and data. */
class MfaRequired extends ApiError {
  constructor(code: 1635 | 1636, message: string, data: ApplicationMfaTriggerData | TotpMfaTriggerData) {
    super(code, message, data)
  }
}

/**
 * Checks an account's password; every failure looks the same (2333), locked accounts get 2057. The
 * failures are counted per account, whichever identifier names it, so that guesses by email and by
 * phone share one budget.
 */
export async function passwordLogin(
  ctx: ServerContext,
  kind: LoginIdentifier,
  rawIdentifier: string,
  rawPassword: string,
  rawCountryCode?: string,
): Promise<User> {
  const identifier = canonicalIdentifier(kind, rawIdentifier, canonicalCountryCode(rawCountryCode), ctx.config.defaultCallingCode)
  const now = ctx.clock.now()
  const user = identifier === null ? null : await ctx.store.findUserBy(kind, identifier)
  const throttleKey = user ? `password:user:${user.id}` : `password:${kind}:${identifier ?? rawIdentifier.trim().toLowerCase()}`
  // The identifier travels in the clear, so the attempt is counted (and a locked account refused)
  // before the RSA decryption of the password, which costs milliseconds of CPU.
  const attempt = await ctx.store.beginAttempt(throttleKey, now, passwordPolicy(ctx))
  if (!attempt.allowed) throw errors.locked(attempt.retryAfterMs)
  const password = await readPassword(ctx, rawPassword)

  const hash = user?.passwordHash ?? (await dummyPasswordHash(ctx.config.passwordIterations))
  const ok = (await verifyPassword(password ?? '', hash)) && user !== null && user.passwordHash !== null && password !== null
  if (!ok || !user) {
    ctx.log('info', 'login.failed', { kind })
    throw errors.invalidCredentials()
  }
  await ctx.store.resetFailures(throttleKey)
  return afterFirstFactor(ctx, user, 'password')
}

/**
 * After the first factor: a session when no second factor applies, otherwise an mfaToken inside a
 * 1636 (application policy) or 1635 (the user's own TOTP) error. Nothing usable is issued before
 * the second factor succeeds (TOK-02), and the mfaToken remembers the first factor so that it can
 * never count as the second one too.
 */
export async function afterFirstFactor(ctx: ServerContext, user: UserRecord, firstFactor: FirstFactor): Promise<User> {
  const bound = await loadBoundFactors(ctx, user.id)
  if (ctx.config.factors.length > 0) {
    const factors = signInFactors(ctx, user, bound, firstFactor)
    if (factors.offered.length === 0) throw errors.secondFactorUnavailable()
    const mfa = await issueMfaToken(ctx, user.id, firstFactor)
    ctx.log('info', 'login.mfa_required', { userId: user.id, code: AuthingCode.MFA_APP_REQUIRED })
    throw new MfaRequired(
      AuthingCode.MFA_APP_REQUIRED,
      'Multi-factor authentication is required',
      applicationTrigger(user, bound, factors, mfa.token),
    )
  }
  if (bound.totp) {
    const mfa = await issueMfaToken(ctx, user.id, firstFactor)
    ctx.log('info', 'login.mfa_required', { userId: user.id, code: AuthingCode.MFA_TOTP_REQUIRED })
    throw new MfaRequired(
      AuthingCode.MFA_TOTP_REQUIRED,
      'Please enter the security code from your authenticator app',
      profileFields(user, mfa.token),
    )
  }
  return completeSignIn(ctx, user, 'password')
}

/**
 * The password of a signed-in user, proven again (re-verification of an account without a second
 * factor): counted on the same per-account budget as sign-in.
 */
export async function checkPasswordAgain(ctx: ServerContext, user: UserRecord, rawPassword: string): Promise<void> {
  const throttleKey = `password:user:${user.id}`
  const attempt = await ctx.store.beginAttempt(throttleKey, ctx.clock.now(), passwordPolicy(ctx))
  if (!attempt.allowed) throw errors.locked(attempt.retryAfterMs)
  const password = await readPassword(ctx, rawPassword)
  if (password === null || user.passwordHash === null || !(await verifyPassword(password, user.passwordHash))) {
    ctx.log('info', 'reverification.failed', { userId: user.id, factor: 'password' })
    throw errors.invalidCredentials()
  }
  await ctx.store.resetFailures(throttleKey)
}

/**
 * Issues a fresh access token and counts the login. `recent: false` for a sign-in whose last step
 * was a face: such a session cannot change factors before it re-verifies (see `NOT_RECENT`).
 */
export async function completeSignIn(
  ctx: ServerContext,
  user: UserRecord,
  method: 'password' | 'mfa',
  options: { recent?: boolean } = {},
): Promise<User> {
  const now = ctx.clock.now()
  const token = await issueAccessToken(ctx, user.id, method, options)
  await ctx.store.recordLogin(user.id, now)
  const fresh = (await ctx.store.getUser(user.id)) ?? user
  ctx.log('info', 'login.succeeded', { userId: user.id, method })
  return userView(ctx, fresh, token)
}

/**
 * True when the account's login phone has been proven: a code sent to it was verified (binding it
 * as the SMS factor). Only such a phone signs in with an SMS code.
 */
export function hasVerifiedPhone(user: UserRecord): boolean {
  return user.phone !== null && user.phone === user.mfaPhone && user.mfaPhoneVerified
}

/** The second factors bound to an account, as sign-in decisions need them. */
export interface BoundFactors {
  totp: TotpRecord | null
  /** A bound face: `usable`, or `turned_off` after too many consecutive failures (FACE-02). */
  face: 'usable' | 'turned_off' | null
}

export async function loadBoundFactors(ctx: ServerContext, userId: string): Promise<BoundFactors> {
  const [totp, face] = await Promise.all([ctx.store.getTotp(userId), ctx.store.getFace(userId)])
  if (!face) return { totp, face: null }
  const failures = await ctx.store.getFailureState(factorFailureKey(userId, 'face'))
  return { totp, face: isLockedUntilReset(failures) ? 'turned_off' : 'usable' }
}

/**
 * True when the account has a second factor that proves possession (FACE-03: face verification
 * needs one beside it): TOTP, or a phone or email proven with a code.
 */
export function hasPossessionFactor(user: UserRecord, hasTotp: boolean): boolean {
  return hasTotp || (user.mfaPhone !== null && user.mfaPhoneVerified) || (user.mfaEmail !== null && user.mfaEmailVerified)
}

/** The second factors of one sign-in: those the trigger offers, and those the account can use now. */
export interface SignInFactors {
  offered: MfaPolicy[]
  ready: MfaPolicy[]
}

const SECOND_FACTORS: readonly MfaPolicy[] = ['OTP', 'SMS', 'EMAIL']

/**
 * The factors a sign-in may finish with, in the application's order.
 *
 * - The channel of the first factor is never offered again: after a code to the login phone, SMS
 *   cannot be the second factor (one possession never counts twice).
 * - A factor is ready when the account can use it now: TOTP bound, a phone or email on file, a
 *   face bound and not turned off, with a possession factor beside it (FACE-03).
 * - Face is offered only when it is ready or may be bound now (`enrollmentDuringLogin: 'any'`, beside
 *   a possession factor): otherwise a sign-in could never bind it.
 * - When none of the policy's factors is ready but the account has proven one the policy does not
 *   list (TOTP, a verified phone or email), that one is offered instead: the user proves what they
 *   have, signs in, then binds what the application asks for. Otherwise anyone with the password
 *   could bind the first factor of an account that already has one. Face is never such a stand-in.
 */
export function signInFactors(ctx: ServerContext, user: UserRecord, bound: BoundFactors, firstFactor: FirstFactor): SignInFactors {
  const { totp } = bound
  const possession = hasPossessionFactor(user, totp !== null)
  const faceReady = bound.face === 'usable' && possession
  const faceBindable = bound.face === null && possession && ctx.config.enrollmentDuringLogin === 'any'
  const repeats = (factor: MfaPolicy) => factor === 'SMS' && firstFactor === 'phone_code'
  const isReady = (factor: MfaPolicy, provenOnly: boolean) =>
    (factor === 'OTP' && totp !== null) ||
    (factor === 'SMS' && user.mfaPhone !== null && (!provenOnly || user.mfaPhoneVerified)) ||
    (factor === 'EMAIL' && user.mfaEmail !== null && (!provenOnly || user.mfaEmailVerified)) ||
    (factor === 'FACE' && !provenOnly && faceReady)
  const offered = (ctx.config.factors as MfaPolicy[]).filter(
    (factor) => !repeats(factor) && (factor !== 'FACE' || faceReady || faceBindable),
  )
  const ready = offered.filter((factor) => isReady(factor, false))
  if (ready.length > 0) return { offered, ready }
  const proven = SECOND_FACTORS.filter((factor) => !repeats(factor) && isReady(factor, true))
  return proven.length > 0 ? { offered: proven, ready: proven } : { offered, ready: [] }
}

/**
 * May this mfaToken bind a new factor? Only when the account has no factor it could verify with
 * instead (or the server opened enrollment to every account, `enrollmentDuringLogin: 'any'`).
 */
export function mayBindDuringSignIn(ctx: ServerContext, user: UserRecord, bound: BoundFactors, firstFactor: FirstFactor): boolean {
  return ctx.config.enrollmentDuringLogin === 'any' || signInFactors(ctx, user, bound, firstFactor).ready.length === 0
}

/** The first factor an mfaToken was issued after. */
export function firstFactorOf(token: TokenRecord): FirstFactor {
  return token.method === 'phone_code' ? 'phone_code' : 'password'
}

function profileFields(user: UserRecord, mfaToken: string): TotpMfaTriggerData {
  return {
    mfaToken,
    nickname: user.nickname,
    username: user.username,
    email: user.email,
    phone: user.phone,
    phoneCountryCode: user.phoneCountryCode,
    avatar: user.photo,
  }
}

function applicationTrigger(user: UserRecord, bound: BoundFactors, factors: SignInFactors, mfaToken: string): ApplicationMfaTriggerData {
  const applicationMfa: ApplicationMfaItem[] = factors.offered.map((factor, index) => ({ mfaPolicy: factor, status: 1, sort: index + 1 }))
  const current = factors.ready[0] ?? factors.offered[0]
  return {
    ...profileFields(user, mfaToken),
    mfaPhone: user.mfaPhone,
    mfaPhoneCountryCode: user.mfaPhoneCountryCode,
    mfaEmail: user.mfaEmail,
    faceMfaEnabled: factors.ready.includes('FACE'),
    totpMfaEnabled: bound.totp !== null,
    applicationMfa,
    ...(current ? { current } : {}),
    passkeyEnabled: false,
  }
}
