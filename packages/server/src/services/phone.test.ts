/**
 * Phones as login identifiers: a phone given at registration signs in with a password; a login
 * phone proven by a code also signs in with a code. Every spelling of a number is one E.164 number
 * and one account (TOK-10), and every phone sign-in still passes the MFA policy (TOK-11).
 */

import { AuthingCode, paths } from '@mfa-kit/protocol'
import { describe, expect, it } from 'vitest'
import { createHarness, PASSWORD, type Harness } from '../harness.testing'

const PHONE = '13800001234'
/** PHONE as the server keeps and shows it. */
const E164 = '+8613800001234'
/** Ways people type PHONE: spaces, dashes, dots, brackets, full-width digits, with and without +86. */
const SPELLINGS = [
  PHONE,
  ' 138 0000 1234 ',
  '138-0000-1234',
  '(138) 0000.1234',
  '１３８００００１２３４',
  E164,
  '+86 138 0000 1234',
  '008613800001234',
]

type GqlResult = Awaited<ReturnType<Harness['gql']>>

const errorOf = (result: GqlResult) => result.errors?.[0]?.message
const registerByEmail = (h: Harness, email: string, profile: Record<string, unknown> = {}) =>
  h.gql('registerByEmail', { input: { email, password: PASSWORD, profile } })
const phonePassword = (h: Harness, phone: string, password = PASSWORD) => h.gql('loginByPhonePassword', { input: { phone, password } })
const phoneCode = (h: Harness, phone: string, code: string) => h.gql('loginByPhoneCode', { input: { phone, code } })
const sendSms = async (h: Harness, phone: string, scene?: string) =>
  (await h.call('POST', paths.smsSend, { body: { phone, ...(scene ? { scene } : {}) } })).body
const messagesTo = (h: Harness, phone: string) => h.server.outbox().filter((m) => m.to.endsWith(phone)).length
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000')

/** Binds `phone` (as typed) through SMS MFA during a sign-in and returns the signed-in user. */
async function bindBySms(h: Harness, email: string, phone: string) {
  const { mfaToken } = await h.loginForMfa(email)
  await sendSms(h, phone, 'mfa-verify')
  const code = h.lastCode(phone.replace(/[\s\-().]/g, ''))
  const verified = await h.call('POST', paths.applicationSmsVerify, { body: { phone, code, phoneCountryCode: '+86' }, token: mfaToken })
  expect(verified.body.code).toBe(200)
  return verified.body.data
}

/** A server without MFA policy and an account whose login phone is already verified. */
async function verifiedPhoneAccount() {
  const h = createHarness()
  await h.server.store.createUser({ id: 'u1', username: null, email: null, phone: E164, passwordHash: null, createdAt: h.clock.now() })
  await h.server.store.bindContact('u1', { channel: 'sms', value: E164, countryCode: '+86', now: h.clock.now(), useForLogin: true })
  return h
}

describe('phones at registration', () => {
  it('takes profile.phone in canonical form with its country code, unverified', async () => {
    const h = createHarness()
    const byEmail = await registerByEmail(h, 'a@example.com', { phone: ' 138-0000-1234 ', phoneCountryCode: '86' })
    expect(byEmail.data?.registerByEmail).toMatchObject({ phone: E164, phoneCountryCode: '+86', phoneVerified: false })
    const byName = await h.gql('registerByUsername', {
      input: { username: 'bob', password: PASSWORD, phoneCountryCode: '+86', profile: { phone: '(139) 0000 1234' } },
    })
    expect(byName.data?.registerByUsername).toMatchObject({
      username: 'bob',
      phone: '+8613900001234',
      phoneCountryCode: '+86',
      phoneVerified: false,
    })
    const user = await h.server.store.findUserBy('phone', E164)
    expect(user).toMatchObject({ email: 'a@example.com', mfaPhone: null, mfaPhoneVerified: false })
  })

  it('refuses an invalid phone with 6011, a malformed country code with 400 and a taken phone in any spelling with 2026', async () => {
    const h = createHarness()
    expect(errorOf(await registerByEmail(h, 'a@example.com', { phone: 'call me' }))?.code).toBe(AuthingCode.INVALID_PHONE)
    expect(errorOf(await registerByEmail(h, 'a@example.com', { phone: '12' }))?.code).toBe(AuthingCode.INVALID_PHONE)
    expect(errorOf(await registerByEmail(h, 'a@example.com', { phone: '+86 12' }))?.code).toBe(AuthingCode.INVALID_PHONE)
    expect(errorOf(await registerByEmail(h, 'a@example.com', { phone: PHONE, phoneCountryCode: 'x1' }))?.code).toBe(400)
    expect(errorOf(await registerByEmail(h, 'a@example.com', { phone: 13800001234 }))?.code).toBe(400)
    expect((await registerByEmail(h, 'a@example.com', { phone: PHONE })).data?.registerByEmail).toBeTruthy()
    for (const [i, spelling] of SPELLINGS.entries()) {
      expect(errorOf(await registerByEmail(h, `b${i}@example.com`, { phone: spelling }))?.code).toBe(AuthingCode.USER_EXISTS)
    }
    expect(await h.server.store.findUserBy('email', 'b1@example.com')).toBeNull()
  })
})

