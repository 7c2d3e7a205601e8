/**
 * In-memory store for tests, Storybook and single-process demos. Works in any runtime.
 *
 * Atomicity: every method does all of its reads and writes in one synchronous section (no `await`
 * between them), and JavaScript runs one such section at a time, so each method is atomic.
 */

import type {
  ActivateTotpResult,
  AdvanceStepResult,
  AttemptResult,
  BindContactResult,
  ContactChannel,
  CreateUserResult,
  FaceRecord,
  FailurePolicy,
  FailureState,
  LoginIdentifier,
  MfaAttemptInput,
  MfaFailureResult,
  MfaStore,
  MfaSuccessInput,
  MfaSuccessResult,
  NewUser,
  OobCodeRecord,
  OobConsumeInput,
  OobConsumeResult,
  PendingTotpRecord,
  PutFaceResult,
  PutPendingTotpResult,
  RateLimitResult,
  RateWindow,
  TokenKind,
  TokenRecord,
  TotpRecord,
  UserRecord,
} from './types'
import {
  bindContactFields,
  claimsContact,
  hasProvenContact,
  mfaFailure,
  mfaSuccessDecision,
  mfaTokenAttemptsKey,
  nextFailureState,
  nextRateWindow,
  refusedSuccess,
  releaseUnprovenClaim,
  sameHash,
  unbindContactFields,
} from './policy'

const clone = <T>(value: T): T => structuredClone(value)

