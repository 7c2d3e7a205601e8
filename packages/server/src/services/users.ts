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
import { ApiError, errors } from '../http/errors'
import type { FailurePolicy, LoginIdentifier, TotpRecord, UserRecord } from '../store/types'
import type { ServerContext } from './context'
import { issueAccessToken, issueMfaToken, type IssuedToken } from './tokens'

// ---- canonical identifiers (TOK-10: one form before every decision) --------------------------

export function canonicalEmail(input: string): string | null {
  const value = input.normalize('NFKC').trim().toLowerCase()
  if (value.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return null
  return value
}

export function canonicalUsername(input: string): string | null {
  const value = input.normalize('NFKC').trim().toLowerCase()
  // eslint-disable-next-line no-control-regex
  if (value.length < 1 || value.length > 64 || /[\s\u0000-\u001f\u007f]/.test(value)) return null
  return value
}

export function canonicalPhone(input: string): string | null {
  const value = input.normalize('NFKC').replace(/[\s\-().]/g, '')
  if (!/^\+?[0-9]{5,20}$/.test(value)) return null
  return value
}

export function canonicalCountryCode(input: string | undefined): string | null {
  if (input === undefined) return null
  const value = input.trim()
  if (!/^\+?[0-9]{1,4}$/.test(value)) throw errors.badRequest('Field phoneCountryCode must look like +86')
  return value.startsWith('+') ? value : `+${value}`
}

export function canonicalIdentifier(kind: LoginIdentifier, input: string): string | null {
  if (kind === 'email') return canonicalEmail(input)
  if (kind === 'phone') return canonicalPhone(input)
  return canonicalUsername(input)
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
export async function readPassword(ctx: ServerContext, raw: string): Promise<string | null> {
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

export async function register(ctx: ServerContext, input: RegisterInput): Promise<User> {
  const email = input.email === undefined ? null : canonicalEmail(input.email)
  if (input.email !== undefined && email === null) throw errors.badRequest('The email address is not valid')
  const username = input.username === undefined ? null : canonicalUsername(input.username)
  if (input.username !== undefined && username === null) throw errors.badRequest('The username is not valid')
  if (email === null && username === null) throw errors.badRequest('An email or a username is required')
  const phone = input.phone === undefined ? null : canonicalPhone(input.phone)
  if (input.phone !== undefined && phone === null) throw errors.badRequest('The phone number is not valid')
  const phoneCountryCode = phone === null ? null : canonicalCountryCode(input.phoneCountryCode)
  const password = await readPassword(ctx, input.password)
  if (password === null) throw errors.badRequest('The password could not be decrypted with the server key')
  if ([...password].length < ctx.config.minPasswordLength) {
    throw errors.badRequest(`The password must have at least ${ctx.config.minPasswordLength} characters`)
  }
  let passwordHash: string
  try {
    passwordHash = await hashPassword(password, { iterations: ctx.config.passwordIterations })
  } catch {
    throw errors.badRequest('The password is too long')
  }
  const now = ctx.clock.now()
  const nickname = input.nickname?.trim().slice(0, 128) || null
  const result = await ctx.store.createUser({
    id: bytesToHex(randomBytes(12)),
    username,
    email,
    phone,
    phoneCountryCode,
    passwordHash,
    createdAt: now,
    nickname,
    mfaEmail: email,
  })
  if (!result.ok) throw errors.userExists()
  ctx.log('info', 'user.registered', { userId: result.user.id })
  if (input.login && ctx.config.factors.length === 0) {
    const token = await issueAccessToken(ctx, result.user.id, 'register')
    return userView(ctx, result.user, token)
  }
  return userView(ctx, result.user)
}

// ---- sign-in ---------------------------------------------------------------------------------

/** A second factor is required: the GraphQL error carries this code and data. */
export class MfaRequired extends ApiError {
  constructor(code: 1635 | 1636, message: string, data: ApplicationMfaTriggerData | TotpMfaTriggerData) {
    super(code, message, data)
  }
}

/** Checks an account's password; every failure looks the same (2333), locked accounts get 2057. */
export async function passwordLogin(ctx: ServerContext, kind: LoginIdentifier, rawIdentifier: string, rawPassword: string): Promise<User> {
  const identifier = canonicalIdentifier(kind, rawIdentifier)
  const now = ctx.clock.now()
  const throttleKey = `password:${kind}:${identifier ?? rawIdentifier.trim().toLowerCase()}`
  // The identifier travels in the clear, so the attempt is counted (and a locked account refused)
  // before the RSA decryption of the password, which costs milliseconds of CPU.
  const attempt = await ctx.store.beginAttempt(throttleKey, now, passwordPolicy(ctx))
  if (!attempt.allowed) throw errors.locked(attempt.retryAfterMs)
  const password = await readPassword(ctx, rawPassword)

  const user = identifier === null ? null : await ctx.store.findUserBy(kind, identifier)
  const hash = user?.passwordHash ?? (await dummyPasswordHash(ctx.config.passwordIterations))
  const ok = (await verifyPassword(password ?? '', hash)) && user !== null && user.passwordHash !== null && password !== null
  if (!ok || !user) {
    ctx.log('info', 'login.failed', { kind })
    throw errors.invalidCredentials()
  }
  await ctx.store.resetFailures(throttleKey)
  return afterFirstFactor(ctx, user)
}

/**
 * After the first factor: a session when no second factor applies, otherwise an mfaToken inside a
 * 1636 (application policy) or 1635 (the user's own TOTP) error. Nothing usable is issued before
 * the second factor succeeds (TOK-02).
 */
export async function afterFirstFactor(ctx: ServerContext, user: UserRecord): Promise<User> {
  const totp = await ctx.store.getTotp(user.id)
  if (ctx.config.factors.length > 0) {
    const mfa = await issueMfaToken(ctx, user.id)
    ctx.log('info', 'login.mfa_required', { userId: user.id, code: AuthingCode.MFA_APP_REQUIRED })
    throw new MfaRequired(AuthingCode.MFA_APP_REQUIRED, 'Multi-factor authentication is required', applicationTrigger(ctx, user, totp, mfa.token))
  }
  if (totp) {
    const mfa = await issueMfaToken(ctx, user.id)
    ctx.log('info', 'login.mfa_required', { userId: user.id, code: AuthingCode.MFA_TOTP_REQUIRED })
    throw new MfaRequired(AuthingCode.MFA_TOTP_REQUIRED, 'Please enter the security code from your authenticator app', {
      mfaToken: mfa.token,
      nickname: user.nickname,
      username: user.username,
      email: user.email,
      phone: user.phone,
      phoneCountryCode: user.phoneCountryCode,
      avatar: user.photo,
    })
  }
  return completeSignIn(ctx, user, 'password')
}

/** Issues a fresh access token and counts the login. */
export async function completeSignIn(ctx: ServerContext, user: UserRecord, method: 'password' | 'mfa'): Promise<User> {
  const now = ctx.clock.now()
  const token = await issueAccessToken(ctx, user.id, method)
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

/** True when the account has a factor it has proven: TOTP, or a verified phone or email. */
export function hasVerifiedFactor(user: UserRecord, totp: TotpRecord | null): boolean {
  return totp !== null || user.mfaPhoneVerified || user.mfaEmailVerified
}

const POLICY_OF: Record<string, MfaPolicy> = { OTP: 'OTP', SMS: 'SMS', EMAIL: 'EMAIL', FACE: 'FACE' }

export function applicationTrigger(
  ctx: ServerContext,
  user: UserRecord,
  totp: TotpRecord | null,
  mfaToken: string,
): ApplicationMfaTriggerData {
  const applicationMfa: ApplicationMfaItem[] = ctx.config.factors.map((factor, index) => ({
    mfaPolicy: POLICY_OF[factor]!,
    status: 1,
    sort: index + 1,
  }))
  const ready = (factor: MfaPolicy) =>
    (factor === 'OTP' && totp !== null) ||
    (factor === 'SMS' && user.mfaPhone !== null) ||
    (factor === 'EMAIL' && user.mfaEmail !== null)
  const current = applicationMfa.find((item) => ready(item.mfaPolicy))?.mfaPolicy ?? applicationMfa[0]?.mfaPolicy
  return {
    mfaToken,
    nickname: user.nickname,
    username: user.username,
    email: user.email,
    phone: user.phone,
    phoneCountryCode: user.phoneCountryCode,
    avatar: user.photo,
    mfaPhone: user.mfaPhone,
    mfaPhoneCountryCode: user.mfaPhoneCountryCode,
    mfaEmail: user.mfaEmail,
    faceMfaEnabled: false,
    totpMfaEnabled: totp !== null,
    applicationMfa,
    ...(current ? { current } : {}),
    passkeyEnabled: false,
  }
}
