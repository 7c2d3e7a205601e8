/**
 * The signed-in session: sign-out, re-verification, recovery-code regeneration, and phone and email
 * factors bound from the session (source SELF), with the notices they send (REC-05, OOB-08).
 */

import { AuthingCode, paths } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { describe, expect, it } from 'vitest'
import { createHarness, PASSWORD, type Harness } from '../harness.testing'

const HOUR = 3_600_000
const PHONE = '13800138000'

async function session(h: Harness, email = 'owner@example.com') {
  await h.register(email)
  return (await h.login(email)).user!.token!
}

const notices = (h: Harness) => h.server.outbox().filter((message) => message.code === null)

async function bindPhone(h: Harness, token: string, phone = PHONE) {
  await h.call('POST', paths.smsSend, { body: { phone, scene: 'mfa-bind' }, token })
  return h.call('POST', paths.smsAssociate, { body: { phone, code: h.lastCode(phone) }, token })
}

async function bindEmail(h: Harness, token: string, email: string) {
  await h.call('POST', paths.emailSend, { body: { email, scene: 'MFA_VERIFY' }, token })
  return h.call('POST', paths.emailAssociate, { body: { email, code: h.lastCode(email) }, token })
}

describe('sign-out', () => {
  it('revokes the access token it is called with, and answers the same for a dead one', async () => {
    const h = createHarness()
    const token = await session(h)
    expect((await h.call('GET', `${paths.logout}?app_id=demo`, { token })).body).toEqual({ code: 200, message: 'OK', data: null })
    expect((await h.call('GET', paths.authenticators, { token })).body.code).toBe(AuthingCode.LOGIN_EXPIRED)
    expect((await h.call('GET', paths.logout, { token })).body.code).toBe(200)
    expect((await h.call('GET', paths.logout)).body.code).toBe(200)
  })
})

describe('re-verification', () => {
  it('offers TOTP only once it is bound, and refreshes the session with a fresh code, never a replayed one', async () => {
    const h = createHarness()
    const token = await session(h)
    const { totp } = await h.bindTotp(token)
    await bindEmail(h, token, 'owner@example.com')
    h.clock.advance(HOUR)
    expect((await h.call('GET', paths.reverification, { token })).body.data).toMatchObject({
      factors: [{ type: 'totp' }],
      recentAuthMs: 300_000,
    })
    expect((await h.call('POST', paths.reverification, { body: { type: 'email', code: '000000' }, token })).body.code).toBe(
      AuthingCode.FACTOR_DISABLED,
    )
    const code = h.code(totp)
    const done = await h.call('POST', paths.reverification, { body: { type: 'totp', code }, token })
    expect(done.body.data).toEqual({
      authenticatedAt: new Date(h.clock.now()).toISOString(),
      recentUntil: new Date(h.clock.now() + 300_000).toISOString(),
    })
    expect((await h.call('POST', paths.reverification, { body: { type: 'totp', code }, token })).body.code).toBe(AuthingCode.INVALID_TOTP)
    expect((await h.call('DELETE', paths.totpAssociate, { token })).body.code).toBe(200)
  })

  it('shares the TOTP failure counter with sign-in, so re-verification cannot be used to guess', async () => {
    const h = createHarness()
    const token = await session(h)
    const { totp } = await h.bindTotp(token)
    const wrong = h.code(totp) === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++)
      expect((await h.call('POST', paths.reverification, { body: { type: 'totp', code: wrong }, token })).body.code).toBe(
        AuthingCode.INVALID_TOTP,
      )
    const locked = await h.call('POST', paths.reverification, { body: { type: 'totp', code: h.code(totp) }, token })
    expect(locked.body).toMatchObject({ code: AuthingCode.TOO_MANY_ATTEMPTS, data: { retryAfterMs: 30_000 } })
    const { mfaToken } = await h.loginForMfa('owner@example.com')
    expect((await h.call('POST', paths.totpVerify, { body: { totp: h.code(totp) }, token: mfaToken })).body.code).toBe(
      AuthingCode.TOO_MANY_ATTEMPTS,
    )
  })

  it('re-verifies with a code sent to the proven phone, bound to the signed-in user', async () => {
    const h = createHarness()
    const token = await session(h)
    await bindPhone(h, token)
    h.clock.advance(HOUR)
    expect((await h.call('GET', paths.reverification, { token })).body.data.factors).toEqual([
      { type: 'sms', destination: '+86 138****8000' },
    ])
    expect((await h.call('POST', paths.reverificationSend, { body: { channel: 'email' }, token })).body.code).toBe(
      AuthingCode.FACTOR_DISABLED,
    )
    expect((await h.call('POST', paths.reverificationSend, { body: { channel: 'sms' }, token })).body.code).toBe(200)
    const other = await session(h, 'other@example.com')
    const stolen = await h.call('POST', paths.reverification, { body: { type: 'sms', code: h.lastCode(PHONE) }, token: other })
    expect(stolen.body.code).toBe(AuthingCode.FACTOR_DISABLED)
    expect((await h.call('POST', paths.reverification, { body: { type: 'sms', code: h.lastCode(PHONE) }, token })).body.code).toBe(200)
    expect((await h.call('DELETE', paths.smsAssociate, { token })).body.code).toBe(200)
  })

  it('answers a wrong password with 2333 and refuses bad bodies with 400', async () => {
    const h = createHarness()
    const token = await session(h)
    expect((await h.call('POST', paths.reverification, { body: { type: 'password', password: 'wrong password' }, token })).body.code).toBe(
      AuthingCode.INVALID_CREDENTIALS,
    )
    for (const body of [{}, { type: 'face' }, { type: 'totp' }, { type: 'password', password: 7 }]) {
      expect((await h.call('POST', paths.reverification, { body, token })).body.code).toBe(400)
    }
    expect((await h.call('POST', paths.reverificationSend, { body: { channel: 'fax' }, token })).body.code).toBe(400)
    expect((await h.call('GET', paths.reverification)).body.code).toBe(AuthingCode.UNAUTHENTICATED)
  })
})