export function createMemoryStore(): MfaStore {
  const users = new Map<string, UserRecord>()
  const byLogin = new Map<string, string>() // `${identifier}:${value}` -> user id
  const totps = new Map<string, TotpRecord>() // user id -> record
  const pendings = new Map<string, PendingTotpRecord>() // user id -> record
  const recoveryCodes = new Map<string, Set<string>>() // user id -> code hashes
  const faces = new Map<string, FaceRecord>() // user id -> record
  const oobCodes = new Map<string, OobCodeRecord>()
  const tokens = new Map<string, TokenRecord>()
  const failures = new Map<string, FailureState>()
  const rates = new Map<string, RateWindow>()
  let closed = false

  const ensureOpen = () => {
    if (closed) throw new Error('The store is closed')
  }

  const loginKey = (identifier: LoginIdentifier, value: string) => `${identifier}:${value}`

  function begin(key: string, now: number, policy: FailurePolicy): AttemptResult {
    const { result, save } = nextFailureState(failures.get(key) ?? null, now, policy)
    if (save) failures.set(key, save)
    return result
  }

  function hitWindow(key: string, now: number, limit: number, windowMs: number): RateLimitResult {
    const { result, save } = nextRateWindow(rates.get(key) ?? null, now, limit, windowMs)
    if (save) rates.set(key, save)
    return result
  }

  function recordFailure(input: MfaAttemptInput): MfaFailureResult {
    const attemptsKey = mfaTokenAttemptsKey(input.mfaTokenHash)
    const change = mfaFailure(input, {
      token: tokens.get(input.mfaTokenHash) ?? null,
      tokenAttempts: rates.get(attemptsKey) ?? null,
      factor: failures.get(input.factorKey) ?? null,
    })
    if (change.deleteToken) tokens.delete(input.mfaTokenHash)
    if (change.tokenAttempts) rates.set(attemptsKey, change.tokenAttempts)
    if (change.factor) failures.set(input.factorKey, change.factor)
    return change.result
  }

  /** Replaces a user record and keeps the login index in step with its identifiers. */
  function saveUser(before: UserRecord, after: UserRecord): void {
    for (const identifier of ['username', 'email', 'phone'] as const) {
      if (before[identifier] === after[identifier]) continue
      if (before[identifier] != null) byLogin.delete(loginKey(identifier, before[identifier]))
      if (after[identifier] != null) byLogin.set(loginKey(identifier, after[identifier]), after.id)
    }
    users.set(after.id, after)
  }

  const store: MfaStore = {
    async createUser(input: NewUser): Promise<CreateUserResult> {
      ensureOpen()
      for (const identifier of ['username', 'email', 'phone'] as const) {
        const value = input[identifier]
        if (value != null && byLogin.has(loginKey(identifier, value))) return { ok: false, conflict: identifier }
      }
      if (users.has(input.id)) throw new Error('Duplicate user id')
      const user: UserRecord = {
        id: input.id,
        username: input.username,
        email: input.email,
        phone: input.phone,
        phoneCountryCode: input.phoneCountryCode ?? null,
        nickname: input.nickname ?? null,
        photo: input.photo ?? null,
        passwordHash: input.passwordHash,
        mfaPhone: input.mfaPhone ?? null,
        mfaPhoneCountryCode: input.mfaPhoneCountryCode ?? null,
        mfaPhoneVerified: false,
        mfaEmail: input.mfaEmail ?? null,
        mfaEmailVerified: false,
        loginsCount: 0,
        lastLoginAt: null,
        createdAt: input.createdAt,
        updatedAt: input.createdAt,
      }
      users.set(user.id, user)
      for (const identifier of ['username', 'email', 'phone'] as const) {
        const value = user[identifier]
        if (value != null) byLogin.set(loginKey(identifier, value), user.id)
      }
      return { ok: true, user: clone(user) }
    },

    async getUser(id) {
      ensureOpen()
      const user = users.get(id)
      return user ? clone(user) : null
    },

    async findUserBy(identifier, value) {
      ensureOpen()
      const id = byLogin.get(loginKey(identifier, value))
      const user = id === undefined ? undefined : users.get(id)
      return user ? clone(user) : null
    },

    async recordLogin(userId, now) {
      ensureOpen()
      const user = users.get(userId)
      if (!user) return
      user.loginsCount += 1
      user.lastLoginAt = now
      user.updatedAt = now
    },

    async bindContact(userId, binding): Promise<BindContactResult> {
      ensureOpen()
      const user = users.get(userId)
      if (!user) return { ok: false, reason: 'no_user' }
      const { channel, value } = binding
      if (bindContactFields(user, { ...binding, useForLogin: false, loginTakenElsewhere: false }) === null) {
        return { ok: false, reason: 'already_bound' }
      }
      for (const other of [...users.values()]) {
        if (other.id === userId) continue
        const released = releaseUnprovenClaim(other, channel, value)
        if (released) saveUser(other, { ...released, updatedAt: binding.now })
      }
      const loginOwner = channel === 'sms' ? byLogin.get(loginKey('phone', value)) : undefined
      const bound = bindContactFields(user, {
        ...binding,
        useForLogin: binding.useForLogin === true,
        loginTakenElsewhere: loginOwner !== undefined && loginOwner !== userId,
      })!
      saveUser(user, bound)
      return { ok: true, user: clone(bound) }
    },

    async unbindContact(userId, channel, now) {
      ensureOpen()
      const user = users.get(userId)
      if (!user) return null
      const unbound = unbindContactFields(user, channel, now)
      saveUser(user, unbound)
      return clone(unbound)
    },

    async isContactInUse(channel: ContactChannel, value, exceptUserId) {
      ensureOpen()
      for (const user of users.values()) {
        if (user.id !== exceptUserId && claimsContact(user, channel, value) && hasProvenContact(user, channel, value)) return true
      }
      return false
    },

    async getTotp(userId) {
      ensureOpen()
      const totp = totps.get(userId)
      return totp ? clone(totp) : null
    },

    async getPendingTotp(userId) {
      ensureOpen()
      const pending = pendings.get(userId)
      return pending ? clone(pending) : null
    },

    async putPendingTotp(pending): Promise<PutPendingTotpResult> {
      ensureOpen()
      if (totps.has(pending.userId)) return { ok: false, reason: 'already_bound' }
      pendings.set(pending.userId, clone(pending))
      return { ok: true }
    },

    async activatePendingTotp(userId, pendingId, step, now): Promise<ActivateTotpResult> {
      ensureOpen()
      const pending = pendings.get(userId)
      if (!pending || pending.id !== pendingId) return { ok: false, reason: 'no_pending' }
      if (totps.has(userId)) return { ok: false, reason: 'already_bound' }
      if (pending.expiresAt <= now) return { ok: false, reason: 'expired' }
      const totp: TotpRecord = {
        id: pending.id,
        userId,
        sealedSecret: pending.sealedSecret,
        lastStep: step,
        createdAt: now,
        updatedAt: now,
      }
      totps.set(userId, totp)
      pendings.delete(userId)
      recoveryCodes.set(userId, new Set([pending.recoveryCodeHash]))
      return { ok: true, totp: clone(totp) }
    },

    async advanceTotpStep(userId, totpId, step, now): Promise<AdvanceStepResult> {
      ensureOpen()
      const totp = totps.get(userId)
      if (!totp || totp.id !== totpId) return { ok: false, reason: 'not_bound' }
      if (totp.lastStep !== null && step <= totp.lastStep) return { ok: false, reason: 'replayed' }
      totp.lastStep = step
      totp.updatedAt = now
      return { ok: true }
    },

    async deleteTotp(userId) {
      ensureOpen()
      const had = totps.delete(userId)
      const hadPending = pendings.delete(userId)
      recoveryCodes.delete(userId)
      return had || hadPending
    },

    async getFace(userId) {
      ensureOpen()
      const face = faces.get(userId)
      return face ? clone(face) : null
    },

    async putFace(record): Promise<PutFaceResult> {
      ensureOpen()
      if (!users.has(record.userId)) return { ok: false, reason: 'no_user' }
      if (faces.has(record.userId)) return { ok: false, reason: 'already_bound' }
      faces.set(record.userId, clone(record))
      return { ok: true }
    },

    async deleteFace(userId) {
      ensureOpen()
      return faces.delete(userId)
    },

    async consumeRecoveryCode(userId, codeHash, replacementHash) {
      ensureOpen()
      const codes = recoveryCodes.get(userId)
      if (!codes?.has(codeHash) || !totps.has(userId)) return false
      codes.delete(codeHash)
      codes.add(replacementHash)
      return true
    },

    async replaceRecoveryCodes(userId, codeHash) {
      ensureOpen()
      if (!totps.has(userId)) return false
      recoveryCodes.set(userId, new Set([codeHash]))
      return true
    },

    async countRecoveryCodes(userId) {
      ensureOpen()
      return recoveryCodes.get(userId)?.size ?? 0
    },

    async putOobCode(record) {
      ensureOpen()
      oobCodes.set(record.key, clone(record))
    },

    async consumeOobCode(input: OobConsumeInput): Promise<OobConsumeResult> {
      ensureOpen()
      const record = oobCodes.get(input.key)
      if (!record) return { ok: false, reason: 'missing' }
      const matches =
        sameHash(record.codeHash, input.codeHash) &&
        (record.userId === null || record.userId === input.userId) &&
        (record.mfaTokenHash === null || record.mfaTokenHash === input.mfaTokenHash)
      if (!matches) return { ok: false, reason: 'mismatch' }
      // An expired code stays until purged, so that retrying it gets the same answer.
      if (record.expiresAt <= input.now) return { ok: false, reason: 'expired' }
      oobCodes.delete(input.key)
      return { ok: true, record: clone(record) }
    },

    async putToken(record) {
      ensureOpen()
      tokens.set(record.hash, clone(record))
    },

    async getToken(hash, now) {
      ensureOpen()
      const record = tokens.get(hash)
      if (!record) return null
      if (record.expiresAt <= now) {
        tokens.delete(hash)
        return null
      }
      return clone(record)
    },

    async consumeToken(hash, kind: TokenKind, now) {
      ensureOpen()
      const record = tokens.get(hash)
      if (!record || record.kind !== kind) return null
      tokens.delete(hash)
      if (record.expiresAt <= now) return null
      return clone(record)
    },

    async refreshAuthentication(hash, now) {
      ensureOpen()
      const record = tokens.get(hash)
      if (record?.kind !== 'access' || record.expiresAt <= now) return null
      record.authenticatedAt = now
      return clone(record)
    },

    async revokeTokens(userId, kind, keepHash = null) {
      ensureOpen()
      let count = 0
      for (const [hash, record] of tokens) {
        if (record.userId === userId && record.kind === kind && hash !== keepHash) {
          tokens.delete(hash)
          count++
        }
      }
      return count
    },

    async beginAttempt(key, now, policy: FailurePolicy): Promise<AttemptResult> {
      ensureOpen()
      return begin(key, now, policy)
    },

    async resetFailures(key) {
      ensureOpen()
      failures.delete(key)
    },

    async getFailureState(key) {
      ensureOpen()
      const state = failures.get(key)
      return state ? { ...state } : null
    },

    async hitRateLimit(key, now, limit, windowMs): Promise<RateLimitResult> {
      ensureOpen()
      return hitWindow(key, now, limit, windowMs)
    },

    async getRateWindow(key) {
      ensureOpen()
      const window = rates.get(key)
      return window ? { ...window } : null
    },

    async recordMfaFailure(input: MfaAttemptInput): Promise<MfaFailureResult> {
      ensureOpen()
      return recordFailure(input)
    },

    async completeMfa(input: MfaSuccessInput): Promise<MfaSuccessResult> {
      ensureOpen()
      const { userId, now } = input
      const user = users.get(userId) ?? null
      const totp = totps.get(userId) ?? null
      const decision = mfaSuccessDecision(input, {
        token: tokens.get(input.mfaTokenHash) ?? null,
        tokenAttempts: rates.get(mfaTokenAttemptsKey(input.mfaTokenHash)) ?? null,
        factor: failures.get(input.factorKey) ?? null,
        totp,
        user,
      })
      if (decision === 'token_invalid' || !user) return { outcome: 'token_invalid' }
      if (decision === 'refuse') return refusedSuccess(recordFailure(input))
      if (totp && input.totp) {
        totp.lastStep = input.totp.step
        totp.updatedAt = now
      }
      tokens.delete(input.mfaTokenHash)
      failures.delete(input.factorKey)
      tokens.set(input.accessToken.hash, clone(input.accessToken))
      user.loginsCount += 1
      user.lastLoginAt = now
      user.updatedAt = now
      return { outcome: 'accepted', user: clone(user) }
    },

    async purgeExpired(now) {
      ensureOpen()
      for (const [hash, record] of tokens) if (record.expiresAt <= now) tokens.delete(hash)
      for (const [key, record] of oobCodes) if (record.expiresAt <= now) oobCodes.delete(key)
      for (const [userId, record] of pendings) if (record.expiresAt <= now) pendings.delete(userId)
      for (const [key, window] of rates) if (window.windowStart + window.windowMs <= now) rates.delete(key)
    },

    async close() {
      closed = true
    },
  }
  return store
}
