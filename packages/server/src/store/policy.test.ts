import { describe, expect, it } from 'vitest'
import {
  bindContactFields,
  isLockedUntilReset,
  LOCKED_UNTIL_RESET,
  lockDelay,
  mfaFailure,
  mfaSuccessDecision,
  nextFailureState,
  nextRateWindow,
  refusedSuccess,
  releaseUnprovenClaim,
  type ContactFields,
} from './policy'
import type { FailurePolicy, FailureState, MfaAttemptInput, TokenRecord, TotpRecord, UserRecord } from './types'

const T0 = 1_700_000_000_000
const policy: FailurePolicy = { threshold: 3, baseLockMs: 30_000, maxLockMs: 100_000 }

describe('lockDelay', () => {
  it.each([
    [0, 30_000],
    [1, 60_000],
    [2, 100_000],
    [40, 100_000],
    [-3, 30_000],
  ])('after %i earlier lockouts waits %i ms', (lockouts, delay) => {
    expect(lockDelay(policy, lockouts)).toBe(delay)
  })
})

describe('nextFailureState', () => {
  it.each([
    ['a first attempt', null, T0, { allowed: true, failures: 1 }, { failures: 1, lockouts: 0, lockedUntil: 0 }],
    [
      'the attempt that reaches the threshold',
      { failures: 2, lockouts: 0, lockedUntil: 0 },
      T0,
      { allowed: true, failures: 3 },
      { failures: 3, lockouts: 1, lockedUntil: T0 + 30_000 },
    ],
    [
      'an attempt while locked',
      { failures: 3, lockouts: 1, lockedUntil: T0 + 30_000 },
      T0 + 10_000,
      { allowed: false, retryAfterMs: 20_000 },
      null,
    ],
    [
      'the first attempt after a lock',
      { failures: 3, lockouts: 1, lockedUntil: T0 + 30_000 },
      T0 + 30_000,
      { allowed: true, failures: 1 },
      { failures: 1, lockouts: 1, lockedUntil: T0 + 30_000 },
    ],
    [
      'a second lockout, which waits twice as long',
      { failures: 2, lockouts: 1, lockedUntil: T0 },
      T0 + 1,
      { allowed: true, failures: 3 },
      { failures: 3, lockouts: 2, lockedUntil: T0 + 1 + 60_000 },
    ],
  ] as const)('counts %s', (_name, stored, now, result, save) => {
    expect(nextFailureState(stored, now, policy)).toEqual({ result, save })
  })

  describe('with disableAfter (biometrics, FACE-02)', () => {
    const face: FailurePolicy = { threshold: 5, baseLockMs: 30_000, maxLockMs: 3_600_000, disableAfter: 50 }

    /** Fails `count` times, each as soon as the key allows it; returns the state and the wait before each failure. */
    function failRepeatedly(count: number) {
      let state: FailureState | null = null
      let now = T0
      const waits: number[] = []
      for (let i = 0; i < count; i++) {
        const wait = state && state.lockedUntil > now ? state.lockedUntil - now : 0
        now += wait
        waits.push(wait)
        const next = nextFailureState(state, now, face)
        expect(next.result.allowed).toBe(true)
        state = next.save
      }
      return { state: state!, now, waits }
    }

    it('allows 5 failures in a row, then makes every further try wait at least 30 s, longer each time', () => {
      const { waits } = failRepeatedly(9)
      expect(waits).toEqual([0, 0, 0, 0, 0, 30_000, 60_000, 120_000, 240_000])
    })

    it('never forgives failures by waiting: the 6th try after a lock is still locked afterwards', () => {
      const { state, now } = failRepeatedly(6)
      expect(state.failures).toBe(6)
      expect(nextFailureState(state, state.lockedUntil, face).save).toMatchObject({ failures: 7, lockouts: 3 })
      expect(nextFailureState(state, now + 1, face).result.allowed).toBe(false)
    })

    it('locks until reset at the 50th consecutive failure, so the 51st try is refused however long one waits', () => {
      const { state } = failRepeatedly(50)
      expect(state.lockedUntil).toBe(LOCKED_UNTIL_RESET)
      expect(isLockedUntilReset(state)).toBe(true)
      expect(nextFailureState(state, T0 + 10 * 365 * 86_400_000, face).result.allowed).toBe(false)
      expect(isLockedUntilReset(failRepeatedly(49).state)).toBe(false)
    })
  })
})

