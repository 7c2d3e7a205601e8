/**
 * TOTP factor: binding (associate, confirm), verification, recovery codes and unbinding.
 *
 * - Secrets are sealed with AES-256-GCM under the server key, bound to the user and factor.
 * - A bound secret is never returned again; associate on a bound account is refused.
 * - Each accepted code moves the factor's last step forward with a compare-and-set, so a code
 *   works once and no earlier code works after it (VER-02, VER-03).
 * - Recovery codes are stored as keyed hashes, work once and are replaced on use.
 */

import type { MfaAssociation, MfaAuthenticator, User } from '@mfa-kit/protocol'
import {
  buildOtpauthUri,
  bytesToHex,
  generateRecoveryCode,
  generateTotpSecret,
  isRecoveryCodeShape,
  normalizeOtpCode,
  normalizeRecoveryCode,
  randomBytes,
  SecretBoxError,
  totpMatchStep,
  type Bytes,
} from '../crypto'
import { errors } from '../http/errors'
import { QrCapacityError, qrCodeDataUrl } from '../qr'
import type { TotpRecord, UserRecord } from '../store/types'
import type { ServerContext } from './context'
import { maskDestination } from '../logger'
import { notifyUser } from './notify'
import { secondFactorFailed, secondFactorPassed } from './second-factor'
import { beginFactorAttempt, factorSucceeded } from './throttle'
import { requireRecentAuthentication, spendMfaTokenAttempt, type Credential } from './tokens'
import { keepFaceCompanion } from './face'
import { completeSignIn, firstFactorOf, loadBoundFactors, mayBindDuringSignIn, userView } from './users'

const FACTOR = 'totp'

async function loadUser(ctx: ServerContext, credential: Credential): Promise<UserRecord> {
  const user = await ctx.store.getUser(credential.record.userId)
  // The account behind a live token is gone: treat the token as dead.
  if (!user) throw credential.record.kind === 'mfa' ? errors.mfaTokenInvalid() : errors.loginExpired()
  return user
}

async function openSecret(ctx: ServerContext, userId: string, sealed: string): Promise<Bytes> {
  const { box } = await ctx.keys()
  try {
    return await box.open(sealed, { userId, factor: FACTOR })
  } catch (error) {
    // A wrong server key, or a ciphertext that belongs to another user or factor.
    ctx.log('error', 'secret.unreadable', { userId, factor: FACTOR, reason: error instanceof SecretBoxError ? error.reason : 'unknown' })
    throw errors.secretUnreadable()
  }
}

function accountName(user: UserRecord): string {
  return user.email ?? user.username ?? user.phone ?? user.id
}

async function recoveryHash(ctx: ServerContext, userId: string, normalizedCode: string): Promise<string> {
  const { hasher } = await ctx.keys()
  return hasher.hash('recovery', [userId], normalizedCode)
}

function matchOptions(ctx: ServerContext, lastAcceptedStep: number | null) {
  const { totp } = ctx.config
  return {
    algorithm: totp.algorithm,
    digits: totp.digits,
    period: totp.period,
    window: totp.window,
    lastAcceptedStep,
    hmac: ctx.crypto.hmac,
  }
}

/**
 * The user's authenticators: TOTP (as authing-js-sdk lists them); with `type=face` the bound face;
 * with `type=all` TOTP, the face and the proven phone and email, masked (kit extensions for
 * settings pages).
 */
