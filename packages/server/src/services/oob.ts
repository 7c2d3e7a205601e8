/**
 * SMS and email codes ("out of band").
 *
 * - 6+ digit codes from the CSPRNG, stored only as keyed hashes bound to channel, destination and
 *   purpose; they expire (5 min by default) and work once.
 * - One live code per destination: a resend replaces the old code but never resets the failure
 *   counter of the account.
 * - When the send request carries a token, the code is bound to that user (and mfaToken) too.
 * - Sending is rate limited per destination (cooldown and hourly cap) and per account.
 */

import type { SendResult, User } from '@mfa-kit/protocol'
import { randomDigits } from '../crypto'
import type { MessageSender, OutgoingMessage } from '../delivery/types'
import { errors } from '../http/errors'
import { maskDestination } from '../logger'
import type { ContactChannel, OobConsumeResult, UserRecord } from '../store/types'
import type { ServerContext } from './context'
import { beginFactorAttempt, factorPolicy, factorSucceeded } from './throttle'
import { findCredential, spendMfaTokenAttempt, type Credential } from './tokens'
import { afterFirstFactor, canonicalEmail, canonicalPhone, completeSignIn, hasVerifiedFactor, hasVerifiedPhone } from './users'

/** What a code may be used for. `any` comes from sends that named no scene. */
export type CodePurpose = 'mfa' | 'login' | 'any'

const HOUR = 3_600_000

const codeKey = (channel: ContactChannel, destination: string) => `${channel}:${destination}`

async function codeHash(ctx: ServerContext, channel: ContactChannel, destination: string, purpose: CodePurpose, code: string) {
  const { hasher } = await ctx.keys()
  return hasher.hash('oob', [channel, destination, purpose], code)
}

export function canonicalDestination(channel: ContactChannel, raw: string): string {
  const value = channel === 'sms' ? canonicalPhone(raw) : canonicalEmail(raw)
  if (value === null) throw errors.badRequest(channel === 'sms' ? 'The phone number is not valid' : 'The email address is not valid')
  return value
}

function originHost(ctx: ServerContext, request: Request): string {
  if (ctx.config.smsOriginHost) return ctx.config.smsOriginHost
  const origin = request.headers.get('origin')
  if (origin) {
    try {
      const host = new URL(origin).host
      if (host) return host
    } catch {
      // Not a URL: fall back to the request's own host.
    }
  }
  try {
    return new URL(request.url).host || 'localhost'
  } catch {
    return 'localhost'
  }
}

export function smsText(issuer: string, code: string, ttlMs: number, host: string): string {
  const minutes = Math.max(1, Math.round(ttlMs / 60_000))
  return `${issuer}: your verification code is ${code}. It expires in ${minutes} minutes. Never share it.\n\n@${host} #${code}`
}

function emailMessage(issuer: string, code: string, ttlMs: number): { subject: string; text: string } {
  const minutes = Math.max(1, Math.round(ttlMs / 60_000))
  return {
    subject: `${issuer} verification code`,
    text: `Your ${issuer} verification code is ${code}.\n\nIt expires in ${minutes} minutes. If you did not ask for it, ignore this message and consider changing your password.`,
  }
}

export interface SendInput {
  channel: ContactChannel
  destination: string
  countryCode: string | null
  purpose: CodePurpose
}

