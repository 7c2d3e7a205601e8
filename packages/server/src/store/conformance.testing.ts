/**
 * The behaviour every store adapter must have, as a reusable vitest suite:
 *
 * ```ts
 * describeStoreConformance('memory store', () => createMemoryStore())
 * ```
 *
 * Concurrency cases fire 50 calls at once through `Promise.all` and count the winners, so an
 * adapter that reads and writes in two steps fails them.
 */

import { afterEach, describe, expect, it } from 'vitest'
import type {
  ContactBinding,
  FaceRecord,
  FailurePolicy,
  MfaAttemptInput,
  MfaFailureResult,
  MfaStore,
  MfaSuccessInput,
  MfaSuccessResult,
  NewUser,
  OobCodeRecord,
  PendingTotpRecord,
  TokenRecord,
} from './types'

export type StoreFactory = () => MfaStore | Promise<MfaStore>

const T0 = 1_700_000_000_000
const MINUTE = 60_000

const policy: FailurePolicy = { threshold: 5, baseLockMs: 30_000, maxLockMs: 3_600_000 }

function newUser(id: string, extra: Partial<NewUser> = {}): NewUser {
  return { id, username: null, email: null, phone: null, passwordHash: null, createdAt: T0, ...extra }
}

function phoneBinding(value: string, extra: Partial<ContactBinding> = {}): ContactBinding {
  return { channel: 'sms', value, countryCode: null, now: T0, ...extra }
}

function emailBinding(value: string): ContactBinding {
  return { channel: 'email', value, countryCode: null, now: T0 }
}

function pending(userId: string, id: string, extra: Partial<PendingTotpRecord> = {}): PendingTotpRecord {
  return {
    id,
    userId,
    sealedSecret: `sealed-${id}`,
    recoveryCodeHash: `rc-${id}`,
    source: 'SELF',
    createdAt: T0,
    expiresAt: T0 + 10 * MINUTE,
    ...extra,
  }
}

function token(hash: string, userId: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    hash,
    kind: 'mfa',
    userId,
    createdAt: T0,
    expiresAt: T0 + 10 * MINUTE,
    authenticatedAt: T0,
    method: 'password',
    ...extra,
  }
}

function oob(key: string, extra: Partial<OobCodeRecord> = {}): OobCodeRecord {
  return { key, codeHash: 'h-123456', userId: null, mfaTokenHash: null, createdAt: T0, expiresAt: T0 + 5 * MINUTE, ...extra }
}

const parallel = <T>(n: number, run: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => run(i)))