export async function listAuthenticators(
  ctx: ServerContext,
  credential: Credential,
  type: string | undefined,
): Promise<MfaAuthenticator[]> {
  const user = await loadUser(ctx, credential)
  const wanted = type?.toLowerCase() ?? 'totp'
  if (wanted !== 'totp' && wanted !== 'face' && wanted !== 'all') return []
  const iso = (ms: number) => new Date(ms).toISOString()
  const entry = (id: string, authenticatorType: string, createdAt: number, updatedAt: number, destination?: string): MfaAuthenticator => ({
    id,
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
    userId: user.id,
    enable: true,
    secret: '',
    authenticatorType,
    recoveryCode: '',
    ...(destination !== undefined ? { destination } : {}),
  })
  const list: MfaAuthenticator[] = []
  if (wanted !== 'face') {
    const totp = await ctx.store.getTotp(user.id)
    if (totp) list.push(entry(totp.id, 'totp', totp.createdAt, totp.updatedAt))
  }
  if (wanted !== 'totp') {
    const face = await ctx.store.getFace(user.id)
    if (face) list.push(entry(face.id, 'face', face.createdAt, face.createdAt))
  }
  if (wanted !== 'all') return list
  if (user.mfaPhone !== null && user.mfaPhoneVerified)
    list.push(entry('sms', 'sms', user.updatedAt, user.updatedAt, maskDestination(user.mfaPhone, user.mfaPhoneCountryCode)))
  if (user.mfaEmail !== null && user.mfaEmailVerified)
    list.push(entry('email', 'email', user.updatedAt, user.updatedAt, maskDestination(user.mfaEmail)))
  return list
}

/** Starts a binding: a fresh secret and recovery code, valid until confirmed or expired. */
export async function associate(ctx: ServerContext, credential: Credential): Promise<MfaAssociation> {
  const user = await loadUser(ctx, credential)
  const bound = await loadBoundFactors(ctx, user.id)
  if (bound.totp) throw errors.alreadyBound('TOTP')
  const source = credential.record.kind === 'mfa' ? 'APPLICATION' : 'SELF'
  if (source === 'APPLICATION') {
    if (ctx.config.factors.length > 0 && !ctx.config.factors.includes('OTP')) throw errors.factorDisabled('TOTP')
    if (!mayBindDuringSignIn(ctx, user, bound, firstFactorOf(credential.record))) throw errors.enrollmentNeedsSignIn()
  } else {
    requireRecentAuthentication(ctx, credential)
  }
  const now = ctx.clock.now()
  const secret = generateTotpSecret(ctx.config.totp.secretBytes)
  const recoveryCode = generateRecoveryCode()
  const { box } = await ctx.keys()
  const sealed = await box.seal(secret.bytes, { userId: user.id, factor: FACTOR })
  const pendingId = bytesToHex(randomBytes(12))
  const stored = await ctx.store.putPendingTotp({
    id: pendingId,
    userId: user.id,
    sealedSecret: sealed,
    recoveryCodeHash: await recoveryHash(ctx, user.id, normalizeRecoveryCode(recoveryCode)),
    source,
    createdAt: now,
    expiresAt: now + ctx.config.limits.pendingBindingTtlMs,
  })
  if (!stored.ok) throw errors.alreadyBound('TOTP')
  ctx.log('info', 'factor.binding_started', { userId: user.id, factor: FACTOR, source })
  const { totp } = ctx.config
  const uri = buildOtpauthUri({
    issuer: ctx.config.issuer,
    account: accountName(user),
    secret: secret.bytes,
    algorithm: totp.algorithm,
    digits: totp.digits,
    period: totp.period,
  })
  return {
    authenticator_type: 'totp',
    secret: secret.base32,
    qrcode_uri: uri,
    qrcode_data_url: await otpauthQrCode(ctx, user.id, uri),
    recovery_code: recoveryCode,
  }
}

/**
 * The otpauth URI as a PNG data URL for Guard's binding screen. A URI too long for a QR code
 * (very long account names) gets an empty string: the secret and the URI still work.
 */
async function otpauthQrCode(ctx: ServerContext, userId: string, uri: string): Promise<string> {
  try {
    return await qrCodeDataUrl(uri)
  } catch (error) {
    if (!(error instanceof QrCapacityError)) throw error
    ctx.log('warn', 'factor.qrcode_too_long', { userId, bytes: error.byteLength })
    return ''
  }
}

/**
 * Confirms the pending binding with a code from its secret. Any live credential of the same user
 * works: the mfaToken (APPLICATION source), or a recent access token (SELF source). The rule of
 * who may bind is checked again here, at confirmation time: a binding started before the account
 * proved a factor cannot be finished with the first factor alone. Binding ends the user's other
 * sessions (BND-05) and notifies the user.
 */
