/**
 * Regression tests for the findings of an attacker's review of the server, each replaying the
 * attack. The rules they pin are listed, with these test names, in the server README's security
 * section.
 */

import { AuthingCode, paths } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { describe, expect, it } from 'vitest'
import type { RsaPrivateJwk } from './crypto'
import { createCaller, createHarness, PASSWORD, type Harness } from './harness.testing'

const HOUR = 3_600_000
const PHONE = '13800138000'
const E164 = '+8613800138000'

const errorOf = (result: Awaited<ReturnType<Harness['gql']>>) => result.errors?.[0]?.message

/** A caller whose requests come from `clientAddress`, as the Node listener reports it. */
const from = (h: Harness, clientAddress: string) => createCaller((request) => h.server.fetch(request, { clientAddress }))

async function sendSms(h: Harness, phone: string, scene: string, token?: string) {
  return (await h.call('POST', paths.smsSend, { body: { phone, scene }, ...(token ? { token } : {}) })).body
}

async function signedInUser(h: Harness, email: string) {
  await h.register(email)
  const { user } = await h.login(email)
  return user!.token!
}

describe('1. the phone alone never gives a full session', () => {
  it('binding SMS during sign-in does not make the phone a login phone, so a phone-code sign-in fails', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await h.register('owner@example.com')
    const { mfaToken } = await h.loginForMfa('owner@example.com')
    await sendSms(h, PHONE, 'mfa-verify')
    const bound = await h.call('POST', paths.applicationSmsVerify, { body: { phone: PHONE, code: h.lastCode(PHONE) }, token: mfaToken })
    expect(bound.body.code).toBe(200)

    // The attack: no password, only the handset.
    h.clock.advance(60_000)
    const before = h.server.outbox().length
    await sendSms(h, PHONE, 'login')
    expect(h.server.outbox()).toHaveLength(before)
    await sendSms(h, PHONE, 'mfa-verify')
    const login = await h.gql('loginByPhoneCode', { input: { phone: PHONE, code: h.lastCode(PHONE) } })
    expect(errorOf(login)?.code).toBe(AuthingCode.INVALID_VERIFY_CODE)
    expect(login.data).toEqual({ loginByPhoneCode: null })
  })

  it('after a phone-code first factor, SMS is neither offered nor accepted as the second factor', async () => {
    const h = createHarness({ factors: ['SMS', 'EMAIL'] })
    const id = await h.register('owner@example.com')
    await h.server.store.bindContact(id, { channel: 'sms', value: E164, countryCode: '+86', now: h.clock.now(), useForLogin: true })
    await sendSms(h, PHONE, 'login')
    const trigger = errorOf(await h.gql('loginByPhoneCode', { input: { phone: PHONE, code: h.lastCode(PHONE) } }))!
    expect(trigger).toMatchObject({
      code: AuthingCode.MFA_APP_REQUIRED,
      data: { applicationMfa: [{ mfaPolicy: 'EMAIL' }], current: 'EMAIL' },
    })

    h.clock.advance(60_000)
    await sendSms(h, PHONE, 'mfa-verify', trigger.data.mfaToken)
    const second = await h.call('POST', paths.applicationSmsVerify, {
      body: { phone: PHONE, code: h.lastCode(PHONE) },
      token: trigger.data.mfaToken,
    })
    expect(second.body.code).toBe(AuthingCode.FACTOR_DISABLED)
    expect(second.body.data).toBeNull()
  })

  it('makes a phone a login phone only when a recently signed-in user asks for it', async () => {
    const h = createHarness()
    const token = await signedInUser(h, 'owner@example.com')
    await sendSms(h, PHONE, 'mfa-bind', token)
    const bound = await h.call('POST', paths.smsAssociate, { body: { phone: PHONE, code: h.lastCode(PHONE), useForLogin: true }, token })
    expect(bound.body.data).toMatchObject({ phone: E164, phoneVerified: true })
    h.clock.advance(60_000)
    await sendSms(h, PHONE, 'login')
    expect(
      (await h.gql('loginByPhoneCode', { input: { phone: PHONE, code: h.lastCode(PHONE) } })).data?.loginByPhoneCode.token,
    ).toBeTruthy()
  })
})

