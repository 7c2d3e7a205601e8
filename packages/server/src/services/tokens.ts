/**
 * mfaTokens and access tokens: opaque 256-bit CSPRNG strings. Only their keyed hash is stored, with
 * the kind, the user, the expiry and when the user last authenticated.
 *
 * - An mfaToken is accepted only by MFA endpoints, lives at most 10 minutes, is bound to its user
 *   and is consumed by the verification that succeeds.
 * - An access token is what a completed sign-in returns (`user.token`).
 */

import { randomToken } from '../crypto'
import { errors } from '../http/errors'
import { isRateWindowFull, mfaTokenAttemptsKey } from '../store/policy'
import type { TokenKind, TokenRecord } from '../store/types'
import type { ServerContext } from './context'

export interface Credential {
  token: string
  hash: string
  record: TokenRecord
}

export interface IssuedToken {
  token: string
  hash: string
  record: TokenRecord
}

export async function hashToken(ctx: ServerContext, token: string): Promise<string> {
  const { hasher } = await ctx.keys()
  return hasher.hash('token', [], token)
}

/**
 * `authenticatedAt` of a session whose sign-in ended with a face: never recent. A face proves only
 * that someone holds a photo of the user (FACE-03), so such a session cannot bind, unbind or
 * replace factors until the user re-verifies with the account's strongest factor.
 */
const NOT_RECENT = 0

export interface MintOptions {
  /** False for a session that must re-verify before changing factors (see {@link NOT_RECENT}). @default true */
  recent?: boolean
}

/** A new token and its record, not stored yet. */
async function mint(
  ctx: ServerContext,
  kind: TokenKind,
  userId: string,
  method: TokenRecord['method'],
  ttlMs: number,
  options: MintOptions = {},
): Promise<IssuedToken> {
  const now = ctx.clock.now()
  const token = randomToken(32)
  const hash = await hashToken(ctx, token)
  const authenticatedAt = options.recent === false ? NOT_RECENT : now
  const record: TokenRecord = { hash, kind, userId, createdAt: now, expiresAt: now + ttlMs, authenticatedAt, method }
  return { token, hash, record }
}

async function issue(
  ctx: ServerContext,
  kind: TokenKind,
  userId: string,
  method: TokenRecord['method'],
  ttlMs: number,
  options: MintOptions = {},
): Promise<IssuedToken> {
  const issued = await mint(ctx, kind, userId, method, ttlMs, options)
  await ctx.store.putToken(issued.record)
  return issued
}

/** An mfaToken after the first factor, which it records (see `TokenRecord.method`). */
export function issueMfaToken(ctx: ServerContext, userId: string, firstFactor: 'password' | 'phone_code'): Promise<IssuedToken> {
  return issue(ctx, 'mfa', userId, firstFactor, ctx.config.limits.mfaTokenTtlMs)
}

export function issueAccessToken(
  ctx: ServerContext,
  userId: string,
  method: TokenRecord['method'],
  options: MintOptions = {},
): Promise<IssuedToken> {
  return issue(ctx, 'access', userId, method, ctx.config.limits.accessTokenTtlMs, options)
}

/** A new access token for a store method that stores it together with other changes. */
export function mintAccessToken(
  ctx: ServerContext,
  userId: string,
  method: TokenRecord['method'],
  options: MintOptions = {},
): Promise<IssuedToken> {
  return mint(ctx, 'access', userId, method, ctx.config.limits.accessTokenTtlMs, options)
}

/**
 * The token in the `authorization` header: `Bearer <t>` or a bare `<t>` (Guard sends bare
 * mfaTokens). Null when absent or blank.
 */
export function tokenFromHeader(request: Request): string | null {
  const header = request.headers.get('authorization')
  if (header === null) return null
  let value = header.trim()
  const match = /^bearer\s+/i.exec(value)
  if (match) value = value.slice(match[0].length).trim()
  if (value === '' || value.length > 4096 || /\s/.test(value)) return null
  return value
}

/** The live token record behind the request's credential, whatever its kind, or null. */
export async function findCredential(ctx: ServerContext, request: Request): Promise<Credential | null> {
  const token = tokenFromHeader(request)
  if (token === null) return null
  const hash = await hashToken(ctx, token)
  const record = await ctx.store.getToken(hash, ctx.clock.now())
  return record ? { token, hash, record } : null
}

/**
 * An mfaToken is required: absent → 2020; one that used up its attempts → 6008 (for as long as its
 * attempt window lasts, at most its lifetime); anything else (unknown, expired, an access token) → 2021.
 */
export async function requireMfaToken(ctx: ServerContext, request: Request): Promise<Credential> {
  const token = tokenFromHeader(request)
  if (token === null) throw errors.unauthenticated()
  const hash = await hashToken(ctx, token)
  const now = ctx.clock.now()
  const record = await ctx.store.getToken(hash, now)
  if (record?.kind === 'mfa') return { token, hash, record }
  if (!record && isRateWindowFull(await ctx.store.getRateWindow(mfaTokenAttemptsKey(hash)), now, ctx.config.limits.mfaTokenMaxAttempts)) {
    throw errors.mfaTokenExhausted()
  }
  throw errors.mfaTokenInvalid()
}

/** An access token is required: absent or an mfaToken → 2020; unknown or expired → 2206. */
export async function requireAccessToken(ctx: ServerContext, request: Request): Promise<Credential> {
  const token = tokenFromHeader(request)
  if (token === null) throw errors.unauthenticated()
  const hash = await hashToken(ctx, token)
  const record = await ctx.store.getToken(hash, ctx.clock.now())
  if (!record) throw errors.loginExpired()
  if (record.kind !== 'access') throw errors.unauthenticated()
  return { token, hash, record }
}

/**
 * The access token must come from a sign-in or a re-verification within `recentAuthMs`: binding,
 * unbinding and replacing factors need it (BND-04, OOB-08, REC-05). Otherwise 6006, which the
 * kit's hooks answer with re-verification in place.
 */
export function requireRecentAuthentication(ctx: ServerContext, credential: Credential): void {
  if (credential.record.kind !== 'access') throw errors.unauthenticated()
  if (ctx.clock.now() - credential.record.authenticatedAt > ctx.config.limits.recentAuthMs) throw errors.recentLoginRequired()
}

/** Either kind of token of a live user is required. */
export async function requireAnyToken(ctx: ServerContext, request: Request): Promise<Credential> {
  const token = tokenFromHeader(request)
  if (token === null) throw errors.unauthenticated()
  const credential = await findCredential(ctx, request)
  if (!credential) throw errors.loginExpired()
  return credential
}

/**
 * Spends one verification attempt of an mfaToken (TOK-07). When its budget is used up, the token
 * is deleted and the request answered with 2021.
 */
export async function spendMfaTokenAttempt(ctx: ServerContext, credential: Credential): Promise<void> {
  const now = ctx.clock.now()
  const result = await ctx.store.hitRateLimit(
    mfaTokenAttemptsKey(credential.hash),
    now,
    ctx.config.limits.mfaTokenMaxAttempts,
    ctx.config.limits.mfaTokenTtlMs,
  )
  if (!result.allowed) {
    await ctx.store.consumeToken(credential.hash, 'mfa', now)
    ctx.log('warn', 'mfa_token.exhausted', { userId: credential.record.userId })
    throw errors.mfaTokenExhausted()
  }
}