describe('nextRateWindow', () => {
  it.each([
    ['opens a window on the first hit', null, T0, { allowed: true, count: 1 }, { windowStart: T0, windowMs: 1000, count: 1 }],
    [
      'counts a hit inside the window',
      { windowStart: T0, windowMs: 1000, count: 1 },
      T0 + 500,
      { allowed: true, count: 2 },
      { windowStart: T0, windowMs: 1000, count: 2 },
    ],
    [
      'refuses a hit over the limit, without counting it',
      { windowStart: T0, windowMs: 1000, count: 2 },
      T0 + 400,
      { allowed: false, retryAfterMs: 600 },
      null,
    ],
    [
      'opens a new window once the old one is over',
      { windowStart: T0, windowMs: 1000, count: 2 },
      T0 + 1000,
      { allowed: true, count: 1 },
      { windowStart: T0 + 1000, windowMs: 1000, count: 1 },
    ],
  ] as const)('%s', (_name, stored, now, result, save) => {
    expect(nextRateWindow(stored, now, 2, 1000)).toEqual({ result, save })
  })
})

const attempt: MfaAttemptInput = {
  mfaTokenHash: 'm1',
  mfaTokenMaxAttempts: 2,
  mfaTokenWindowMs: 600_000,
  factorKey: 'factor:otp:u1',
  policy,
  now: T0,
}
const liveToken: TokenRecord = {
  hash: 'm1',
  kind: 'mfa',
  userId: 'u1',
  createdAt: T0,
  expiresAt: T0 + 600_000,
  authenticatedAt: T0,
  method: 'password',
}

describe('mfaFailure', () => {
  it('ignores an attempt with a dead or wrong-kind token', () => {
    for (const token of [null, { ...liveToken, expiresAt: T0 }, { ...liveToken, kind: 'access' as const }]) {
      expect(mfaFailure(attempt, { token, tokenAttempts: null, factor: null })).toEqual({
        result: { outcome: 'token_invalid' },
        tokenAttempts: null,
        deleteToken: false,
        factor: null,
      })
    }
  })

  it('deletes a token out of attempts and leaves the factor alone', () => {
    const change = mfaFailure(attempt, { token: liveToken, tokenAttempts: { windowStart: T0, windowMs: 600_000, count: 2 }, factor: null })
    expect(change).toEqual({ result: { outcome: 'token_exhausted' }, tokenAttempts: null, deleteToken: true, factor: null })
  })

  it('counts a wrong code on the token and on the factor', () => {
    const change = mfaFailure(attempt, { token: liveToken, tokenAttempts: null, factor: null })
    expect(change.result).toEqual({ outcome: 'counted', failures: 1 })
    expect(change.tokenAttempts).toEqual({ windowStart: T0, windowMs: 600_000, count: 1 })
    expect(change.factor).toEqual({ failures: 1, lockouts: 0, lockedUntil: 0 })
  })

  it('counts on the token only while the factor is locked', () => {
    const change = mfaFailure(attempt, {
      token: liveToken,
      tokenAttempts: null,
      factor: { failures: 3, lockouts: 1, lockedUntil: T0 + 5000 },
    })
    expect(change.result).toEqual({ outcome: 'locked', retryAfterMs: 5000 })
    expect(change.tokenAttempts?.count).toBe(1)
    expect(change.factor).toBeNull()
  })
})