describe('2. a password alone cannot enrol a factor on an account that has one', () => {
  it('refuses TOTP and SMS binding with the mfaToken while the trigger offers the registered email', async () => {
    const h = createHarness({ factors: ['OTP', 'SMS', 'EMAIL'] })
    await h.register('victim@example.com')
    const { mfaToken, data } = await h.loginForMfa('victim@example.com')
    expect(data.current).toBe('EMAIL')
    const associate = await h.call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token: mfaToken })
    expect(associate.body.code).toBe(AuthingCode.UNAUTHENTICATED)
    expect(associate.body.data).toBeNull()
    await sendSms(h, PHONE, 'mfa-verify', mfaToken)
    const sms = await h.call('POST', paths.applicationSmsVerify, { body: { phone: PHONE, code: h.lastCode(PHONE) }, token: mfaToken })
    expect(sms.body.code).toBe(AuthingCode.UNAUTHENTICATED)
    expect((await h.server.store.findUserBy('email', 'victim@example.com'))?.mfaPhone).toBeNull()
  })

  it('re-checks the rule at confirmation: a binding started before the owner proved a factor cannot be finished', async () => {
    const h = createHarness({ factors: ['OTP', 'EMAIL'] })
    await h.gql('registerByUsername', { input: { username: 'victim', password: PASSWORD } })
    const signIn = async () =>
      errorOf(await h.gql('loginByUsername', { input: { username: 'victim', password: PASSWORD } }))!.data.mfaToken as string
    const attacker = await signIn()
    const started = await h.call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token: attacker })
    expect(started.body.code).toBe(200)

    const owner = await signIn()
    await h.call('POST', paths.emailSend, { body: { email: 'victim@example.com', scene: 'MFA_VERIFY' }, token: owner })
    const proven = await h.call('POST', paths.applicationEmailVerify, {
      body: { email: 'victim@example.com', code: h.lastCode('victim@example.com') },
      token: owner,
    })
    expect(proven.body.code).toBe(200)

    const totp = OTPAuth.URI.parse(started.body.data.qrcode_uri) as OTPAuth.TOTP
    const confirmed = await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(totp) }, token: attacker })
    expect(confirmed.body.code).toBe(AuthingCode.UNAUTHENTICATED)
    expect(await h.server.store.getTotp(proven.body.data.id)).toBeNull()
  })

  it('still lets an account with no factor at all bind its first one during sign-in', async () => {
    const h = createHarness({ factors: ['OTP'] })
    await h.register('new@example.com')
    const { mfaToken } = await h.loginForMfa('new@example.com')
    expect((await h.call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token: mfaToken })).body.code).toBe(200)
  })
})

/** `m^e mod n` for a raw RSA block, so that any padding can be sent. */
function rawRsa(jwk: RsaPrivateJwk, block: Uint8Array): string {
  const bigint = (b64url: string) => BigInt(`0x${Buffer.from(b64url, 'base64url').toString('hex')}`)
  const n = bigint(jwk.n)
  let result = 1n
  let base = BigInt(`0x${Buffer.from(block).toString('hex')}`) % n
  for (let exponent = bigint(jwk.e); exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % n
    base = (base * base) % n
  }
  const hex = result.toString(16).padStart(block.length * 2, '0')
  return Buffer.from(hex, 'hex').toString('base64')
}

function paddedBlock(size: number, header: number[], message: Uint8Array, separator = true): Uint8Array {
  const block = new Uint8Array(size)
  block.set(header, 0)
  const end = size - message.length - (separator ? 1 : 0)
  for (let i = header.length; i < end; i++) block[i] = 0x5a
  if (separator) block[end] = 0
  block.set(message, size - message.length)
  return block
}