export async function sendCode(ctx: ServerContext, request: Request, input: SendInput): Promise<SendResult> {
  const { channel, destination, purpose } = input
  const { limits } = ctx.config
  const sender: MessageSender | undefined = ctx.senders[channel]
  if (!sender && !ctx.outbox) {
    ctx.log('error', 'delivery.unconfigured', { channel })
    throw errors.deliveryFailed()
  }
  const now = ctx.clock.now()
  let userId: string | null = null
  let mfaTokenHash: string | null = null
  if (purpose !== 'login') {
    const credential = await findCredential(ctx, request)
    if (credential) {
      userId = credential.record.userId
      if (credential.record.kind === 'mfa') mfaTokenHash = credential.hash
    }
  }

  const checks: Array<[string, number, number]> = []
  if (limits.sendCooldownMs > 0) checks.push([`send:cooldown:${codeKey(channel, destination)}`, 1, limits.sendCooldownMs])
  checks.push([`send:hour:${codeKey(channel, destination)}`, limits.sendsPerDestinationPerHour, HOUR])
  if (userId) checks.push([`send:user:${userId}`, limits.sendsPerUserPerHour, HOUR])
  for (const [key, limit, windowMs] of checks) {
    const result = await ctx.store.hitRateLimit(key, now, limit, windowMs)
    if (!result.allowed) {
      ctx.log('info', 'code.send_limited', { channel, to: maskDestination(destination) })
      throw errors.sendLimited(result.retryAfterMs)
    }
  }

  const result: SendResult = { resendAfterMs: limits.sendCooldownMs, expiresInMs: limits.oobCodeTtlMs }
  if (purpose === 'login' && !(await codeSignInAccount(ctx, channel, destination))) {
    // Answer exactly as for an account that can sign in, so the send reveals nothing.
    return result
  }

  const code = randomDigits(limits.oobCodeDigits)
  await ctx.store.putOobCode({
    key: codeKey(channel, destination),
    codeHash: await codeHash(ctx, channel, destination, purpose, code),
    userId,
    mfaTokenHash,
    createdAt: now,
    expiresAt: now + limits.oobCodeTtlMs,
  })
  const to = channel === 'sms' && input.countryCode && !destination.startsWith('+') ? `${input.countryCode} ${destination}` : destination
  const message: OutgoingMessage =
    channel === 'sms'
      ? { channel, to, code, text: smsText(ctx.config.issuer, code, limits.oobCodeTtlMs, originHost(ctx, request)) }
      : { channel, to, code, ...emailMessage(ctx.config.issuer, code, limits.oobCodeTtlMs) }

  if (ctx.outbox) {
    ctx.outbox.add(message)
    ctx.log('info', 'delivery.dev_outbox', { channel, to: maskDestination(destination) })
  }
  if (sender) {
    try {
      await sender.send(message)
    } catch (error) {
      ctx.log('error', 'delivery.failed', { channel, to: maskDestination(destination), error: error instanceof Error ? error.name : 'unknown' })
      throw errors.deliveryFailed()
    }
  }
  ctx.log('info', 'code.sent', { channel, to: maskDestination(destination), purpose })
  return result
}

/** Tries the code against each purpose the caller accepts; consumes it on the first match. */
async function consumeCode(
  ctx: ServerContext,
  channel: ContactChannel,
  destination: string,
  purposes: readonly CodePurpose[],
  rawCode: unknown,
  userId: string | null,
  mfaTokenHash: string | null,
): Promise<'ok' | 'expired' | 'wrong'> {
  if (typeof rawCode !== 'string') return 'wrong'
  const code = rawCode.trim()
  if (!new RegExp(`^[0-9]{${ctx.config.limits.oobCodeDigits}}$`).test(code)) return 'wrong'
  const now = ctx.clock.now()
  let expired = false
  for (const purpose of purposes) {
    const result: OobConsumeResult = await ctx.store.consumeOobCode({
      key: codeKey(channel, destination),
      codeHash: await codeHash(ctx, channel, destination, purpose, code),
      now,
      userId,
      mfaTokenHash,
    })
    if (result.ok) return 'ok'
    if (result.reason === 'expired') expired = true
  }
  return expired ? 'expired' : 'wrong'
}

const FACTOR_NAME = { sms: 'SMS', email: 'EMAIL' } as const

/**
 * Second factor with an SMS or email code. When the account has no destination for the channel
 * yet, a correct code also binds the destination (proof of possession first, then any conflict is
 * answered with a generic message).
 */