describe('loginByPhonePassword', () => {
  it('TOK-10: every spelling of the registered phone signs in to the same account; a wrong password is 2333', async () => {
    const h = createHarness()
    const id = (await registerByEmail(h, 'a@example.com', { phone: PHONE })).data?.registerByEmail.id
    for (const spelling of SPELLINGS) {
      const result = await phonePassword(h, spelling)
      expect(result.data?.loginByPhonePassword).toMatchObject({ id, phone: E164, token: expect.any(String) })
    }
    expect(errorOf(await phonePassword(h, PHONE, 'wrong password'))?.code).toBe(AuthingCode.INVALID_CREDENTIALS)
    expect(errorOf(await phonePassword(h, '13800009999'))?.code).toBe(AuthingCode.INVALID_CREDENTIALS)
  })

  it('TOK-10 / TOK-11: every spelling meets the application policy (1636) with the same account in the trigger', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await registerByEmail(h, 'a@example.com', { phone: PHONE })
    for (const spelling of SPELLINGS) {
      const result = await phonePassword(h, spelling)
      expect(result.data).toEqual({ loginByPhonePassword: null })
      expect(errorOf(result)).toMatchObject({
        code: AuthingCode.MFA_APP_REQUIRED,
        data: { email: 'a@example.com', phone: E164, mfaToken: expect.any(String) },
      })
    }
  })

  it("TOK-11: meets the user's own TOTP (1635)", async () => {
    const h = createHarness()
    await registerByEmail(h, 'a@example.com', { phone: PHONE })
    await h.bindTotp((await h.login('a@example.com')).user!.token!)
    const result = await phonePassword(h, ' 138-0000-1234')
    expect(errorOf(result)).toMatchObject({ code: AuthingCode.MFA_TOTP_REQUIRED, data: { phone: E164, mfaToken: expect.any(String) } })
  })
})

describe('phones proven through SMS MFA', () => {
  it('verifies the registered phone when the same number is bound', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await registerByEmail(h, 'a@example.com', { phone: PHONE })
    const user = await bindBySms(h, 'a@example.com', '138 0000 1234')
    expect(user).toMatchObject({ phone: E164, phoneVerified: true, token: expect.any(String) })
  })

  it('does not make a phone bound during sign-in a login phone of an account without one', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await h.gql('registerByUsername', { input: { username: 'carol', password: PASSWORD } })
    const mfaToken = errorOf(await h.gql('loginByUsername', { input: { username: 'carol', password: PASSWORD } }))!.data.mfaToken
    await sendSms(h, PHONE, 'mfa-verify')
    const verified = await h.call('POST', paths.applicationSmsVerify, {
      body: { phone: PHONE, code: h.lastCode(PHONE), phoneCountryCode: '+86' },
      token: mfaToken,
    })
    expect(verified.body.data).toMatchObject({ username: 'carol', phone: null, phoneVerified: false })
    expect(await h.server.store.getUser(verified.body.data.id)).toMatchObject({
      mfaPhone: E164,
      mfaPhoneCountryCode: '+86',
      mfaPhoneVerified: true,
    })
    expect(errorOf(await phonePassword(h, '138-0000-1234'))?.code).toBe(AuthingCode.INVALID_CREDENTIALS)
    h.clock.advance(60_000)
    await sendSms(h, PHONE, 'login')
    expect(messagesTo(h, PHONE)).toBe(1)
  })

  it('leaves a different registered phone unverified and unusable for code sign-in', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await registerByEmail(h, 'a@example.com', { phone: PHONE })
    const user = await bindBySms(h, 'a@example.com', '13900001234')
    expect(user).toMatchObject({ phone: E164, phoneVerified: false })
    h.clock.advance(60_000)
    const before = messagesTo(h, PHONE) + messagesTo(h, '13900001234')
    await sendSms(h, PHONE, 'login')
    await sendSms(h, '13900001234', 'login')
    expect(messagesTo(h, PHONE) + messagesTo(h, '13900001234')).toBe(before)
    expect(errorOf(await phoneCode(h, '13900001234', h.lastCode('13900001234')))?.code).toBe(AuthingCode.INVALID_VERIFY_CODE)
  })

  it('with shared devices, never takes the proven login phone of another account', async () => {
    const h = createHarness({ factors: ['SMS'], sharedDevicesAllowed: true })
    await registerByEmail(h, 'owner@example.com', { phone: PHONE })
    await bindBySms(h, 'owner@example.com', PHONE)
    await registerByEmail(h, 'family@example.com')
    h.clock.advance(60_000)
    const user = await bindBySms(h, 'family@example.com', PHONE)
    expect(user).toMatchObject({ phone: null, phoneVerified: false })
    expect((await h.server.store.findUserBy('phone', E164))?.email).toBe('owner@example.com')
  })
})

