/**
 * SMS and email codes ("out of band").
 *
 * - 6+ digit codes from the CSPRNG, stored only as keyed hashes bound to channel, destination and
 *   purpose; they expire (5 min by default) and work once.
 * - One live code per destination: a resend replaces the old code but never resets the failure
 *   counter of the account.
 * - When the send request carries a token, the code is bound to that user (and mfaToken) too.
 * - Destinations are canonical (E.164 phones), and sending is limited per destination (cooldown
 *   and hourly cap), per account, per client address and for the whole server, so that the
 *   endpoint cannot be used to pump SMS or bomb a phone.
 */

import type { SendResult, User } from '@mfa-kit/protocol'
import { randomDigits } from '../crypto'
import type { MessageSender, OutgoingMessage } from '../delivery/types'
import type { ClientInfo } from '../http/client'
import { errors } from '../http/errors'
import { maskDestination } from '../logger'
import type { ContactChannel, OobConsumeResult, UserRecord } from '../store/types'
import { unbindContactFields } from '../store/policy'
import type { ServerContext } from './context'
import { keepFaceCompanion } from './face'
import { notifyUser } from './notify'
import { beginFactorAttempt, factorPolicy, factorSucceeded } from './throttle'
import { findCredential, requireRecentAuthentication, spendMfaTokenAttempt, type Credential } from './tokens'
import {
  afterFirstFactor,
  completeSignIn,
  firstFactorOf,
  hasVerifiedPhone,
  loadBoundFactors,
  mayBindDuringSignIn,
  requireEmail,
  requirePhone,
  signInFactors,
  userView,
} from './users'

/**
 * What a code may be used for. `any` comes from sends that named no scene; `register` proves a
 * phone for `registerByPhoneCode`.
 */
export type CodePurpose = 'mfa' | 'login' | 'register' | 'any'

const HOUR = 3_600_000

const codeKey = (channel: ContactChannel, destination: string) => `${channel}:${destination}`

async function codeHash(ctx: ServerContext, channel: ContactChannel, destination: string, purpose: CodePurpose, code: string) {
  const { hasher } = await ctx.keys()
  return hasher.hash('oob', [channel, destination, purpose], code)
}

/** A phone or email as typed, in canonical form, with the phone's country code. */
export interface ContactTarget {
  channel: ContactChannel
  /** E.164 for a phone, lower case for an email. */
  destination: string
  countryCode: string | null
}

/** A destination field in canonical form: E.164 for a phone (6011 when invalid), lower case for an email (6010). */
export function contactTarget(ctx: ServerContext, channel: ContactChannel, raw: string, rawCountryCode?: string): ContactTarget {
  if (channel === 'email') return { channel, destination: requireEmail(raw), countryCode: null }
  const phone = requirePhone(ctx, raw, rawCountryCode)
  return { channel, destination: phone.e164, countryCode: phone.countryCode }
}

/**
 * The SMS text. Its last line binds the code to the web app's host (`@host #code`), so that browsers
 * offer to autofill it on that site only; without a configured host the line is left out, because
 * a host taken from the request would be the phishing site's own.
 */
export function smsText(issuer: string, code: string, ttlMs: number, host: string | null): string {
  const minutes = Math.max(1, Math.round(ttlMs / 60_000))
  const text = `${issuer}: your verification code is ${code}. It expires in ${minutes} minutes. Never share it.`
  return host === null ? text : `${text}\n\n@${host} #${code}`
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
  /** Canonical form (see {@link canonicalDestination}). */
  destination: string
  purpose: CodePurpose
}

/** The limits a send must pass, in order: the cheapest to hit for an attacker first. */
function sendWindows(ctx: ServerContext, client: ClientInfo, input: SendInput, userId: string | null): Array<[string, number, number]> {
  const { limits } = ctx.config
  const destination = codeKey(input.channel, input.destination)
  const windows: Array<[string, number, number]> = []
  if (limits.sendCooldownMs > 0) windows.push([`send:cooldown:${destination}`, 1, limits.sendCooldownMs])
  windows.push([`send:hour:${destination}`, limits.sendsPerDestinationPerHour, HOUR])
  if (userId) windows.push([`send:user:${userId}`, limits.sendsPerUserPerHour, HOUR])
  if (client.clientAddress !== null) windows.push([`send:client:${client.clientAddress}`, limits.sendsPerClientPerHour, HOUR])
  windows.push(['send:all', limits.sendsPerHour, HOUR])
  return windows
}