export async function verifyCode(
  ctx: ServerContext,
  credential: Credential,
  channel: ContactChannel,
  rawDestination: string,
  rawCode: string,
  countryCode: string | null,
): Promise<User> {
  const user = await ctx.store.getUser(credential.record.userId)
  if (!user) throw errors.mfaTokenInvalid()
  await spendMfaTokenAttempt(ctx, credential)
  if (!ctx.config.factors.includes(FACTOR_NAME[channel])) throw errors.factorDisabled(FACTOR_NAME[channel])
  const destination = canonicalDestination(channel, rawDestination)
  const bound = channel === 'sms' ? user.mfaPhone : user.mfaEmail
  const binding = bound === null
  if (binding && ctx.config.enrollmentDuringLogin === 'first-factor' && hasVerifiedFactor(user, await ctx.store.getTotp(user.id))) {
    throw errors.enrollmentNeedsSignIn()
  }

  await beginFactorAttempt(ctx, user.id, channel)
  const outcome =
    bound !== null && bound !== destination
      ? 'wrong'
      : await consumeCode(ctx, channel, destination, ['mfa', 'any'], rawCode, user.id, credential.hash)
  if (outcome !== 'ok') {
    ctx.log('info', 'mfa.failed', { userId: user.id, factor: channel })
    throw outcome === 'expired' ? errors.verifyCodeExpired() : errors.invalidVerifyCode()
  }
  await factorSucceeded(ctx, user.id, channel)

  if (binding && !ctx.config.sharedDevicesAllowed && (await ctx.store.isContactInUse(channel, destination, user.id))) {
    ctx.log('info', 'factor.bind_conflict', { userId: user.id, factor: channel })
    throw errors.contactUnavailable(channel)
  }
  const bind = await ctx.store.bindContact(user.id, channel, destination, channel === 'sms' ? countryCode : null, ctx.clock.now())
  if (!bind.ok) throw errors.invalidVerifyCode()
  if (binding) ctx.log('info', 'factor.bound', { userId: user.id, factor: channel })

  const consumed = await ctx.store.consumeToken(credential.hash, 'mfa', ctx.clock.now())
  if (!consumed) throw errors.mfaTokenInvalid()
  return completeSignIn(ctx, bind.user, 'mfa')
}

/**
 * `phoneOrEmailBindable`: whether a phone or email could be bound to this account. Quota-limited
 * per mfaToken and per account (ENUM-01); with shared devices allowed it is true for every
 * well-formed value (ENUM-02).
 */
export async function checkBindable(
  ctx: ServerContext,
  credential: Credential,
  phone: string | undefined,
  email: string | undefined,
): Promise<boolean> {
  if ((phone === undefined) === (email === undefined)) throw errors.badRequest('Send exactly one of phone and email')
  const channel: ContactChannel = phone !== undefined ? 'sms' : 'email'
  const destination = canonicalDestination(channel, (phone ?? email)!)
  const now = ctx.clock.now()
  const { limits } = ctx.config
  const userId = credential.record.userId
  for (const [key, limit, windowMs] of [
    [`check:token:${credential.hash}`, limits.checksPerMfaToken, limits.mfaTokenTtlMs],
    [`check:user:${userId}`, limits.checksPerUserPerHour, HOUR],
  ] as const) {
    const result = await ctx.store.hitRateLimit(key, now, limit, windowMs)
    if (!result.allowed) throw errors.quotaExceeded(result.retryAfterMs)
  }
  if (ctx.config.sharedDevicesAllowed) return true
  return !(await ctx.store.isContactInUse(channel, destination, userId))
}

/** The account that may sign in with a code sent to this destination: only a verified login phone can. */
async function codeSignInAccount(ctx: ServerContext, channel: ContactChannel, destination: string): Promise<UserRecord | null> {
  if (channel !== 'sms') return null
  const user = await ctx.store.findUserBy('phone', destination)
  return user && hasVerifiedPhone(user) ? user : null
}

/**
 * `loginByPhoneCode`: a code sent with the `login` scene (or none) to a verified login phone is the
 * first factor; the MFA policy applies after it like after a password (TOK-11).
 */
export async function phoneCodeLogin(ctx: ServerContext, rawPhone: string, rawCode: string): Promise<User> {
  const phone = canonicalPhone(rawPhone)
  if (phone === null) throw errors.badRequest('The phone number is not valid')
  const throttleKey = `code-login:sms:${phone}`
  const attempt = await ctx.store.beginAttempt(throttleKey, ctx.clock.now(), factorPolicy(ctx))
  if (!attempt.allowed) throw errors.locked(attempt.retryAfterMs)
  const user = await codeSignInAccount(ctx, 'sms', phone)
  const outcome = await consumeCode(ctx, 'sms', phone, ['login', 'any'], rawCode, null, null)
  if (outcome !== 'ok' || !user) {
    ctx.log('info', 'login.failed', { kind: 'phone_code' })
    throw outcome === 'expired' && user ? errors.verifyCodeExpired() : errors.invalidVerifyCode()
  }
  await ctx.store.resetFailures(throttleKey)
  return afterFirstFactor(ctx, user)
}