describe('3. registration is no RSA padding oracle', () => {
  it('answers malformed padding, a wrong block type, a missing separator and bad plaintexts identically', async () => {
    const pair = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )
    const jwk = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as RsaPrivateJwk
    const h = createHarness({ allowPlainPasswords: false, rsaPrivateKey: jwk })
    const size = 256
    const text = (value: string) => new TextEncoder().encode(value)
    const ciphertexts = {
      'malformed padding': rawRsa(jwk, paddedBlock(size, [0x01, 0x02], text('correct horse battery'))),
      'wrong block type': rawRsa(jwk, paddedBlock(size, [0x00, 0x01], text('correct horse battery'))),
      'missing separator': rawRsa(jwk, paddedBlock(size, [0x00, 0x02], new Uint8Array(0), false)),
      'short plaintext': rawRsa(jwk, paddedBlock(size, [0x00, 0x02], text('short'))),
      'non-UTF-8 plaintext': rawRsa(
        jwk,
        paddedBlock(size, [0x00, 0x02], new Uint8Array([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80])),
      ),
      'not base64': '%%%',
    }
    const answers = []
    for (const [index, password] of Object.values(ciphertexts).entries()) {
      answers.push(errorOf(await h.gql('registerByEmail', { input: { email: `probe${index}@example.com`, password } })))
    }
    expect(answers[0]).toMatchObject({ code: AuthingCode.REGISTRATION_FAILED })
    for (const answer of answers) expect(answer).toEqual(answers[0])
    const valid = rawRsa(jwk, paddedBlock(size, [0x00, 0x02], text(PASSWORD)))
    expect(
      (await h.gql('registerByEmail', { input: { email: 'real@example.com', password: valid } })).data?.registerByEmail.id,
    ).toBeTruthy()
  }, 30_000)

  it('throttles registration per client address and overall, with retryAfterMs', async () => {
    const h = createHarness({ limits: { registrationsPerClientPerHour: 3, registrationsPerHour: 5 } })
    const attacker = from(h, '198.51.100.7')
    const register = (caller: ReturnType<typeof from>, email: string) =>
      caller.gql('registerByEmail', { input: { email, password: PASSWORD } })
    for (let i = 0; i < 3; i++) expect((await register(attacker, `a${i}@example.com`)).data?.registerByEmail).toBeTruthy()
    expect(errorOf(await register(attacker, 'a3@example.com'))).toMatchObject({
      code: AuthingCode.TOO_MANY_ATTEMPTS,
      data: { retryAfterMs: HOUR },
    })
    expect(errorOf(await register(attacker, 'taken@example.com'))?.code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
    for (let i = 0; i < 2; i++) expect((await register(from(h, `203.0.113.${i}`), `b${i}@example.com`)).data?.registerByEmail).toBeTruthy()
    expect(errorOf(await register(from(h, '203.0.113.99'), 'c@example.com'))?.code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
    h.clock.advance(HOUR)
    expect((await register(attacker, 'later@example.com')).data?.registerByEmail).toBeTruthy()
  })
})

describe('4. an old session cannot bind or change a factor', () => {
  it('answers 6006 to an 11-hour-old session binding TOTP, a phone or an email, and allows it after re-verification', async () => {
    const h = createHarness()
    const token = await signedInUser(h, 'owner@example.com')
    h.clock.advance(11 * HOUR)
    expect((await h.call('POST', paths.totpAssociate, { body: { source: 'SELF' }, token })).body.code).toBe(
      AuthingCode.RECENT_LOGIN_REQUIRED,
    )
    await sendSms(h, PHONE, 'mfa-bind', token)
    const phone = await h.call('POST', paths.smsAssociate, { body: { phone: PHONE, code: h.lastCode(PHONE) }, token })
    expect(phone.body.code).toBe(AuthingCode.RECENT_LOGIN_REQUIRED)
    expect((await h.call('POST', paths.emailAssociate, { body: { email: 'owner@example.com', code: '123456' }, token })).body.code).toBe(
      AuthingCode.RECENT_LOGIN_REQUIRED,
    )

    const options = await h.call('GET', paths.reverification, { token })
    expect(options.body.data).toMatchObject({ factors: [{ type: 'password' }], recentAuthMs: 300_000 })
    const reverified = await h.call('POST', paths.reverification, { body: { type: 'password', password: PASSWORD }, token })
    expect(reverified.body.code).toBe(200)
    expect((await h.call('POST', paths.totpAssociate, { body: { source: 'SELF' }, token })).body.code).toBe(200)
  })

  it('tells a dead token (2206) from a live one that needs a recent sign-in (6006)', async () => {
    const h = createHarness()
    const token = await signedInUser(h, 'owner@example.com')
    h.clock.advance(13 * HOUR)
    expect((await h.call('POST', paths.totpAssociate, { body: {}, token })).body.code).toBe(AuthingCode.LOGIN_EXPIRED)
  })

  it('confirms a SELF binding only while the authentication is still recent', async () => {
    const h = createHarness()
    const token = await signedInUser(h, 'owner@example.com')
    const started = await h.call('POST', paths.totpAssociate, { body: { source: 'SELF' }, token })
    const totp = OTPAuth.URI.parse(started.body.data.qrcode_uri) as OTPAuth.TOTP
    h.clock.advance(6 * 60_000)
    expect((await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(totp) }, token })).body.code).toBe(
      AuthingCode.RECENT_LOGIN_REQUIRED,
    )
  })
})