describe('recovery-code regeneration', () => {
  it('needs a recent authentication, replaces every older code, shows the new one once and sends a notice', async () => {
    const h = createHarness()
    const token = await session(h)
    const { association } = await h.bindTotp(token)
    h.clock.advance(HOUR)
    expect((await h.call('POST', paths.recoveryCodeRegenerate, { token })).body.code).toBe(AuthingCode.RECENT_LOGIN_REQUIRED)
    await h.call('POST', paths.reverification, {
      body: { type: 'totp', code: h.code(OTPAuth.URI.parse(association.qrcode_uri) as OTPAuth.TOTP) },
      token,
    })
    const before = notices(h).length
    const regenerated = await h.call('POST', paths.recoveryCodeRegenerate, { token })
    const fresh = regenerated.body.data.recoveryCode as string
    expect(fresh).toMatch(/\S{8,}/)
    expect(fresh).not.toBe(association.recovery_code)
    expect(notices(h)).toHaveLength(before + 1)
    expect(notices(h)[0]).toMatchObject({ channel: 'email', to: 'owner@example.com', code: null })
    expect(notices(h)[0]!.text).not.toContain(fresh)

    const useCode = async (recoveryCode: string) => {
      const { mfaToken } = await h.loginForMfa('owner@example.com')
      return (await h.call('POST', paths.totpRecovery, { body: { recoveryCode }, token: mfaToken })).body.code
    }
    expect(await useCode(association.recovery_code)).toBe(AuthingCode.INVALID_RECOVERY_CODE)
    expect(await useCode(fresh)).toBe(200)
  })

  it('answers 6003 without TOTP', async () => {
    const h = createHarness()
    const token = await session(h)
    expect((await h.call('POST', paths.recoveryCodeRegenerate, { token })).body.code).toBe(AuthingCode.NOT_BOUND)
  })
})