export async function confirm(ctx: ServerContext, credential: Credential, rawCode: string): Promise<User> {
  const user = await loadUser(ctx, credential)
  if (credential.record.kind === 'mfa') {
    await spendMfaTokenAttempt(ctx, credential)
    const bound = { ...(await loadBoundFactors(ctx, user.id)), totp: null }
    if (!mayBindDuringSignIn(ctx, user, bound, firstFactorOf(credential.record))) throw errors.enrollmentNeedsSignIn()
  } else {
    requireRecentAuthentication(ctx, credential)
  }
  if (await ctx.store.getTotp(user.id)) throw errors.alreadyBound('TOTP')
  const pending = await ctx.store.getPendingTotp(user.id)
  const now = ctx.clock.now()
  if (!pending) throw errors.noBindingInProgress()

  // Counted and checked against the pending secret before its expiry is told, so that only a
  // right code learns that the binding has expired.
  await beginFactorAttempt(ctx, user.id, 'otp')
  const code = normalizeOtpCode(rawCode, ctx.config.totp.digits)
  const secret = await openSecret(ctx, user.id, pending.sealedSecret)
  const step = code === null ? null : await totpMatchStep(secret, code, now, matchOptions(ctx, null))
  secret.fill(0)
  if (step === null) throw errors.invalidTotp()
  if (pending.expiresAt <= now) throw errors.verifyCodeExpired()

  const activated = await ctx.store.activatePendingTotp(user.id, pending.id, step, now)
  if (!activated.ok) {
    if (activated.reason === 'already_bound') throw errors.alreadyBound('TOTP')
    if (activated.reason === 'expired') throw errors.verifyCodeExpired()
    throw errors.noBindingInProgress()
  }
  await factorSucceeded(ctx, user.id, 'otp')
  const revoked = await ctx.store.revokeTokens(user.id, 'access', credential.record.kind === 'access' ? credential.hash : null)
  ctx.log('info', 'factor.bound', { userId: user.id, factor: FACTOR, revokedSessions: revoked })
  await notifyUser(ctx, user, 'factor_bound', 'An authenticator app')

  if (credential.record.kind === 'mfa') {
    const consumed = await ctx.store.consumeToken(credential.hash, 'mfa', now)
    if (!consumed) throw errors.mfaTokenInvalid()
    return completeSignIn(ctx, user, 'mfa')
  }
  return userView(ctx, (await ctx.store.getUser(user.id)) ?? user)
}

/**
 * Second factor with a TOTP code; consumes the mfaToken and returns the user with a new session.
 * The code is checked first and its outcome then applied in one atomic store call: a wrong code is
 * counted on the mfaToken and the account, a right one is accepted only while the account is not
 * locked (see second-factor.ts). Either way it is one write.
 */
export async function verifyTotp(ctx: ServerContext, credential: Credential, rawCode: unknown): Promise<User> {
  const user = await loadUser(ctx, credential)
  const totp = await ctx.store.getTotp(user.id)
  if (!totp) {
    await spendMfaTokenAttempt(ctx, credential)
    throw errors.notBound('TOTP')
  }
  const step = await matchBoundTotp(ctx, totp, rawCode, ctx.clock.now())
  if (step === null) throw await secondFactorFailed(ctx, credential, user.id, 'otp', errors.invalidTotp)
  return secondFactorPassed(ctx, credential, user, 'otp', { totpId: totp.id, step })
}

async function matchBoundTotp(ctx: ServerContext, totp: TotpRecord, rawCode: unknown, now: number): Promise<number | null> {
  const code = normalizeOtpCode(rawCode, ctx.config.totp.digits)
  if (code === null) return null
  const secret = await openSecret(ctx, totp.userId, totp.sealedSecret)
  try {
    return await totpMatchStep(secret, code, now, matchOptions(ctx, totp.lastStep))
  } finally {
    secret.fill(0)
  }
}

/**
 * Second factor with a recovery code. The code is consumed and replaced atomically; the new code
 * is returned next to the user (the wire puts it at the top level of the envelope).
 */