/**
 * Sends a code. `owner` binds it to an account (the credential's, when the request carries one);
 * `mfaTokenHash` also binds it to one sign-in.
 */
export async function sendCode(ctx: ServerContext, request: Request, client: ClientInfo, input: SendInput): Promise<SendResult> {
  let owner: { userId: string; mfaTokenHash: string | null } | null = null
  if (input.purpose !== 'login' && input.purpose !== 'register') {
    const credential = await findCredential(ctx, request)
    if (credential) owner = { userId: credential.record.userId, mfaTokenHash: credential.record.kind === 'mfa' ? credential.hash : null }
  }
  return sendCodeTo(ctx, client, input, owner)
}

/** Sends a code bound to `owner` (an account, and one sign-in when `mfaTokenHash` is set), or to no one. */
export async function sendCodeTo(
  ctx: ServerContext,
  client: ClientInfo,
  input: SendInput,
  owner: { userId: string; mfaTokenHash: string | null } | null,
): Promise<SendResult> {
  const { channel, destination, purpose } = input
  const { limits } = ctx.config
  const sender: MessageSender | undefined = ctx.senders[channel]
  if (!sender && !ctx.outbox) {
    ctx.log('error', 'delivery.unconfigured', { channel })
    throw errors.deliveryFailed()
  }
  const now = ctx.clock.now()
  for (const [key, limit, windowMs] of sendWindows(ctx, client, input, owner?.userId ?? null)) {
    const result = await ctx.store.hitRateLimit(key, now, limit, windowMs)
    if (!result.allowed) {
      ctx.log('info', 'code.send_limited', { channel, to: maskDestination(destination), limit: key.split(':', 2)[1] })
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
    userId: owner?.userId ?? null,
    mfaTokenHash: owner?.mfaTokenHash ?? null,
    createdAt: now,
    expiresAt: now + limits.oobCodeTtlMs,
  })
  const message: OutgoingMessage =
    channel === 'sms'
      ? { channel, to: destination, code, text: smsText(ctx.config.issuer, code, limits.oobCodeTtlMs, ctx.config.smsOriginHost) }
      : { channel, to: destination, code, ...emailMessage(ctx.config.issuer, code, limits.oobCodeTtlMs) }

  if (ctx.outbox) {
    ctx.outbox.add(message)
    ctx.log('info', 'delivery.dev_outbox', { channel, to: maskDestination(destination) })
  }
  if (sender) {
    try {
      await sender.send(message)
    } catch (error) {
      ctx.log('error', 'delivery.failed', {
        channel,
        to: maskDestination(destination),
        error: error instanceof Error ? error.name : 'unknown',
      })
      throw errors.deliveryFailed()
    }
  }
  ctx.log('info', 'code.sent', { channel, to: maskDestination(destination), purpose })
  return result
}

