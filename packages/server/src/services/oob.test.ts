/** SMS and email codes and the bindability check (SECURITY.md rows OOB and ENUM). */

import { AuthingCode, paths } from '@mfa-kit/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCodeHasher } from '../crypto'
import type { OutgoingMessage } from '../delivery/types'
import { createHarness, TEST_KEY, type Harness } from '../harness.testing'
import { smsText } from './oob'

afterEach(() => vi.restoreAllMocks())

async function smsUser(h: Harness, email: string) {
  await h.register(email)
  return h.loginForMfa(email)
}

const send = (h: Harness, phone: string, token?: string) =>
  h.call('POST', paths.smsSend, { body: { phone, scene: 'mfa-verify' }, ...(token ? { token } : {}) })

const verifySms = async (h: Harness, mfaToken: string, phone: string, code: string) =>
  (await h.call('POST', paths.applicationSmsVerify, { body: { phone, code }, token: mfaToken })).body

describe('out-of-band codes', () => {
  it('OOB-01: codes are 6 CSPRNG digits with an even spread', async () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues')
    const h = createHarness({ factors: ['SMS'] })
    const counts = Array(10).fill(0)
    for (let i = 0; i < 200; i++) {
      const phone = `1380000${String(i).padStart(4, '0')}`
      await send(h, phone)
      const code = h.lastCode(phone)
      expect(code).toMatch(/^[0-9]{6}$/)
      for (const digit of code) counts[Number(digit)]++
    }
    expect(spy).toHaveBeenCalled()
    // 1200 digits, 120 expected per value; a fair source lands outside 60..180 with p < 1e-8.
    for (const count of counts) expect(count).toBeGreaterThan(60)
    for (const count of counts) expect(count).toBeLessThan(180)
  })

  it('OOB-02: a code expires after 5 minutes', async () => {
    const h = createHarness({ factors: ['SMS'] })
    const a = await smsUser(h, 'a@example.com')
    await send(h, '13800000001')
    h.clock.advance(5 * 60_000 - 1)
    expect((await verifySms(h, a.mfaToken, '13800000001', h.lastCode('13800000001'))).code).toBe(200)
    const b = await smsUser(h, 'b@example.com')
    await send(h, '13800000002')
    h.clock.advance(5 * 60_000 + 1)
    expect((await verifySms(h, b.mfaToken, '13800000002', h.lastCode('13800000002'))).code).toBe(AuthingCode.VERIFY_CODE_EXPIRED)
  })

  it('OOB-02: an expired code answers 2300 only when it is the code that was sent, however often it is retried', async () => {
    const h = createHarness({ factors: ['SMS'] })
    const a = await smsUser(h, 'a@example.com')
    await send(h, '13800000001')
    const code = h.lastCode('13800000001')
    const wrong = code === '000000' ? '111111' : '000000'
    h.clock.advance(5 * 60_000)
    expect(await verifySms(h, a.mfaToken, '13800000001', wrong)).toEqual({
      code: AuthingCode.INVALID_VERIFY_CODE,
      message: 'Wrong verification code',
      data: null,
    })
    expect((await verifySms(h, a.mfaToken, '13800000001', code)).code).toBe(AuthingCode.VERIFY_CODE_EXPIRED)
    expect((await verifySms(h, a.mfaToken, '13800000001', code)).code).toBe(AuthingCode.VERIFY_CODE_EXPIRED)
    expect((await verifySms(h, a.mfaToken, '13800000009', code)).code).toBe(AuthingCode.INVALID_VERIFY_CODE)

    const byEmail = createHarness({ factors: ['EMAIL'] })
    const b = await smsUser(byEmail, 'b@example.com')
    await byEmail.call('POST', paths.emailSend, { body: { email: 'b@example.com', scene: 'MFA_VERIFY_CODE' } })
    const emailed = byEmail.lastCode('b@example.com')
    byEmail.clock.advance(5 * 60_000 + 1)
    const verifyEmail = async (code: string) =>
      (await byEmail.call('POST', paths.applicationEmailVerify, { body: { email: 'b@example.com', code }, token: b.mfaToken })).body.code
    expect(await verifyEmail(emailed === '000000' ? '111111' : '000000')).toBe(AuthingCode.INVALID_VERIFY_CODE)
    expect(await verifyEmail(emailed)).toBe(AuthingCode.VERIFY_CODE_EXPIRED)
    expect(await verifyEmail(emailed)).toBe(AuthingCode.VERIFY_CODE_EXPIRED)
  })

  it('OOB-02 / VER-04: answers to an expired code count as failures towards the lock', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await h.register('a@example.com')
    await send(h, '13800000001')
    const code = h.lastCode('13800000001')
    h.clock.advance(5 * 60_000)
    const answers: number[] = []
    for (let i = 0; i < 6; i++) {
      const { mfaToken } = await h.loginForMfa('a@example.com')
      answers.push((await verifySms(h, mfaToken, '13800000001', code)).code)
    }
    expect(answers).toEqual([...Array(5).fill(AuthingCode.VERIFY_CODE_EXPIRED), AuthingCode.TOO_MANY_ATTEMPTS])
  })

  it('OOB-03: a code is bound to its destination, to the mfaToken that asked for it, and to its user', async () => {
    const h = createHarness({ factors: ['SMS'] })
    const a = await smsUser(h, 'a@example.com')
    const b = await smsUser(h, 'b@example.com')
    await send(h, '13800000001')
    const codeA = h.lastCode('13800000001')
    expect((await verifySms(h, a.mfaToken, '13800000009', codeA)).code).toBe(AuthingCode.INVALID_VERIFY_CODE)

    await send(h, '13800000003', a.mfaToken)
    const bound = h.lastCode('13800000003')
    expect((await verifySms(h, b.mfaToken, '13800000003', bound)).code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    const a2 = await h.loginForMfa('a@example.com')
    expect((await verifySms(h, a2.mfaToken, '13800000003', bound)).code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    expect((await verifySms(h, a.mfaToken, '13800000003', bound)).code).toBe(200)
    expect((await verifySms(h, b.mfaToken, '13800000003', bound)).code).toBe(AuthingCode.INVALID_VERIFY_CODE)
  })

  it('OOB-04: a resend replaces the old code and keeps the failure count', async () => {
    const h = createHarness({ factors: ['SMS'] })
    const a = await smsUser(h, 'a@example.com')
    await send(h, '13800000001')
    const old = h.lastCode('13800000001')
    const wrong = (code: string) => (code === '999999' ? '999998' : '999999')
    for (let i = 0; i < 3; i++)
      expect((await verifySms(h, a.mfaToken, '13800000001', wrong(old))).code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    h.clock.advance(60_000)
    await send(h, '13800000001')
    const fresh = h.lastCode('13800000001')
    const next = await h.loginForMfa('a@example.com')
    const oldAnswer = await verifySms(h, next.mfaToken, '13800000001', old === fresh ? wrong(fresh) : old)
    expect(oldAnswer.code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    expect((await verifySms(h, next.mfaToken, '13800000001', wrong(fresh))).code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    expect((await verifySms(h, next.mfaToken, '13800000001', fresh)).code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
  })

  it('OOB-05: only a keyed hash of the code is stored', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await send(h, '13800000001')
    const code = h.lastCode('13800000001')
    const base = { key: 'sms:+8613800000001', now: h.clock.now(), userId: null, mfaTokenHash: null }
    expect((await h.server.store.consumeOobCode({ ...base, codeHash: code })).ok).toBe(false)
    const hasher = await createCodeHasher(TEST_KEY)
    const hash = await hasher.hash('oob', ['sms', '+8613800000001', 'mfa'], code)
    expect((await h.server.store.consumeOobCode({ ...base, codeHash: hash })).ok).toBe(true)
  })

  it('OOB-06: sends are limited per destination (1/min, 10/hour) and per user, without calling the provider', async () => {
    const delivered: OutgoingMessage[] = []
    const h = createHarness({ factors: ['SMS'], dev: false, senders: { sms: { send: async (m) => void delivered.push(m) } } })
    expect((await send(h, '13800000001')).body.code).toBe(200)
    const soon = await send(h, '13800000001')
    expect(soon.body).toMatchObject({ code: AuthingCode.SEND_RATE_LIMITED, apiCode: 2080, data: { retryAfterMs: 60_000, retryAfter: 60 } })
    for (let i = 0; i < 9; i++) {
      h.clock.advance(60_000)
      expect((await send(h, '13800000001')).body.code).toBe(200)
    }
    h.clock.advance(60_000)
    const eleventh = await send(h, '13800000001')
    expect(eleventh.body.code).toBe(AuthingCode.SEND_RATE_LIMITED)
    expect(eleventh.body.data.retryAfterMs).toBe(3_600_000 - 10 * 60_000)
    expect(delivered).toHaveLength(10)

    const user = await smsUser(h, 'u@example.com')
    for (let i = 0; i < 10; i++) expect((await send(h, `1390000000${i}`, user.mfaToken)).body.code).toBe(200)
    expect((await send(h, '13900000010', user.mfaToken)).body.code).toBe(AuthingCode.SEND_RATE_LIMITED)
    expect(delivered).toHaveLength(20)
  })

  it('OOB-09: the SMS text ends with "@host #code"', () => {
    const text = smsText('Acme', '123456', 300_000, 'app.example.com')
    expect(text.split('\n').at(-1)).toBe('@app.example.com #123456')
    expect(text).toContain('5 minutes')
  })
})

describe('bindability check', () => {
  it('ENUM-01: answers only with an mfaToken, at most 5 times per token', async () => {
    const h = createHarness({ factors: ['SMS'] })
    expect((await h.call('POST', paths.applicationCheck, { body: { phone: '13800000001' } })).body.code).toBe(AuthingCode.UNAUTHENTICATED)
    await h.register('a@example.com')
    const { mfaToken } = await h.loginForMfa('a@example.com')
    for (let i = 0; i < 5; i++) {
      expect((await h.call('POST', paths.applicationCheck, { body: { phone: `1380000000${i}` }, token: mfaToken })).body.code).toBe(200)
    }
    const sixth = await h.call('POST', paths.applicationCheck, { body: { phone: '13800000009' }, token: mfaToken })
    expect(sixth.body).toMatchObject({ code: AuthingCode.TOO_MANY_ATTEMPTS, data: { retryAfterMs: expect.any(Number) } })
  })

  it('ENUM-01: is also limited per user across mfaTokens', async () => {
    const h = createHarness({ factors: ['SMS'], limits: { checksPerUserPerHour: 3 } })
    await h.register('a@example.com')
    const answers = []
    for (let i = 0; i < 4; i++) {
      const { mfaToken } = await h.loginForMfa('a@example.com')
      answers.push((await h.call('POST', paths.applicationCheck, { body: { phone: '13800000001' }, token: mfaToken })).body.code)
    }
    expect(answers).toEqual([200, 200, 200, AuthingCode.TOO_MANY_ATTEMPTS])
  })

  it('ENUM-02: with shared devices allowed, a taken and a free number get byte-identical answers', async () => {
    const h = createHarness({ factors: ['SMS'], sharedDevicesAllowed: true })
    const owner = await smsUser(h, 'owner@example.com')
    await send(h, '13800000001')
    expect((await verifySms(h, owner.mfaToken, '13800000001', h.lastCode('13800000001'))).code).toBe(200)
    const { mfaToken } = await smsUser(h, 'probe@example.com')
    const check = async (phone: string) => {
      const response = await h.server.fetch(
        new Request(`http://mfa.test${paths.applicationCheck}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${mfaToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ phone }),
        }),
      )
      return { status: response.status, text: await response.text() }
    }
    expect(await check('13800000001')).toEqual(await check('13800000002'))
  })

  it('ENUM-02: with shared devices allowed, a number in use can be bound by a second account', async () => {
    const h = createHarness({ factors: ['SMS'], sharedDevicesAllowed: true })
    const a = await smsUser(h, 'a@example.com')
    await send(h, '13800000001')
    expect((await verifySms(h, a.mfaToken, '13800000001', h.lastCode('13800000001'))).code).toBe(200)
    const b = await smsUser(h, 'b@example.com')
    h.clock.advance(60_000)
    await send(h, '13800000001')
    expect((await verifySms(h, b.mfaToken, '13800000001', h.lastCode('13800000001'))).code).toBe(200)
  })

  it('ENUM-03: same status and shape for taken and free; conflicts surface only after proof of possession', async () => {
    const h = createHarness({ factors: ['SMS'] })
    const owner = await smsUser(h, 'owner@example.com')
    await send(h, '13800000001')
    await verifySms(h, owner.mfaToken, '13800000001', h.lastCode('13800000001'))
    const probe = await smsUser(h, 'probe@example.com')
    const taken = await h.call('POST', paths.applicationCheck, { body: { phone: '13800000001' }, token: probe.mfaToken })
    const free = await h.call('POST', paths.applicationCheck, { body: { phone: '13800000002' }, token: probe.mfaToken })
    expect(taken.status).toBe(free.status)
    expect(Object.keys(taken.body)).toEqual(Object.keys(free.body))
    expect([taken.body.code, free.body.code]).toEqual([200, 200])

    h.clock.advance(60_000)
    await send(h, '13800000001')
    await send(h, '13800000002')
    const wrong = (phone: string) => (h.lastCode(phone) === '000000' ? '111111' : '000000')
    const wrongTaken = await verifySms(h, probe.mfaToken, '13800000001', wrong('13800000001'))
    const wrongFree = await verifySms(h, probe.mfaToken, '13800000002', wrong('13800000002'))
    expect(wrongTaken).toEqual(wrongFree)
    const proven = await verifySms(h, probe.mfaToken, '13800000001', h.lastCode('13800000001'))
    expect(proven).toEqual({ code: AuthingCode.ALREADY_BOUND, message: 'This phone number cannot be bound to this account', data: null })
    const user = await h.server.store.findUserBy('email', 'probe@example.com')
    expect(user?.mfaPhone).toBeNull()
  })
})