export async function verifyRecoveryCode(
  ctx: ServerContext,
  credential: Credential,
  rawCode: string,
): Promise<{ user: User; recoveryCode: string }> {
  const user = await loadUser(ctx, credential)
  await spendMfaTokenAttempt(ctx, credential)
  if (!(await ctx.store.getTotp(user.id))) throw errors.notBound('TOTP')
  await beginFactorAttempt(ctx, user.id, 'otp')
  const now = ctx.clock.now()
  // Take the mfaToken first, so that at most one recovery attempt per token is in flight; it is put
  // back when the code is wrong.
  const token = await ctx.store.consumeToken(credential.hash, 'mfa', now)
  if (!token) throw errors.mfaTokenInvalid()
  const normalized = normalizeRecoveryCode(rawCode)
  const replacement = generateRecoveryCode()
  const consumed =
    isRecoveryCodeShape(normalized) &&
    (await ctx.store.consumeRecoveryCode(
      user.id,
      await recoveryHash(ctx, user.id, normalized),
      await recoveryHash(ctx, user.id, normalizeRecoveryCode(replacement)),
      now,
    ))
  if (!consumed) {
    await ctx.store.putToken(token)
    ctx.log('info', 'mfa.failed', { userId: user.id, factor: 'recovery_code' })
    throw errors.invalidRecoveryCode()
  }
  await factorSucceeded(ctx, user.id, 'otp')
  ctx.log('info', 'recovery_code.used', { userId: user.id })
  return { user: await completeSignIn(ctx, user, 'mfa'), recoveryCode: replacement }
}

/** Unbinds TOTP. Needs an access token from a sign-in within `recentAuthMs` (BND-04). */
export async function unbind(ctx: ServerContext, credential: Credential): Promise<void> {
  const user = await loadUser(ctx, credential)
  requireRecentAuthentication(ctx, credential)
  await keepFaceCompanion(ctx, user, false)
  const removed = await ctx.store.deleteTotp(user.id)
  if (!removed) throw errors.notBound('TOTP')
  ctx.log('info', 'factor.unbound', { userId: user.id, factor: FACTOR })
  await notifyUser(ctx, user, 'factor_unbound', 'An authenticator app')
}

/**
 * Replaces the recovery code (REC-05): needs a recent authentication, invalidates every earlier
 * code, shows the new one once and notifies the user.
 */
export async function regenerateRecoveryCode(ctx: ServerContext, credential: Credential): Promise<{ recoveryCode: string }> {
  const user = await loadUser(ctx, credential)
  requireRecentAuthentication(ctx, credential)
  const recoveryCode = generateRecoveryCode()
  const replaced = await ctx.store.replaceRecoveryCodes(
    user.id,
    await recoveryHash(ctx, user.id, normalizeRecoveryCode(recoveryCode)),
    ctx.clock.now(),
  )
  if (!replaced) throw errors.notBound('TOTP')
  ctx.log('info', 'recovery_code.replaced', { userId: user.id })
  await notifyUser(ctx, user, 'recovery_code_replaced', 'The recovery code')
  return { recoveryCode }
}

/**
 * A TOTP code from a signed-in user who proves the factor again (re-verification): counted on the
 * account's TOTP failures like a sign-in, and the step is consumed, so the code cannot be replayed.
 */
export async function proveTotpAgain(ctx: ServerContext, user: UserRecord, rawCode: unknown): Promise<void> {
  const totp = await ctx.store.getTotp(user.id)
  if (!totp) throw errors.notBound('TOTP')
  await beginFactorAttempt(ctx, user.id, 'otp')
  const now = ctx.clock.now()
  const step = await matchBoundTotp(ctx, totp, rawCode, now)
  if (step === null || !(await ctx.store.advanceTotpStep(user.id, totp.id, step, now)).ok) {
    ctx.log('info', 'reverification.failed', { userId: user.id, factor: 'otp' })
    throw errors.invalidTotp()
  }
  await factorSucceeded(ctx, user.id, 'otp')
}