/** Tries the code against each purpose the caller accepts; consumes it on the first match. */
export async function consumeCode(
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
const FACTOR_LABEL = { sms: 'A phone', email: 'An email address' } as const

/**
 * Second factor with an SMS or email code. When the account has no destination for the channel
 * yet, a correct code also binds the destination (proof of possession first, then any conflict is
 * answered with a generic message); that is allowed only to an account with no factor it could
 * verify with instead. The channel of the first factor is refused: a code to the login phone never
 * counts twice.
 */
export async function verifyCode(
  ctx: ServerContext,
  credential: Credential,
  channel: ContactChannel,
  rawDestination: string,
  rawCode: string,
  rawCountryCode: string | undefined,
): Promise<User> {
  const user = await ctx.store.getUser(credential.record.userId)
  if (!user) throw errors.mfaTokenInvalid()
  await spendMfaTokenAttempt(ctx, credential)
  const firstFactor = firstFactorOf(credential.record)
  const factors = await loadBoundFactors(ctx, user.id)
  if (channel === 'sms' && firstFactor === 'phone_code') throw errors.factorAlreadyUsed('SMS')
  if (!signInFactors(ctx, user, factors, firstFactor).offered.includes(FACTOR_NAME[channel]))
    throw errors.factorDisabled(FACTOR_NAME[channel])
  const { destination, countryCode } = contactTarget(ctx, channel, rawDestination, rawCountryCode)
  const bound = channel === 'sms' ? user.mfaPhone : user.mfaEmail
  const binding = bound === null
  if (binding && !mayBindDuringSignIn(ctx, user, factors, firstFactor)) throw errors.enrollmentNeedsSignIn()

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
  const bind = await bindProvenContact(ctx, user, { channel, destination, countryCode }, false)
  if (binding) ctx.log('info', 'factor.bound', { userId: user.id, factor: channel })

  const consumed = await ctx.store.consumeToken(credential.hash, 'mfa', ctx.clock.now())
  if (!consumed) throw errors.mfaTokenInvalid()
  return completeSignIn(ctx, bind, 'mfa')
}

/**
 * Puts a destination the user has just proven on file (see `MfaStore.bindContact`), refusing one
 * that another account has proven unless shared devices are allowed. Answers with a generic
 * message either way.
 */
async function bindProvenContact(ctx: ServerContext, user: UserRecord, target: ContactTarget, useForLogin: boolean): Promise<UserRecord> {
  const { channel, destination, countryCode } = target
  const alreadyMine = (channel === 'sms' ? user.mfaPhone : user.mfaEmail) === destination
  if (!alreadyMine && !ctx.config.sharedDevicesAllowed && (await ctx.store.isContactInUse(channel, destination, user.id))) {
    ctx.log('info', 'factor.bind_conflict', { userId: user.id, factor: channel })
    throw errors.contactUnavailable(channel)
  }
  const bound = await ctx.store.bindContact(user.id, { channel, value: destination, countryCode, now: ctx.clock.now(), useForLogin })
  if (!bound.ok) throw bound.reason === 'already_bound' ? errors.alreadyBound(FACTOR_NAME[channel]) : errors.loginExpired()
  return bound.user
}

export interface SelfBindInput extends ContactTarget {
  code: string
  useForLogin: boolean
}

/**
 * Binds a phone or email from a signed-in session (source SELF), with a code sent to it under that
 * session. Like every factor change it needs a recent authentication (OOB-08) and notifies the
 * user. A phone becomes a login identifier only when `useForLogin` asks for it.
 */
export async function bindContactForSelf(ctx: ServerContext, credential: Credential, input: SelfBindInput): Promise<User> {
  requireRecentAuthentication(ctx, credential)
  const user = await ctx.store.getUser(credential.record.userId)
  if (!user) throw errors.loginExpired()
  const { channel, destination } = input
  const bound = channel === 'sms' ? user.mfaPhone : user.mfaEmail
  // An unproven destination on file (an email given at sign-up) is not a factor: another one may take its place.
  const proven = channel === 'sms' ? user.mfaPhoneVerified : user.mfaEmailVerified
  if (bound !== null && bound !== destination && proven) throw errors.alreadyBound(FACTOR_NAME[channel])
  await beginFactorAttempt(ctx, user.id, channel)
  const outcome = await consumeCode(ctx, channel, destination, ['mfa', 'any'], input.code, user.id, null)
  if (outcome !== 'ok') {
    ctx.log('info', 'factor.bind_failed', { userId: user.id, factor: channel })
    throw outcome === 'expired' ? errors.verifyCodeExpired() : errors.invalidVerifyCode()
  }
  await factorSucceeded(ctx, user.id, channel)
  const updated = await bindProvenContact(ctx, user, input, input.useForLogin)
  ctx.log('info', 'factor.bound', { userId: user.id, factor: channel, source: 'SELF' })
  if (bound !== destination) await notifyUser(ctx, updated, 'factor_bound', FACTOR_LABEL[channel])
  return userView(ctx, updated)
}

/** Removes the phone or email factor of a signed-in user; the removed destination is told too. */
export async function unbindContactForSelf(ctx: ServerContext, credential: Credential, channel: ContactChannel): Promise<void> {
  requireRecentAuthentication(ctx, credential)
  const user = await ctx.store.getUser(credential.record.userId)
  if (!user) throw errors.loginExpired()
  const removed = channel === 'sms' ? user.mfaPhone : user.mfaEmail
  if (removed === null) throw errors.notBound(FACTOR_NAME[channel])
  await keepFaceCompanion(ctx, unbindContactFields(user, channel, ctx.clock.now()), (await ctx.store.getTotp(user.id)) !== null)
  const updated = await ctx.store.unbindContact(user.id, channel, ctx.clock.now())
  if (!updated) throw errors.loginExpired()
  ctx.log('info', 'factor.unbound', { userId: user.id, factor: channel })
  await notifyUser(ctx, updated, 'factor_unbound', FACTOR_LABEL[channel], [{ channel, to: removed }])
}

/**
 * `phoneOrEmailBindable`: whether a phone or email could be bound to this account. Quota-limited
 * per mfaToken, per account and per client address (ENUM-01); with shared devices allowed it is
 * true for every well-formed value (ENUM-02).
 */
export async function checkBindable(
  ctx: ServerContext,
  credential: Credential,
  client: ClientInfo,
  phone: string | undefined,
  email: string | undefined,
  countryCode: string | undefined,
): Promise<boolean> {
  if ((phone === undefined) === (email === undefined)) throw errors.badRequest('Send exactly one of phone and email')
  const channel: ContactChannel = phone !== undefined ? 'sms' : 'email'
  const { destination } = contactTarget(ctx, channel, (phone ?? email)!, countryCode)
  const now = ctx.clock.now()
  const { limits } = ctx.config
  const userId = credential.record.userId
  const windows: Array<[string, number, number]> = [
    [`check:token:${credential.hash}`, limits.checksPerMfaToken, limits.mfaTokenTtlMs],
    [`check:user:${userId}`, limits.checksPerUserPerHour, HOUR],
  ]
  if (client.clientAddress !== null) windows.push([`check:client:${client.clientAddress}`, limits.checksPerClientPerHour, HOUR])
  for (const [key, limit, windowMs] of windows) {
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

/** Counts a code attempt on a destination (no account is known yet), then checks the code. */
async function throttledCodeCheck(ctx: ServerContext, scope: string, phone: string, purposes: readonly CodePurpose[], rawCode: string) {
  const throttleKey = `${scope}:sms:${phone}`
  const attempt = await ctx.store.beginAttempt(throttleKey, ctx.clock.now(), factorPolicy(ctx, 'sms'))
  if (!attempt.allowed) throw errors.locked(attempt.retryAfterMs)
  const outcome = await consumeCode(ctx, 'sms', phone, purposes, rawCode, null, null)
  if (outcome === 'ok') await ctx.store.resetFailures(throttleKey)
  return outcome
}

/**
 * `loginByPhoneCode`: a code sent with the `login` scene (or none) to a verified login phone is the
 * first factor; the MFA policy applies after it like after a password (TOK-11), without SMS.
 */
export async function phoneCodeLogin(ctx: ServerContext, rawPhone: string, rawCode: string, rawCountryCode?: string): Promise<User> {
  const phone = requirePhone(ctx, rawPhone, rawCountryCode).e164
  const user = await codeSignInAccount(ctx, 'sms', phone)
  const outcome = await throttledCodeCheck(ctx, 'code-login', phone, ['login', 'any'], rawCode)
  if (outcome !== 'ok' || !user) {
    ctx.log('info', 'login.failed', { kind: 'phone_code' })
    throw outcome === 'expired' && user ? errors.verifyCodeExpired() : errors.invalidVerifyCode()
  }
  return afterFirstFactor(ctx, user, 'phone_code')
}

/** The code check of `registerByPhoneCode`: a code sent with the `register` scene, throttled per phone. */
export function registerCodeCheck(ctx: ServerContext) {
  return (phone: string, code: string) => throttledCodeCheck(ctx, 'code-register', phone, ['register'], code)
}