export function describeStoreConformance(name: string, makeStore: StoreFactory): void {
  describe(`${name} (store conformance)`, () => {
    let open: MfaStore[] = []
    const fresh = async () => {
      const store = await makeStore()
      open.push(store)
      return store
    }
    afterEach(async () => {
      for (const store of open) await store.close()
      open = []
    })

    describe('users', () => {
      it('creates a user and finds it by id and by each login identifier', async () => {
        const store = await fresh()
        const created = await store.createUser(
          newUser('u1', { username: 'alice', email: 'alice@example.com', phone: '+8613800000000', nickname: 'Al' }),
        )
        expect(created.ok).toBe(true)
        const byId = await store.getUser('u1')
        expect(byId).toMatchObject({
          id: 'u1',
          username: 'alice',
          email: 'alice@example.com',
          phone: '+8613800000000',
          nickname: 'Al',
          mfaPhone: null,
          mfaEmail: null,
          mfaPhoneVerified: false,
          mfaEmailVerified: false,
          loginsCount: 0,
          lastLoginAt: null,
          createdAt: T0,
        })
        expect((await store.findUserBy('username', 'alice'))?.id).toBe('u1')
        expect((await store.findUserBy('email', 'alice@example.com'))?.id).toBe('u1')
        expect((await store.findUserBy('phone', '+8613800000000'))?.id).toBe('u1')
        expect(await store.findUserBy('username', 'bob')).toBeNull()
        expect(await store.getUser('nobody')).toBeNull()
      })

      it('refuses a second user with a taken login identifier and names the identifier', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { username: 'alice', email: 'a@example.com' }))
        expect(await store.createUser(newUser('u2', { username: 'alice' }))).toEqual({ ok: false, conflict: 'username' })
        expect(await store.createUser(newUser('u3', { email: 'a@example.com' }))).toEqual({ ok: false, conflict: 'email' })
        expect(await store.getUser('u2')).toBeNull()
      })

      it('creates exactly one user when 50 registrations race for the same email', async () => {
        const store = await fresh()
        const results = await parallel(50, (i) => store.createUser(newUser(`u${i}`, { email: 'race@example.com' })))
        expect(results.filter((r) => r.ok)).toHaveLength(1)
      })

      it('allows many users without an email or phone', async () => {
        const store = await fresh()
        expect((await store.createUser(newUser('u1'))).ok).toBe(true)
        expect((await store.createUser(newUser('u2'))).ok).toBe(true)
      })

      it('returns copies that do not write through to the store', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { username: 'alice' }))
        const user = (await store.getUser('u1'))!
        user.username = 'mallory'
        user.mfaPhoneVerified = true
        expect((await store.getUser('u1'))?.username).toBe('alice')
        expect((await store.getUser('u1'))?.mfaPhoneVerified).toBe(false)
      })

      it('counts logins', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.recordLogin('u1', T0 + 1000)
        await parallel(9, () => store.recordLogin('u1', T0 + 2000))
        expect(await store.getUser('u1')).toMatchObject({ loginsCount: 10, lastLoginAt: T0 + 2000 })
      })

      it('binds an MFA destination once and marks it verified', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { mfaEmail: 'a@example.com' }))
        const sms = await store.bindContact('u1', phoneBinding('+8613800000001', { countryCode: '+86' }))
        expect(sms.ok).toBe(true)
        expect(await store.getUser('u1')).toMatchObject({
          mfaPhone: '+8613800000001',
          mfaPhoneCountryCode: '+86',
          mfaPhoneVerified: true,
          mfaEmail: 'a@example.com',
          mfaEmailVerified: false,
        })
        expect(await store.bindContact('u1', phoneBinding('+8613800000002'))).toEqual({ ok: false, reason: 'already_bound' })
        expect((await store.bindContact('u1', phoneBinding('+8613800000001'))).ok).toBe(true)
        expect((await store.bindContact('u1', emailBinding('a@example.com'))).ok).toBe(true)
        expect((await store.getUser('u1'))?.mfaEmailVerified).toBe(true)
        expect(await store.bindContact('u1', emailBinding('b@example.com'))).toEqual({ ok: false, reason: 'already_bound' })
        expect(await store.bindContact('ghost', emailBinding('b@example.com'))).toEqual({ ok: false, reason: 'no_user' })
      })

      it('replaces an unproven destination on file with the proven one', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { mfaEmail: 'signup@example.com' }))
        expect((await store.bindContact('u1', emailBinding('proven@example.com'))).ok).toBe(true)
        expect(await store.getUser('u1')).toMatchObject({ mfaEmail: 'proven@example.com', mfaEmailVerified: true })
      })

      it('binds only one of many different phones raced onto the same user', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        const results = await parallel(50, (i) => store.bindContact('u1', phoneBinding(`+861380000${String(i).padStart(4, '0')}`)))
        expect(results.filter((r) => r.ok)).toHaveLength(1)
      })

      it('leaves the login phone alone unless the binding asks to sign in with the phone', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { email: 'a@example.com' }))
        const bound = await store.bindContact('u1', phoneBinding('+8613800000001', { countryCode: '+86' }))
        expect(bound.ok && bound.user).toMatchObject({ phone: null, mfaPhone: '+8613800000001' })
        expect(await store.findUserBy('phone', '+8613800000001')).toBeNull()

        await store.createUser(newUser('u2', { email: 'b@example.com' }))
        const login = await store.bindContact('u2', phoneBinding('+8613800000002', { countryCode: '+86', useForLogin: true }))
        expect(login.ok && login.user).toMatchObject({ phone: '+8613800000002', phoneCountryCode: '+86', mfaPhone: '+8613800000002' })
        expect((await store.findUserBy('phone', '+8613800000002'))?.id).toBe('u2')
        expect(await store.createUser(newUser('u3', { phone: '+8613800000002' }))).toEqual({ ok: false, conflict: 'phone' })
      })

      it('never takes a login phone that another account has proven', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { phone: '+8613800000003' }))
        await store.bindContact('u1', phoneBinding('+8613800000003'))
        await store.createUser(newUser('u2'))
        expect((await store.bindContact('u2', phoneBinding('+8613800000003', { useForLogin: true }))).ok).toBe(true)
        expect(await store.getUser('u2')).toMatchObject({ phone: null, mfaPhone: '+8613800000003' })
        expect((await store.findUserBy('phone', '+8613800000003'))?.id).toBe('u1')
      })

      it('gives a phone as login phone to exactly one of many accounts binding it at once', async () => {
        const store = await fresh()
        for (let i = 0; i < 20; i++) await store.createUser(newUser(`u${i}`))
        const results = await parallel(20, (i) => store.bindContact(`u${i}`, phoneBinding('+8613800000001', { useForLogin: true })))
        expect(results.every((r) => r.ok)).toBe(true)
        const owners = results.filter((r) => r.ok && r.user.phone === '+8613800000001')
        expect(owners).toHaveLength(1)
        expect((await store.findUserBy('phone', '+8613800000001'))?.id).toBe(owners[0]!.ok ? owners[0]!.user.id : null)
      })

      it('releases the unproven claims of other accounts on a phone or email proven with a code', async () => {
        const store = await fresh()
        await store.createUser(
          newUser('squatter', {
            phone: '+8613800000001',
            phoneCountryCode: '+86',
            email: 'owner@example.com',
            mfaEmail: 'owner@example.com',
          }),
        )
        await store.createUser(newUser('owner'))
        expect((await store.bindContact('owner', phoneBinding('+8613800000001', { useForLogin: true }))).ok).toBe(true)
        expect((await store.bindContact('owner', emailBinding('owner@example.com'))).ok).toBe(true)
        expect(await store.getUser('squatter')).toMatchObject({ phone: null, phoneCountryCode: null, email: null, mfaEmail: null })
        expect((await store.findUserBy('phone', '+8613800000001'))?.id).toBe('owner')
        expect(await store.findUserBy('email', 'owner@example.com')).toBeNull()
      })

      it('keeps the claims another account has proven when a second account binds the same value', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { email: 'shared@example.com', mfaEmail: 'shared@example.com' }))
        await store.bindContact('u1', emailBinding('shared@example.com'))
        await store.createUser(newUser('u2'))
        await store.bindContact('u2', emailBinding('shared@example.com'))
        expect(await store.getUser('u1')).toMatchObject({
          email: 'shared@example.com',
          mfaEmail: 'shared@example.com',
          mfaEmailVerified: true,
        })
      })

      it('unbinds an MFA destination and keeps the login identifiers', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { email: 'a@example.com' }))
        await store.bindContact('u1', phoneBinding('+8613800000001', { useForLogin: true }))
        await store.bindContact('u1', emailBinding('a@example.com'))
        expect(await store.unbindContact('u1', 'sms', T0 + 1)).toMatchObject({
          phone: '+8613800000001',
          mfaPhone: null,
          mfaPhoneVerified: false,
        })
        expect(await store.unbindContact('u1', 'email', T0 + 2)).toMatchObject({
          email: 'a@example.com',
          mfaEmail: null,
          mfaEmailVerified: false,
        })
        expect(await store.unbindContact('ghost', 'sms', T0)).toBeNull()
      })

      it('reports whether another account has proven a phone or email, ignoring typed-in claims', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1', { phone: '+8613800000001', email: 'a@example.com' }))
        await store.createUser(newUser('u2', { mfaEmail: 'b@example.com' }))
        await store.createUser(newUser('u3'))
        expect(await store.isContactInUse('sms', '+8613800000001', 'u3')).toBe(false)
        expect(await store.isContactInUse('email', 'a@example.com', 'u3')).toBe(false)
        expect(await store.isContactInUse('email', 'b@example.com', 'u3')).toBe(false)
        await store.bindContact('u2', emailBinding('b@example.com'))
        expect(await store.isContactInUse('email', 'b@example.com', 'u3')).toBe(true)
        expect(await store.isContactInUse('email', 'b@example.com', 'u2')).toBe(false)
        await store.bindContact('u3', phoneBinding('+8613800000009'))
        expect(await store.isContactInUse('sms', '+8613800000009', 'u1')).toBe(true)
        expect(await store.isContactInUse('email', 'c@example.com', 'u3')).toBe(false)
      })
    })

    describe('TOTP', () => {
      it('keeps one pending binding per user, the latest', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        expect(await store.putPendingTotp(pending('u1', 'p1'))).toEqual({ ok: true })
        expect(await store.putPendingTotp(pending('u1', 'p2', { source: 'APPLICATION' }))).toEqual({ ok: true })
        expect(await store.getPendingTotp('u1')).toMatchObject({ id: 'p2', source: 'APPLICATION', sealedSecret: 'sealed-p2' })
        expect(await store.activatePendingTotp('u1', 'p1', 100, T0)).toEqual({ ok: false, reason: 'no_pending' })
      })

      it('activates a pending binding with its first step and its recovery code', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.putPendingTotp(pending('u1', 'p1'))
        const result = await store.activatePendingTotp('u1', 'p1', 100, T0 + 1000)
        expect(result.ok).toBe(true)
        expect(await store.getTotp('u1')).toMatchObject({ id: 'p1', userId: 'u1', sealedSecret: 'sealed-p1', lastStep: 100 })
        expect(await store.getPendingTotp('u1')).toBeNull()
        expect(await store.countRecoveryCodes('u1')).toBe(1)
        expect(await store.putPendingTotp(pending('u1', 'p2'))).toEqual({ ok: false, reason: 'already_bound' })
      })

      it('refuses to activate an expired pending binding', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.putPendingTotp(pending('u1', 'p1', { expiresAt: T0 + 1000 }))
        expect(await store.activatePendingTotp('u1', 'p1', 100, T0 + 1000)).toEqual({ ok: false, reason: 'expired' })
        expect(await store.getTotp('u1')).toBeNull()
      })

      it('activates a pending binding exactly once under 50 parallel confirms', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.putPendingTotp(pending('u1', 'p1'))
        const results = await parallel(50, () => store.activatePendingTotp('u1', 'p1', 100, T0))
        expect(results.filter((r) => r.ok)).toHaveLength(1)
      })

      it('accepts only steps greater than the last accepted step', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.putPendingTotp(pending('u1', 'p1'))
        await store.activatePendingTotp('u1', 'p1', 100, T0)
        expect(await store.advanceTotpStep('u1', 'p1', 100, T0)).toEqual({ ok: false, reason: 'replayed' })
        expect(await store.advanceTotpStep('u1', 'p1', 99, T0)).toEqual({ ok: false, reason: 'replayed' })
        expect(await store.advanceTotpStep('u1', 'p1', 101, T0)).toEqual({ ok: true })
        expect(await store.advanceTotpStep('u1', 'p1', 100, T0)).toEqual({ ok: false, reason: 'replayed' })
        expect(await store.advanceTotpStep('u1', 'other', 102, T0)).toEqual({ ok: false, reason: 'not_bound' })
        expect(await store.advanceTotpStep('u2', 'p1', 102, T0)).toEqual({ ok: false, reason: 'not_bound' })
        expect((await store.getTotp('u1'))?.lastStep).toBe(101)
      })

      it('lets exactly one of 50 parallel uses of the same step through', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.putPendingTotp(pending('u1', 'p1'))
        await store.activatePendingTotp('u1', 'p1', 100, T0)
        const results = await parallel(50, () => store.advanceTotpStep('u1', 'p1', 101, T0))
        expect(results.filter((r) => r.ok)).toHaveLength(1)
      })

      it('never moves the last step backwards when different steps race', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.putPendingTotp(pending('u1', 'p1'))
        await store.activatePendingTotp('u1', 'p1', 100, T0)
        await parallel(30, (i) => store.advanceTotpStep('u1', 'p1', 101 + (i % 3), T0))
        expect((await store.getTotp('u1'))?.lastStep).toBe(103)
      })

      it('deletes the authenticator, the pending binding and the recovery codes together', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.putPendingTotp(pending('u1', 'p1'))
        await store.activatePendingTotp('u1', 'p1', 100, T0)
        expect(await store.deleteTotp('u1')).toBe(true)
        expect(await store.getTotp('u1')).toBeNull()
        expect(await store.countRecoveryCodes('u1')).toBe(0)
        expect(await store.consumeRecoveryCode('u1', 'rc-p1', 'rc-new', T0)).toBe(false)
        expect(await store.deleteTotp('u1')).toBe(false)
        await store.putPendingTotp(pending('u1', 'p2'))
        expect(await store.deleteTotp('u1')).toBe(true)
        expect(await store.getPendingTotp('u1')).toBeNull()
      })
    })

    describe('face', () => {
      const face = (userId: string, id: string): FaceRecord => ({ id, userId, sealedDescriptors: `sealed-${id}`, createdAt: T0 })

      it('binds one face per user and returns it', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        expect(await store.getFace('u1')).toBeNull()
        expect(await store.putFace(face('u1', 'f1'))).toEqual({ ok: true })
        expect(await store.getFace('u1')).toEqual(face('u1', 'f1'))
        expect(await store.putFace(face('u1', 'f2'))).toEqual({ ok: false, reason: 'already_bound' })
        expect((await store.getFace('u1'))?.id).toBe('f1')
      })

      it('refuses a face for a user that does not exist', async () => {
        const store = await fresh()
        expect(await store.putFace(face('ghost', 'f1'))).toEqual({ ok: false, reason: 'no_user' })
        expect(await store.getFace('ghost')).toBeNull()
      })

      it('binds exactly one of 50 faces raced onto the same user', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        const results = await parallel(50, (i) => store.putFace(face('u1', `f${i}`)))
        expect(results.filter((r) => r.ok)).toHaveLength(1)
      })

      it('deletes a face once', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.createUser(newUser('u2'))
        await store.putFace(face('u1', 'f1'))
        await store.putFace(face('u2', 'f2'))
        expect(await store.deleteFace('u1')).toBe(true)
        expect(await store.deleteFace('u1')).toBe(false)
        expect(await store.getFace('u1')).toBeNull()
        expect(await store.getFace('u2')).not.toBeNull()
        expect((await store.putFace(face('u1', 'f3'))).ok).toBe(true)
      })
    })

    describe('recovery codes', () => {
      const bound = async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.createUser(newUser('u2'))
        await store.putPendingTotp(pending('u1', 'p1'))
        await store.activatePendingTotp('u1', 'p1', 100, T0)
        return store
      }

      it('consumes a code once and puts its replacement in its place', async () => {
        const store = await bound()
        expect(await store.consumeRecoveryCode('u1', 'rc-p1', 'rc-2', T0)).toBe(true)
        expect(await store.consumeRecoveryCode('u1', 'rc-p1', 'rc-3', T0)).toBe(false)
        expect(await store.countRecoveryCodes('u1')).toBe(1)
        expect(await store.consumeRecoveryCode('u1', 'rc-2', 'rc-3', T0)).toBe(true)
      })

      it("does not accept another user's code", async () => {
        const store = await bound()
        expect(await store.consumeRecoveryCode('u2', 'rc-p1', 'rc-2', T0)).toBe(false)
        expect(await store.countRecoveryCodes('u1')).toBe(1)
      })

      it('lets exactly one of 20 parallel uses of a code through', async () => {
        const store = await bound()
        const results = await parallel(20, (i) => store.consumeRecoveryCode('u1', 'rc-p1', `rc-new-${i}`, T0))
        expect(results.filter(Boolean)).toHaveLength(1)
        expect(await store.countRecoveryCodes('u1')).toBe(1)
      })

      it('replaces every recovery code with a new one, only while TOTP is bound', async () => {
        const store = await bound()
        expect(await store.replaceRecoveryCodes('u1', 'rc-fresh', T0)).toBe(true)
        expect(await store.countRecoveryCodes('u1')).toBe(1)
        expect(await store.consumeRecoveryCode('u1', 'rc-p1', 'rc-x', T0)).toBe(false)
        expect(await store.consumeRecoveryCode('u1', 'rc-fresh', 'rc-x', T0)).toBe(true)
        expect(await store.replaceRecoveryCodes('u2', 'rc-fresh', T0)).toBe(false)
        expect(await store.countRecoveryCodes('u2')).toBe(0)
      })
    })

    describe('one-time codes', () => {
      it('consumes a matching code exactly once', async () => {
        const store = await fresh()
        await store.putOobCode(oob('mfa:sms:+861'))
        const input = { key: 'mfa:sms:+861', codeHash: 'h-123456', now: T0 + 1000, userId: 'u1', mfaTokenHash: 't1' }
        const first = await store.consumeOobCode(input)
        expect(first.ok).toBe(true)
        expect(await store.consumeOobCode(input)).toEqual({ ok: false, reason: 'missing' })
      })

      it('keeps the code after a wrong guess', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k'))
        const base = { key: 'k', now: T0, userId: null, mfaTokenHash: null }
        expect(await store.consumeOobCode({ ...base, codeHash: 'h-000000' })).toEqual({ ok: false, reason: 'mismatch' })
        expect((await store.consumeOobCode({ ...base, codeHash: 'h-123456' })).ok).toBe(true)
      })

      it('refuses an expired code', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k', { expiresAt: T0 + 5 * MINUTE }))
        const result = await store.consumeOobCode({
          key: 'k',
          codeHash: 'h-123456',
          now: T0 + 5 * MINUTE,
          userId: null,
          mfaTokenHash: null,
        })
        expect(result).toEqual({ ok: false, reason: 'expired' })
      })

      it('answers an expired code as expired again when it is retried', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k'))
        const input = { key: 'k', codeHash: 'h-123456', now: T0 + 6 * MINUTE, userId: null, mfaTokenHash: null }
        expect(await store.consumeOobCode(input)).toEqual({ ok: false, reason: 'expired' })
        expect(await store.consumeOobCode(input)).toEqual({ ok: false, reason: 'expired' })
      })

      it('answers a wrong code for an expired challenge as a mismatch, so that expiry cannot be probed', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k'))
        const late = { key: 'k', now: T0 + 6 * MINUTE, userId: null, mfaTokenHash: null }
        expect(await store.consumeOobCode({ ...late, codeHash: 'h-000000' })).toEqual({ ok: false, reason: 'mismatch' })
        expect(await store.consumeOobCode({ ...late, codeHash: 'h-12345' })).toEqual({ ok: false, reason: 'mismatch' })
        expect(await store.consumeOobCode({ ...late, codeHash: 'h-123456' })).toEqual({ ok: false, reason: 'expired' })
      })

      it('answers an expired code sent for another user or mfaToken as a mismatch', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k', { userId: 'u1', mfaTokenHash: 't1' }))
        const late = { key: 'k', codeHash: 'h-123456', now: T0 + 6 * MINUTE }
        expect(await store.consumeOobCode({ ...late, userId: 'u2', mfaTokenHash: 't1' })).toEqual({ ok: false, reason: 'mismatch' })
        expect(await store.consumeOobCode({ ...late, userId: 'u1', mfaTokenHash: 't2' })).toEqual({ ok: false, reason: 'mismatch' })
        expect(await store.consumeOobCode({ ...late, userId: 'u1', mfaTokenHash: 't1' })).toEqual({ ok: false, reason: 'expired' })
      })

      it('replaces the old code when a new one is stored under the same key', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k', { codeHash: 'h-old' }))
        await store.putOobCode(oob('k', { codeHash: 'h-new' }))
        const base = { key: 'k', now: T0, userId: null, mfaTokenHash: null }
        expect(await store.consumeOobCode({ ...base, codeHash: 'h-old' })).toEqual({ ok: false, reason: 'mismatch' })
        expect((await store.consumeOobCode({ ...base, codeHash: 'h-new' })).ok).toBe(true)
      })

      it('honours the user and mfaToken a code was sent for', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k', { userId: 'u1', mfaTokenHash: 't1' }))
        const base = { key: 'k', codeHash: 'h-123456', now: T0 }
        expect(await store.consumeOobCode({ ...base, userId: 'u2', mfaTokenHash: 't1' })).toEqual({ ok: false, reason: 'mismatch' })
        expect(await store.consumeOobCode({ ...base, userId: 'u1', mfaTokenHash: 't2' })).toEqual({ ok: false, reason: 'mismatch' })
        expect((await store.consumeOobCode({ ...base, userId: 'u1', mfaTokenHash: 't1' })).ok).toBe(true)
      })

      it('lets exactly one of 50 parallel uses of a code through', async () => {
        const store = await fresh()
        await store.putOobCode(oob('k'))
        const results = await parallel(50, () =>
          store.consumeOobCode({ key: 'k', codeHash: 'h-123456', now: T0, userId: 'u1', mfaTokenHash: null }),
        )
        expect(results.filter((r) => r.ok)).toHaveLength(1)
      })
    })

    describe('tokens', () => {
      it('returns a live token and forgets an expired one', async () => {
        const store = await fresh()
        await store.putToken(token('t1', 'u1', { kind: 'access', method: 'mfa', expiresAt: T0 + MINUTE }))
        expect(await store.getToken('t1', T0)).toMatchObject({ hash: 't1', kind: 'access', userId: 'u1', method: 'mfa' })
        expect(await store.getToken('t1', T0 + MINUTE)).toBeNull()
        expect(await store.getToken('missing', T0)).toBeNull()
      })

      it('consumes a token once, and only as its own kind', async () => {
        const store = await fresh()
        await store.putToken(token('t1', 'u1'))
        expect(await store.consumeToken('t1', 'access', T0)).toBeNull()
        expect(await store.getToken('t1', T0)).not.toBeNull()
        expect((await store.consumeToken('t1', 'mfa', T0))?.userId).toBe('u1')
        expect(await store.consumeToken('t1', 'mfa', T0)).toBeNull()
        expect(await store.getToken('t1', T0)).toBeNull()
      })

      it('does not consume an expired token', async () => {
        const store = await fresh()
        await store.putToken(token('t1', 'u1', { expiresAt: T0 + MINUTE }))
        expect(await store.consumeToken('t1', 'mfa', T0 + MINUTE)).toBeNull()
      })

      it('lets exactly one of 50 parallel consumptions of a token through', async () => {
        const store = await fresh()
        await store.putToken(token('t1', 'u1'))
        const results = await parallel(50, () => store.consumeToken('t1', 'mfa', T0))
        expect(results.filter((r) => r !== null)).toHaveLength(1)
      })

      it("revokes a user's tokens of one kind except the one to keep", async () => {
        const store = await fresh()
        await store.putToken(token('a1', 'u1', { kind: 'access' }))
        await store.putToken(token('a2', 'u1', { kind: 'access' }))
        await store.putToken(token('a3', 'u1', { kind: 'access' }))
        await store.putToken(token('m1', 'u1', { kind: 'mfa' }))
        await store.putToken(token('b1', 'u2', { kind: 'access' }))
        expect(await store.revokeTokens('u1', 'access', 'a2')).toBe(2)
        expect(await store.getToken('a1', T0)).toBeNull()
        expect(await store.getToken('a2', T0)).not.toBeNull()
        expect(await store.getToken('a3', T0)).toBeNull()
        expect(await store.getToken('m1', T0)).not.toBeNull()
        expect(await store.getToken('b1', T0)).not.toBeNull()
        expect(await store.revokeTokens('u1', 'mfa')).toBe(1)
      })

      it('refreshes the time of last authentication of a live access token only', async () => {
        const store = await fresh()
        await store.putToken(token('a1', 'u1', { kind: 'access', expiresAt: T0 + MINUTE }))
        await store.putToken(token('m1', 'u1'))
        expect(await store.refreshAuthentication('a1', T0 + 1000)).toMatchObject({ hash: 'a1', authenticatedAt: T0 + 1000 })
        expect((await store.getToken('a1', T0 + 2000))?.authenticatedAt).toBe(T0 + 1000)
        expect(await store.refreshAuthentication('m1', T0 + 1000)).toBeNull()
        expect(await store.refreshAuthentication('a1', T0 + MINUTE)).toBeNull()
        expect(await store.refreshAuthentication('missing', T0)).toBeNull()
      })

      it('stores the first factor of an mfaToken', async () => {
        const store = await fresh()
        await store.putToken(token('m1', 'u1', { method: 'phone_code' }))
        expect((await store.getToken('m1', T0))?.method).toBe('phone_code')
      })
    })

    describe('failure counters', () => {
      it('allows the threshold number of attempts, then locks with the base delay', async () => {
        const store = await fresh()
        for (let i = 1; i <= 5; i++) expect(await store.beginAttempt('k', T0, policy)).toEqual({ allowed: true, failures: i })
        expect(await store.beginAttempt('k', T0 + 1000, policy)).toEqual({ allowed: false, retryAfterMs: 29_000 })
        expect(await store.getFailureState('k')).toEqual({ failures: 5, lockouts: 1, lockedUntil: T0 + 30_000 })
      })

      it('evaluates exactly the threshold number of 50 parallel attempts', async () => {
        const store = await fresh()
        const results = await parallel(50, () => store.beginAttempt('k', T0, policy))
        expect(results.filter((r) => r.allowed)).toHaveLength(5)
        expect(results.filter((r) => !r.allowed)).toHaveLength(45)
      })

      it('doubles the lock delay on each further lockout up to the cap', async () => {
        const store = await fresh()
        const small: FailurePolicy = { threshold: 2, baseLockMs: 1000, maxLockMs: 5000 }
        let now = T0
        const delays: number[] = []
        for (let round = 0; round < 5; round++) {
          await store.beginAttempt('k', now, small)
          await store.beginAttempt('k', now, small)
          const state = (await store.getFailureState('k'))!
          delays.push(state.lockedUntil - now)
          now = state.lockedUntil
        }
        expect(delays).toEqual([1000, 2000, 4000, 5000, 5000])
      })

      it('starts a new round after the lock expires', async () => {
        const store = await fresh()
        for (let i = 0; i < 5; i++) await store.beginAttempt('k', T0, policy)
        expect((await store.beginAttempt('k', T0 + 29_999, policy)).allowed).toBe(false)
        expect(await store.beginAttempt('k', T0 + 30_000, policy)).toEqual({ allowed: true, failures: 1 })
      })

      it('forgets failures and lockouts after a reset', async () => {
        const store = await fresh()
        for (let i = 0; i < 5; i++) await store.beginAttempt('k', T0, policy)
        await store.resetFailures('k')
        expect(await store.getFailureState('k')).toBeNull()
        expect(await store.beginAttempt('k', T0, policy)).toEqual({ allowed: true, failures: 1 })
      })

      it('keeps keys apart', async () => {
        const store = await fresh()
        for (let i = 0; i < 5; i++) await store.beginAttempt('a', T0, policy)
        expect((await store.beginAttempt('b', T0, policy)).allowed).toBe(true)
      })

      it('keeps a key locked until reset once disableAfter failures are reached, and forgets it on reset', async () => {
        const store = await fresh()
        const face: FailurePolicy = { threshold: 2, baseLockMs: 1000, maxLockMs: 5000, disableAfter: 4 }
        let now = T0
        for (let i = 0; i < 4; i++) {
          const state = await store.getFailureState('k')
          now = Math.max(now, state?.lockedUntil ?? now)
          expect((await store.beginAttempt('k', now, face)).allowed).toBe(true)
        }
        const locked = (await store.getFailureState('k'))!
        expect(locked.failures).toBe(4)
        expect(locked.lockedUntil).toBe(Number.MAX_SAFE_INTEGER)
        expect((await store.beginAttempt('k', now + 365 * 86_400_000, face)).allowed).toBe(false)
        await store.resetFailures('k')
        expect(await store.beginAttempt('k', now, face)).toEqual({ allowed: true, failures: 1 })
      })
    })

    describe('rate limits', () => {
      it('reads a window without counting a hit', async () => {
        const store = await fresh()
        expect(await store.getRateWindow('k')).toBeNull()
        await store.hitRateLimit('k', T0, 3, MINUTE)
        expect(await store.getRateWindow('k')).toEqual({ windowStart: T0, windowMs: MINUTE, count: 1 })
        expect(await store.getRateWindow('k')).toEqual({ windowStart: T0, windowMs: MINUTE, count: 1 })
      })

      it('allows the limit per window and says when the window ends', async () => {
        const store = await fresh()
        expect(await store.hitRateLimit('k', T0, 2, MINUTE)).toEqual({ allowed: true, count: 1 })
        expect(await store.hitRateLimit('k', T0 + 1000, 2, MINUTE)).toEqual({ allowed: true, count: 2 })
        expect(await store.hitRateLimit('k', T0 + 20_000, 2, MINUTE)).toEqual({ allowed: false, retryAfterMs: 40_000 })
        expect(await store.hitRateLimit('k', T0 + MINUTE, 2, MINUTE)).toEqual({ allowed: true, count: 1 })
      })

      it('never allows more than the limit under 50 parallel hits', async () => {
        const store = await fresh()
        const results = await parallel(50, () => store.hitRateLimit('k', T0, 10, MINUTE))
        expect(results.filter((r) => r.allowed)).toHaveLength(10)
      })
    })

    describe('second-factor outcomes', () => {
      const FACTOR = 'factor:otp:u1'
      /** A user with TOTP bound at step 100, and `count` live mfaTokens m0, m1, … */
      const bound = async (count = 1) => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.createUser(newUser('u2'))
        await store.putPendingTotp(pending('u1', 'p1'))
        await store.activatePendingTotp('u1', 'p1', 100, T0)
        for (let i = 0; i < count; i++) await store.putToken(token(`m${i}`, 'u1'))
        return store
      }
      const attempt = (mfaTokenHash: string, extra: Partial<MfaAttemptInput> = {}): MfaAttemptInput => ({
        mfaTokenHash,
        mfaTokenMaxAttempts: 5,
        mfaTokenWindowMs: 10 * MINUTE,
        factorKey: FACTOR,
        policy,
        now: T0,
        ...extra,
      })
      const success = (mfaTokenHash: string, step: number, extra: Partial<MfaSuccessInput> = {}): MfaSuccessInput => ({
        ...attempt(mfaTokenHash),
        userId: 'u1',
        totp: { totpId: 'p1', step },
        accessToken: token(`a-${mfaTokenHash}-${step}`, 'u1', { kind: 'access', method: 'mfa', expiresAt: T0 + 60 * MINUTE }),
        ...extra,
      })

      it('counts a wrong code on the factor and on the mfaToken, which dies after its budget', async () => {
        const store = await bound()
        expect(await store.recordMfaFailure(attempt('m0', { mfaTokenMaxAttempts: 3 }))).toEqual({ outcome: 'counted', failures: 1 })
        expect(await store.getFailureState(FACTOR)).toEqual({ failures: 1, lockouts: 0, lockedUntil: 0 })
        await store.recordMfaFailure(attempt('m0', { mfaTokenMaxAttempts: 3 }))
        await store.recordMfaFailure(attempt('m0', { mfaTokenMaxAttempts: 3 }))
        expect(await store.recordMfaFailure(attempt('m0', { mfaTokenMaxAttempts: 3 }))).toEqual({ outcome: 'token_exhausted' })
        expect(await store.getToken('m0', T0)).toBeNull()
        expect((await store.getFailureState(FACTOR))?.failures).toBe(3)
        expect(await store.recordMfaFailure(attempt('m0'))).toEqual({ outcome: 'token_invalid' })
      })

      it('shares the mfaToken budget with hitRateLimit on mfa-token-attempts:<hash>', async () => {
        const store = await bound()
        for (let i = 0; i < 4; i++) await store.hitRateLimit('mfa-token-attempts:m0', T0, 5, 10 * MINUTE)
        expect((await store.recordMfaFailure(attempt('m0'))).outcome).toBe('counted')
        expect(await store.recordMfaFailure(attempt('m0'))).toEqual({ outcome: 'token_exhausted' })
      })

      it('counts nothing for an unknown, expired or non-mfa token', async () => {
        const store = await bound()
        await store.putToken(token('old', 'u1', { expiresAt: T0 }))
        await store.putToken(token('acc', 'u1', { kind: 'access' }))
        for (const hash of ['nope', 'old', 'acc']) expect(await store.recordMfaFailure(attempt(hash))).toEqual({ outcome: 'token_invalid' })
        expect(await store.getFailureState(FACTOR)).toBeNull()
        expect(await store.getToken('acc', T0)).not.toBeNull()
      })

      it('locks the factor at the threshold and then refuses, still spending the mfaToken', async () => {
        const store = await bound(2)
        for (let i = 1; i <= 5; i++)
          expect(await store.recordMfaFailure(attempt('m0', { mfaTokenMaxAttempts: 20 }))).toEqual({ outcome: 'counted', failures: i })
        expect(await store.recordMfaFailure(attempt('m1', { now: T0 + 1000, mfaTokenMaxAttempts: 1 }))).toEqual({
          outcome: 'locked',
          retryAfterMs: 29_000,
        })
        expect(await store.recordMfaFailure(attempt('m1', { now: T0 + 1000, mfaTokenMaxAttempts: 1 }))).toEqual({
          outcome: 'token_exhausted',
        })
      })

      it('accepts a matching code all at once: step, mfaToken, failures, session and login count', async () => {
        const store = await bound()
        await store.recordMfaFailure(attempt('m0'))
        const result = await store.completeMfa(success('m0', 101, { now: T0 + 5000 }))
        expect(result.outcome).toBe('accepted')
        expect(result.outcome === 'accepted' && result.user).toMatchObject({ id: 'u1', loginsCount: 1, lastLoginAt: T0 + 5000 })
        expect((await store.getTotp('u1'))?.lastStep).toBe(101)
        expect(await store.getToken('m0', T0)).toBeNull()
        expect(await store.getFailureState(FACTOR)).toBeNull()
        expect(await store.getToken('a-m0-101', T0)).toMatchObject({ kind: 'access', userId: 'u1', method: 'mfa' })
        expect(await store.getUser('u1')).toMatchObject({ loginsCount: 1, lastLoginAt: T0 + 5000 })
      })

      it('counts a replayed step as a wrong code and changes nothing else', async () => {
        const store = await bound()
        for (const step of [100, 99]) {
          const result = await store.completeMfa(success('m0', step))
          expect(result.outcome).toBe('replayed')
        }
        expect((await store.getFailureState(FACTOR))?.failures).toBe(2)
        expect((await store.getTotp('u1'))?.lastStep).toBe(100)
        expect(await store.getToken('m0', T0)).not.toBeNull()
        expect(await store.getToken('a-m0-100', T0)).toBeNull()
        expect((await store.getUser('u1'))?.loginsCount).toBe(0)
        expect((await store.completeMfa(success('m0', 101, { totp: { totpId: 'other', step: 101 } }))).outcome).toBe('replayed')
      })

      it('refuses a matching code while the factor is locked, with the effect of a wrong code', async () => {
        const store = await bound(2)
        for (let i = 0; i < 5; i++) await store.recordMfaFailure(attempt('m0', { mfaTokenMaxAttempts: 20 }))
        expect(await store.completeMfa(success('m1', 101, { now: T0 + 1000 }))).toEqual({ outcome: 'locked', retryAfterMs: 29_000 })
        expect((await store.getTotp('u1'))?.lastStep).toBe(100)
        expect(await store.getToken('m1', T0)).not.toBeNull()
        expect(await store.getToken('a-m1-101', T0)).toBeNull()
        expect((await store.completeMfa(success('m1', 101, { now: T0 + 30_000 }))).outcome).toBe('accepted')
        expect(await store.getFailureState(FACTOR)).toBeNull()
      })

      it('refuses a matching code from an mfaToken that has used up its attempts, and deletes it', async () => {
        const store = await bound()
        await store.recordMfaFailure(attempt('m0', { mfaTokenMaxAttempts: 1 }))
        expect(await store.completeMfa(success('m0', 101, { mfaTokenMaxAttempts: 1 }))).toEqual({ outcome: 'token_exhausted' })
        expect(await store.getToken('m0', T0)).toBeNull()
        expect((await store.getTotp('u1'))?.lastStep).toBe(100)
      })

      it("refuses another user's, an expired or an unknown mfaToken and changes nothing", async () => {
        const store = await bound()
        await store.putToken(token('theirs', 'u2'))
        await store.putToken(token('old', 'u1', { expiresAt: T0 }))
        for (const hash of ['theirs', 'old', 'nope'])
          expect(await store.completeMfa(success(hash, 101))).toEqual({ outcome: 'token_invalid' })
        expect((await store.getTotp('u1'))?.lastStep).toBe(100)
        expect(await store.getToken('theirs', T0)).not.toBeNull()
        expect(await store.getFailureState(FACTOR)).toBeNull()
      })

      it('accepts exactly one of 50 parallel uses of one mfaToken and one step', async () => {
        const store = await bound()
        const results = await parallel(50, () => store.completeMfa(success('m0', 101)))
        expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1)
        expect((await store.getUser('u1'))?.loginsCount).toBe(1)
      })

      it('accepts exactly one of 50 parallel uses of one step with different mfaTokens; the rest count as wrong codes', async () => {
        const store = await bound(50)
        const results = await parallel(50, (i) => store.completeMfa(success(`m${i}`, 101, { policy: { ...policy, threshold: 100 } })))
        expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1)
        expect(results.filter((r) => r.outcome === 'replayed')).toHaveLength(49)
        expect((await store.getUser('u1'))?.loginsCount).toBe(1)
        expect((await store.getTotp('u1'))?.lastStep).toBe(101)
      })

      it('decides exactly the threshold of 50 parallel attempts, and a right code among them only before the lock', async () => {
        const store = await bound(50)
        const results = await parallel<MfaSuccessResult | MfaFailureResult>(50, (i) =>
          i === 25 ? store.completeMfa(success(`m${i}`, 101)) : store.recordMfaFailure(attempt(`m${i}`)),
        )
        const wrong = results.filter((r) => r.outcome === 'counted')
        const right = results[25]!
        if (right.outcome === 'accepted') {
          expect(wrong.length).toBeLessThanOrEqual(5)
        } else {
          expect(right.outcome).toBe('locked')
          expect(wrong).toHaveLength(5)
        }
        expect(results.filter((r) => r.outcome === 'locked').length + wrong.length + (right.outcome === 'accepted' ? 1 : 0)).toBe(50)
        const after = await store.completeMfa(success('m0', 102, { now: T0 + 1000 }))
        expect(after.outcome === 'accepted' || after.outcome === 'locked').toBe(true)
      })
    })

    describe('housekeeping', () => {
      it('purges expired tokens, codes and pending bindings but keeps live ones', async () => {
        const store = await fresh()
        await store.createUser(newUser('u1'))
        await store.createUser(newUser('u2'))
        await store.putToken(token('old', 'u1', { expiresAt: T0 + 1000 }))
        await store.putToken(token('new', 'u1', { expiresAt: T0 + MINUTE }))
        await store.putOobCode(oob('old', { expiresAt: T0 + 1000 }))
        await store.putOobCode(oob('new', { expiresAt: T0 + MINUTE }))
        await store.putPendingTotp(pending('u1', 'p1', { expiresAt: T0 + 1000 }))
        await store.putPendingTotp(pending('u2', 'p2', { expiresAt: T0 + MINUTE }))
        await store.purgeExpired(T0 + 2000)
        expect(await store.getToken('old', T0)).toBeNull()
        expect(await store.getToken('new', T0)).not.toBeNull()
        expect(await store.getPendingTotp('u1')).toBeNull()
        expect(await store.getPendingTotp('u2')).not.toBeNull()
        const base = { codeHash: 'h-123456', now: T0, userId: null, mfaTokenHash: null }
        expect(await store.consumeOobCode({ ...base, key: 'old' })).toEqual({ ok: false, reason: 'missing' })
        expect((await store.consumeOobCode({ ...base, key: 'new' })).ok).toBe(true)
      })
    })
  })
}