describe('5. code sending cannot be used to pump SMS or bomb a phone', () => {
  it('keys every limit on the E.164 number, however it is spelled', async () => {
    const h = createHarness()
    expect((await h.call('POST', paths.smsSend, { body: { phone: PHONE, phoneCountryCode: '+86' } })).body.code).toBe(200)
    for (const phone of [E164, '+86 138 0013 8000', '008613800138000', '１３８００１３８０００']) {
      expect((await h.call('POST', paths.smsSend, { body: { phone } })).body.code).toBe(AuthingCode.SEND_RATE_LIMITED)
    }
  })

  it('limits sends per client address and for the whole server, with retryAfterMs, before calling the provider', async () => {
    const h = createHarness({ limits: { sendsPerClientPerHour: 3, sendsPerHour: 5 } })
    const pump = from(h, '198.51.100.7')
    const send = (caller: ReturnType<typeof from>, i: number) =>
      caller.call('POST', paths.smsSend, { body: { phone: `+861380013${String(8100 + i)}` } })
    for (let i = 0; i < 3; i++) expect((await send(pump, i)).body.code).toBe(200)
    expect((await send(pump, 3)).body).toMatchObject({ code: AuthingCode.SEND_RATE_LIMITED, data: { retryAfterMs: HOUR } })
    for (let i = 4; i < 6; i++) expect((await send(from(h, `203.0.113.${i}`), i)).body.code).toBe(200)
    expect((await send(from(h, '203.0.113.50'), 50)).body.code).toBe(AuthingCode.SEND_RATE_LIMITED)
    expect(h.server.outbox()).toHaveLength(5)
  })

  it('refuses a body that is not declared as JSON with 415, which takes away the CORS simple request', async () => {
    const h = createHarness()
    const body = JSON.stringify({ phone: PHONE })
    for (const contentType of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const result = await h.call('POST', paths.smsSend, { rawBody: body, headers: { 'content-type': contentType } })
      expect(result.status).toBe(415)
      expect(result.body.code).toBe(AuthingCode.UNSUPPORTED_MEDIA_TYPE)
    }
    expect((await h.call('POST', paths.smsSend, { rawBody: body })).status).toBe(415)
    expect(h.server.outbox()).toHaveLength(0)
  })

  it('answers CORS only for configured origins; dev allows only the local playground and Storybook', async () => {
    const cors = async (h: Harness, origin: string) =>
      (await h.call('POST', paths.smsSend, { body: { phone: PHONE }, headers: { origin } })).headers.get('access-control-allow-origin')
    const production = createHarness({
      dev: false,
      senders: { sms: { send: async () => {} } },
      allowedOrigins: ['https://app.example.com'],
    })
    expect(await cors(production, 'https://app.example.com')).toBe('https://app.example.com')
    expect(await cors(production, 'https://evil.example')).toBeNull()
    const dev = createHarness({ dev: true })
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:6006']) expect(await cors(dev, origin)).toBe(origin)
    for (const origin of ['https://evil.example', 'http://localhost:8080', 'null']) expect(await cors(dev, origin)).toBeNull()
  })
})

describe('7. enumeration and squatting', () => {
  it('lets the owner who proves a phone bind it over an unverified claim, which is released', async () => {
    const h = createHarness({ factors: ['SMS'] })
    const squatter = (
      await h.gql('registerByEmail', { input: { email: 'squatter@example.com', password: PASSWORD, profile: { phone: PHONE } } })
    ).data!.registerByEmail.id
    await h.gql('registerByUsername', { input: { username: 'owner', password: PASSWORD } })
    const mfaToken = errorOf(await h.gql('loginByUsername', { input: { username: 'owner', password: PASSWORD } }))!.data.mfaToken as string
    expect((await h.call('POST', paths.applicationCheck, { body: { phone: PHONE }, token: mfaToken })).body.data).toBe(true)
    await sendSms(h, PHONE, 'mfa-verify', mfaToken)
    const bound = await h.call('POST', paths.applicationSmsVerify, { body: { phone: PHONE, code: h.lastCode(PHONE) }, token: mfaToken })
    expect(bound.body.code).toBe(200)
    expect(await h.server.store.getUser(squatter)).toMatchObject({ phone: null, phoneCountryCode: null })
  })
})

describe('8. the password lockout counts per account', () => {
  it('shares one budget between the email and the phone that name the account', async () => {
    const h = createHarness({ limits: { passwordFailureThreshold: 4 } })
    await h.gql('registerByEmail', { input: { email: 'owner@example.com', password: PASSWORD, profile: { phone: PHONE } } })
    const byEmail = () => h.gql('loginByEmail', { input: { email: 'owner@example.com', password: 'wrong password' } })
    const byPhone = () => h.gql('loginByPhonePassword', { input: { phone: E164, password: 'wrong password' } })
    for (const attempt of [byEmail, byPhone, byEmail, byPhone]) expect(errorOf(await attempt())?.code).toBe(AuthingCode.INVALID_CREDENTIALS)
    expect(errorOf(await byPhone())?.code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
    expect(errorOf(await h.gql('loginByEmail', { input: { email: 'owner@example.com', password: PASSWORD } }))?.code).toBe(
      AuthingCode.TOO_MANY_ATTEMPTS,
    )
  })
})

describe('9. dev mode', () => {
  it('shows the outbox to loopback clients and to the process itself only', async () => {
    const h = createHarness({ dev: true })
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
      expect((await from(h, address).call('GET', paths.devOutbox)).status).toBe(200)
    expect((await h.call('GET', paths.devOutbox)).status).toBe(200)
    for (const address of ['192.168.1.20', '203.0.113.5', '::ffff:10.0.0.1']) {
      const remote = await from(h, address).call('GET', paths.devOutbox)
      expect(remote.status).toBe(404)
      expect(remote.body.data).toBeNull()
    }
  })
})