describe('loginByPhoneCode', () => {
  it('does not sign in with an unverified phone, and sends it no login code while answering the same', async () => {
    const h = createHarness()
    await registerByEmail(h, 'a@example.com', { phone: PHONE })
    expect(await sendSms(h, PHONE, 'login')).toEqual({ code: 200, message: 'OK', data: { resendAfterMs: 60_000, expiresInMs: 300_000 } })
    expect(messagesTo(h, PHONE)).toBe(0)
    h.clock.advance(60_000)
    await sendSms(h, PHONE)
    const result = await phoneCode(h, PHONE, h.lastCode(PHONE))
    expect(errorOf(result)?.code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    expect(result.data).toEqual({ loginByPhoneCode: null })
  })

  it('TOK-10 / TOK-11: signs in with a proven login phone, in any spelling, and still meets the MFA policy without SMS', async () => {
    const h = createHarness({ factors: ['SMS', 'EMAIL'] })
    const { id } = (await registerByEmail(h, 'a@example.com', { phone: PHONE })).data!.registerByEmail
    await h.server.store.bindContact(id, { channel: 'sms', value: E164, countryCode: '+86', now: h.clock.now() })
    for (const spelling of SPELLINGS) {
      h.clock.advance(60_000)
      await sendSms(h, spelling, 'login')
      const result = await phoneCode(h, spelling, h.lastCode(PHONE))
      expect(errorOf(result)).toMatchObject({
        code: AuthingCode.MFA_APP_REQUIRED,
        data: { email: 'a@example.com', mfaPhone: E164, applicationMfa: [{ mfaPolicy: 'EMAIL' }], current: 'EMAIL' },
      })
    }
    const trigger = errorOf(await phonePassword(h, PHONE))!.data
    h.clock.advance(60_000)
    await sendSms(h, PHONE, 'mfa-verify')
    const done = await h.call('POST', paths.applicationSmsVerify, {
      body: { phone: PHONE, code: h.lastCode(PHONE) },
      token: trigger.mfaToken,
    })
    expect(done.body.data).toMatchObject({ email: 'a@example.com', token: expect.any(String) })
  })

  it('refuses a phone-code sign-in when SMS is the only factor the application offers', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await registerByEmail(h, 'a@example.com', { phone: PHONE })
    await bindBySms(h, 'a@example.com', PHONE)
    h.clock.advance(60_000)
    await sendSms(h, PHONE, 'login')
    expect(errorOf(await phoneCode(h, PHONE, h.lastCode(PHONE)))?.code).toBe(AuthingCode.FACTOR_DISABLED)
  })

  it("TOK-11: meets the user's own TOTP (1635)", async () => {
    const h = await verifiedPhoneAccount()
    await sendSms(h, PHONE, 'login')
    const session = await phoneCode(h, PHONE, h.lastCode(PHONE))
    await h.bindTotp(session.data!.loginByPhoneCode.token)
    h.clock.advance(60_000)
    await sendSms(h, PHONE, 'login')
    expect(errorOf(await phoneCode(h, PHONE, h.lastCode(PHONE)))).toMatchObject({ code: AuthingCode.MFA_TOTP_REQUIRED })
  })

  it('accepts codes sent with the login scene or no scene, once, and never MFA codes', async () => {
    const h = await verifiedPhoneAccount()
    await sendSms(h, PHONE, 'mfa-verify')
    expect(errorOf(await phoneCode(h, PHONE, h.lastCode(PHONE)))?.code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    h.clock.advance(60_000)
    await sendSms(h, PHONE)
    expect((await phoneCode(h, PHONE, h.lastCode(PHONE))).data?.loginByPhoneCode).toMatchObject({ id: 'u1', token: expect.any(String) })
    h.clock.advance(60_000)
    await sendSms(h, PHONE, 'login')
    const code = h.lastCode(PHONE)
    expect((await phoneCode(h, PHONE, code)).data?.loginByPhoneCode).toMatchObject({
      id: 'u1',
      phoneVerified: true,
      token: expect.any(String),
    })
    expect(errorOf(await phoneCode(h, PHONE, code))?.code).toBe(AuthingCode.INVALID_VERIFY_CODE)
  })

  it('answers 2300 only to the expired code itself, counts every attempt and then locks', async () => {
    const h = await verifiedPhoneAccount()
    await sendSms(h, PHONE, 'login')
    const code = h.lastCode(PHONE)
    h.clock.advance(5 * 60_000)
    const answers: Array<number | undefined> = []
    for (const attempt of [otherThan(code), code, code, otherThan(code), otherThan(code), code]) {
      answers.push(errorOf(await phoneCode(h, PHONE, attempt))?.code)
    }
    expect(answers).toEqual([
      AuthingCode.INVALID_VERIFY_CODE,
      AuthingCode.VERIFY_CODE_EXPIRED,
      AuthingCode.VERIFY_CODE_EXPIRED,
      AuthingCode.INVALID_VERIFY_CODE,
      AuthingCode.INVALID_VERIFY_CODE,
      AuthingCode.TOO_MANY_ATTEMPTS,
    ])
  })
})