describe('phone and email bound from the session (SELF)', () => {
  it('binds a phone with a code sent under the session, lists it masked, and notifies the account', async () => {
    const h = createHarness()
    const token = await session(h)
    await bindEmail(h, token, 'owner@example.com')
    const bound = await bindPhone(h, token)
    expect(bound.body.data).toMatchObject({ phone: null, phoneVerified: false })
    const listed = (await h.call('GET', `${paths.authenticators}?type=all`, { token })).body.data
    expect(
      listed.map((entry: { authenticatorType: string; destination?: string }) => [entry.authenticatorType, entry.destination]),
    ).toEqual([
      ['sms', '+86 138****8000'],
      ['email', 'o***@example.com'],
    ])
    expect((await h.call('GET', `${paths.authenticators}?type=totp`, { token })).body.data).toEqual([])
    expect(notices(h)[0]).toMatchObject({ channel: 'email', to: 'owner@example.com' })
    expect(notices(h)[0]!.text).toContain('A phone was added')
  })

  it('refuses a code sent to another session, a wrong code, and a second phone', async () => {
    const h = createHarness()
    const token = await session(h)
    const other = await session(h, 'other@example.com')
    await h.call('POST', paths.smsSend, { body: { phone: PHONE, scene: 'mfa-bind' }, token: other })
    expect((await h.call('POST', paths.smsAssociate, { body: { phone: PHONE, code: h.lastCode(PHONE) }, token })).body.code).toBe(
      AuthingCode.INVALID_VERIFY_CODE,
    )
    h.clock.advance(60_000)
    expect((await bindPhone(h, token)).body.code).toBe(200)
    h.clock.advance(60_000)
    expect((await bindPhone(h, token, '13900139000')).body.code).toBe(AuthingCode.ALREADY_BOUND)
  })

  it('binds another email in place of the unproven sign-up address, which the list never showed; a proven one stays', async () => {
    const h = createHarness()
    const token = await session(h)
    const listed = async () =>
      (await h.call('GET', `${paths.authenticators}?type=all`, { token })).body.data.map(
        (entry: { authenticatorType: string; destination?: string }) => [entry.authenticatorType, entry.destination],
      )
    expect(await listed()).toEqual([])
    expect((await bindEmail(h, token, 'second@example.com')).body.code).toBe(200)
    expect(await listed()).toEqual([['email', 's***@example.com']])
    expect(await h.server.store.findUserBy('email', 'owner@example.com')).toMatchObject({
      mfaEmail: 'second@example.com',
      mfaEmailVerified: true,
    })
    expect(notices(h).some((m) => m.to === 'second@example.com' && m.text.includes('added'))).toBe(true)
    h.clock.advance(60_000)
    expect((await bindEmail(h, token, 'third@example.com')).body.code).toBe(AuthingCode.ALREADY_BOUND)
  })

  it('unbinds a phone, telling both the account and the removed number', async () => {
    const h = createHarness()
    const token = await session(h)
    await bindEmail(h, token, 'owner@example.com')
    await bindPhone(h, token)
    expect((await h.call('DELETE', paths.smsAssociate, { token })).body.code).toBe(200)
    const [toPhone, toEmail] = [
      notices(h).find((m) => m.channel === 'sms'),
      notices(h).find((m) => m.text.includes('removed') && m.channel === 'email'),
    ]
    expect(toPhone).toMatchObject({ to: '+8613800138000' })
    expect(toEmail).toMatchObject({ to: 'owner@example.com' })
    expect((await h.call('DELETE', paths.smsAssociate, { token })).body.code).toBe(AuthingCode.NOT_BOUND)
    expect((await h.server.store.findUserBy('email', 'owner@example.com'))?.mfaPhone).toBeNull()
  })

  it('refuses a phone that another account has proven, after the code is checked', async () => {
    const h = createHarness()
    await bindPhone(h, await session(h, 'first@example.com'))
    h.clock.advance(60_000)
    const second = await session(h, 'second@example.com')
    const refused = await bindPhone(h, second)
    expect(refused.body.code).toBe(AuthingCode.ALREADY_BOUND)
    expect(refused.body.message).toBe('This phone number cannot be bound to this account')
  })

  it('lets a registered password account be created with phone and password by code (registerByPhoneCode)', async () => {
    const h = createHarness()
    await h.call('POST', paths.smsSend, { body: { phone: PHONE, scene: 'register' } })
    const created = await h.gql('registerByPhoneCode', {
      input: { phone: PHONE, code: h.lastCode(PHONE), password: PASSWORD, forceLogin: true },
    })
    expect(created.data?.registerByPhoneCode).toMatchObject({ token: expect.any(String) })
    const user = await h.server.store.findUserBy('phone', '+8613800138000')
    expect(user).toMatchObject({ mfaPhone: '+8613800138000', mfaPhoneVerified: true })
    h.clock.advance(60_000)
    await h.call('POST', paths.smsSend, { body: { phone: PHONE, scene: 'register' } })
    const again = await h.gql('registerByPhoneCode', { input: { phone: PHONE, code: h.lastCode(PHONE) } })
    expect(again.errors?.[0]?.message.code).toBe(AuthingCode.USER_EXISTS)
    const wrong = await h.gql('registerByPhoneCode', { input: { phone: '13900139000', code: '000000' } })
    expect(wrong.errors?.[0]?.message.code).toBe(AuthingCode.INVALID_VERIFY_CODE)
  })
})