describe('mfaSuccessDecision', () => {
  const user = { id: 'u1' } as UserRecord
  const totp: TotpRecord = { id: 't1', userId: 'u1', sealedSecret: 's', lastStep: 10, createdAt: T0, updatedAt: T0 }
  const success = { ...attempt, userId: 'u1', accessToken: { ...liveToken, hash: 'a1', kind: 'access' as const } }
  const records = { token: liveToken, tokenAttempts: null, factor: null, totp, user }

  it.each([
    ['accepts a matching code', success, records, 'accept'],
    ["refuses another user's token as invalid", { ...success, userId: 'u2' }, records, 'token_invalid'],
    ['treats a deleted account as an invalid token', success, { ...records, user: null }, 'token_invalid'],
    ['refuses a token out of attempts', success, { ...records, tokenAttempts: { windowStart: T0, windowMs: 600_000, count: 2 } }, 'refuse'],
    ['refuses a locked factor', success, { ...records, factor: { failures: 3, lockouts: 1, lockedUntil: T0 + 1 } }, 'refuse'],
    ['refuses a TOTP step that is not after the last', { ...success, totp: { totpId: 't1', step: 10 } }, records, 'refuse'],
    ['refuses a step of a replaced authenticator', { ...success, totp: { totpId: 'old', step: 11 } }, records, 'refuse'],
    ['accepts the next TOTP step', { ...success, totp: { totpId: 't1', step: 11 } }, records, 'accept'],
  ] as const)('%s', (_name, input, given, decision) => {
    expect(mfaSuccessDecision(input, given)).toBe(decision)
  })

  it('reports a refused match that was counted as a replayed code', () => {
    expect(refusedSuccess({ outcome: 'counted', failures: 2 })).toEqual({ outcome: 'replayed', failures: 2 })
    expect(refusedSuccess({ outcome: 'token_exhausted' })).toEqual({ outcome: 'token_exhausted' })
  })
})

describe('phone and email claims', () => {
  const account = (extra: Partial<ContactFields> = {}): ContactFields & { updatedAt: number } => ({
    phone: null,
    phoneCountryCode: null,
    email: null,
    mfaPhone: null,
    mfaPhoneCountryCode: null,
    mfaPhoneVerified: false,
    mfaEmail: null,
    mfaEmailVerified: false,
    updatedAt: T0,
    ...extra,
  })

  it('releases a typed-in login phone and MFA email, and keeps proven ones', () => {
    expect(releaseUnprovenClaim(account({ phone: '+1', phoneCountryCode: '+86' }), 'sms', '+1')).toMatchObject({
      phone: null,
      phoneCountryCode: null,
    })
    expect(releaseUnprovenClaim(account({ email: 'a@x.io', mfaEmail: 'a@x.io' }), 'email', 'a@x.io')).toMatchObject({
      email: null,
      mfaEmail: null,
    })
    expect(releaseUnprovenClaim(account({ phone: '+1', mfaPhone: '+1', mfaPhoneVerified: true }), 'sms', '+1')).toBeNull()
    expect(releaseUnprovenClaim(account({ phone: '+2' }), 'sms', '+1')).toBeNull()
  })

  it('binds a phone for sign-in only when asked and free', () => {
    const binding = {
      channel: 'sms' as const,
      value: '+1',
      countryCode: '+86',
      now: T0 + 1,
      useForLogin: false,
      loginTakenElsewhere: false,
    }
    expect(bindContactFields(account(), binding)).toMatchObject({ phone: null, mfaPhone: '+1', mfaPhoneVerified: true, updatedAt: T0 + 1 })
    expect(bindContactFields(account(), { ...binding, useForLogin: true })).toMatchObject({ phone: '+1', phoneCountryCode: '+86' })
    expect(bindContactFields(account(), { ...binding, useForLogin: true, loginTakenElsewhere: true })).toMatchObject({ phone: null })
    expect(bindContactFields(account({ mfaPhone: '+2', mfaPhoneVerified: true }), binding)).toBeNull()
    // An unproven phone on file is not a factor yet: the proven one takes its place.
    expect(bindContactFields(account({ mfaPhone: '+2' }), binding)).toMatchObject({ mfaPhone: '+1', mfaPhoneVerified: true })
  })
})
