/**
 * The signed-in session: sign-out, and re-verification (a kit extension beside the v2 paths). A
 * signed-in user proves a factor again to refresh the session's time of last authentication, which
 * binding, unbinding and regenerating need (`recentAuthMs`), without signing in again.
 *
 * Only the strongest kind of factor the account has is offered: TOTP when it is bound, else the
 * proven phone and email, else (an account with no second factor) the password. A weaker factor
 * can therefore never authorise changes to a stronger one.
 */

import type { ReverificationFactor, ReverificationOptions, ReverificationResult, ReverifyBody, SendResult } from '@mfa-kit/protocol'
import type { ClientInfo } from '../http/client'
import { errors } from '../http/errors'
import { maskDestination } from '../logger'
import type { ContactChannel, UserRecord } from '../store/types'
import type { ServerContext } from './context'
import { consumeCode, sendCodeTo } from './oob'
import { beginFactorAttempt, factorSucceeded } from './throttle'
import { hashToken, tokenFromHeader, type Credential } from './tokens'
import { proveTotpAgain } from './totp'
import { checkPasswordAgain } from './users'

/** Ends the session of the access token sent; answers the same whether or not it was live. */
export async function logout(ctx: ServerContext, request: Request): Promise<void> {
  const token = tokenFromHeader(request)
  if (token === null) return
  const revoked = await ctx.store.consumeToken(await hashToken(ctx, token), 'access', ctx.clock.now())
  if (revoked) ctx.log('info', 'logout', { userId: revoked.userId })
}

async function sessionUser(ctx: ServerContext, credential: Credential): Promise<UserRecord> {
  const user = await ctx.store.getUser(credential.record.userId)
  if (!user) throw errors.loginExpired()
  return user
}

/** The factors this account re-verifies with (see the module comment). */
async function reverificationFactors(ctx: ServerContext, user: UserRecord): Promise<ReverificationFactor[]> {
  if (await ctx.store.getTotp(user.id)) return [{ type: 'totp' }]
  const contacts: ReverificationFactor[] = []
  if (user.mfaPhone !== null && user.mfaPhoneVerified)
    contacts.push({ type: 'sms', destination: maskDestination(user.mfaPhone, user.mfaPhoneCountryCode) })
  if (user.mfaEmail !== null && user.mfaEmailVerified) contacts.push({ type: 'email', destination: maskDestination(user.mfaEmail) })
  if (contacts.length > 0) return contacts
  return user.passwordHash !== null ? [{ type: 'password' }] : []
}

export async function reverificationOptions(ctx: ServerContext, credential: Credential): Promise<ReverificationOptions> {
  const user = await sessionUser(ctx, credential)
  return {
    factors: await reverificationFactors(ctx, user),
    authenticatedAt: new Date(credential.record.authenticatedAt).toISOString(),
    recentAuthMs: ctx.config.limits.recentAuthMs,
  }
}

function contactOf(user: UserRecord, channel: ContactChannel): string {
  const destination = channel === 'sms' ? user.mfaPhone : user.mfaEmail
  const proven = channel === 'sms' ? user.mfaPhoneVerified : user.mfaEmailVerified
  if (destination === null || !proven) throw errors.notBound(channel === 'sms' ? 'SMS' : 'EMAIL')
  return destination
}

async function requireOffered(ctx: ServerContext, user: UserRecord, type: ReverifyBody['type']): Promise<void> {
  const factors = await reverificationFactors(ctx, user)
  if (!factors.some((factor) => factor.type === type)) throw errors.factorDisabled(type === 'totp' ? 'TOTP' : type.toUpperCase())
}

/** Sends a code to the user's own proven phone or email, bound to the user. */
export async function sendReverificationCode(
  ctx: ServerContext,
  credential: Credential,
  client: ClientInfo,
  channel: ContactChannel,
): Promise<SendResult> {
  const user = await sessionUser(ctx, credential)
  await requireOffered(ctx, user, channel)
  return sendCodeTo(
    ctx,
    client,
    { channel, destination: contactOf(user, channel), purpose: 'mfa' },
    { userId: user.id, mfaTokenHash: null },
  )
}

/** Checks a factor of the signed-in user and refreshes the session's time of last authentication. */
export async function reverify(ctx: ServerContext, credential: Credential, body: ReverifyBody): Promise<ReverificationResult> {
  const user = await sessionUser(ctx, credential)
  await requireOffered(ctx, user, body.type)
  if (body.type === 'totp') {
    await proveTotpAgain(ctx, user, body.code)
  } else if (body.type === 'password') {
    await checkPasswordAgain(ctx, user, body.password)
  } else {
    await beginFactorAttempt(ctx, user.id, body.type)
    const outcome = await consumeCode(ctx, body.type, contactOf(user, body.type), ['mfa', 'any'], body.code, user.id, null)
    if (outcome !== 'ok') {
      ctx.log('info', 'reverification.failed', { userId: user.id, factor: body.type })
      throw outcome === 'expired' ? errors.verifyCodeExpired() : errors.invalidVerifyCode()
    }
    await factorSucceeded(ctx, user.id, body.type)
  }
  const refreshed = await ctx.store.refreshAuthentication(credential.hash, ctx.clock.now())
  if (!refreshed) throw errors.loginExpired()
  ctx.log('info', 'reverification.succeeded', { userId: user.id, factor: body.type })
  return {
    authenticatedAt: new Date(refreshed.authenticatedAt).toISOString(),
    recentUntil: new Date(refreshed.authenticatedAt + ctx.config.limits.recentAuthMs).toISOString(),
  }
}
