import { AuthingCode, paths } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../harness.testing'

async function signedIn(h: Harness, email = 'alice@example.com') {
  await h.register(email)
  const login = await h.login(email)
  return login.user!.token!
}

async function totpUser(h: Harness, email = 'alice@example.com') {
  const token = await signedIn(h, email)
  const bound = await h.bindTotp(token)
  return { token, ...bound }
}

describe('GET /api/v2/mfa/authenticator', () => {
  it('lists nothing for a user without TOTP', async () => {
    const h = createHarness()
    const token = await signedIn(h)
    const result = await h.call('GET', `${paths.authenticators}?type=totp&source=SELF`, { token })
    expect(result.status).toBe(200)
    expect(result.body).toEqual({ code: 200, message: 'OK', data: [] })
  })

  it('lists a bound authenticator without its secret or recovery code', async () => {
    const h = createHarness()
    const { token } = await totpUser(h)
    const result = await h.call('GET', `${paths.authenticators}?authenticator_type=totp`, { token })
    expect(result.body.data).toHaveLength(1)
    expect(result.body.data[0]).toMatchObject({ enable: true, secret: '', recoveryCode: '', authenticatorType: 'totp' })
    expect(Object.keys(result.body.data[0]).sort()).toEqual(
      ['authenticatorType', 'createdAt', 'enable', 'id', 'recoveryCode', 'secret', 'updatedAt', 'userId'].sort(),
    )
  })

  it('accepts the mfaToken as a bare authorization value, as Guard sends it', async () => {
    const h = createHarness({ factors: ['OTP'] })
    await h.register('bob@example.com')
    const { mfaToken } = await h.loginForMfa('bob@example.com')
    const result = await h.call('GET', `${paths.authenticators}?source=APPLICATION`, { token: mfaToken, bare: true })
    expect(result.body).toMatchObject({ code: 200, data: [] })
  })

  it('answers other authenticator types with an empty list', async () => {
    const h = createHarness()
    const { token } = await totpUser(h)
    const result = await h.call('GET', `${paths.authenticators}?type=face`, { token })
    expect(result.body.data).toEqual([])
  })

  it('needs a credential', async () => {
    const h = createHarness()
    expect((await h.call('GET', paths.authenticators)).body.code).toBe(AuthingCode.UNAUTHENTICATED)
    expect((await h.call('GET', paths.authenticators, { token: 'not-a-token' })).body.code).toBe(AuthingCode.LOGIN_EXPIRED)
  })
})

describe('TOTP binding', () => {
  it('returns the association in snake_case with an otpauth URI and a recovery code', async () => {
    const h = createHarness({ issuer: 'Acme' })
    const token = await signedIn(h)
    const result = await h.call('POST', paths.totpAssociate, { body: { authenticator_type: 'totp', source: 'SELF' }, token })
    expect(result.body.code).toBe(200)
    const data = result.body.data
    expect(Object.keys(data).sort()).toEqual(['authenticator_type', 'qrcode_data_url', 'qrcode_uri', 'recovery_code', 'secret'])
    expect(data.authenticator_type).toBe('totp')
    expect(data.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(data.recovery_code).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    const uri = new URL(data.qrcode_uri)
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.host).toBe('totp')
    expect(decodeURIComponent(uri.pathname)).toBe('/Acme:alice@example.com')
    expect(uri.searchParams.get('secret')).toBe(data.secret)
    expect(uri.searchParams.get('issuer')).toBe('Acme')
  })

  it('tolerates a body without authenticator_type and an empty body', async () => {
    const h = createHarness()
    const token = await signedIn(h)
    expect((await h.call('POST', paths.totpAssociate, { body: { source: 'SELF' }, token })).body.code).toBe(200)
    expect((await h.call('POST', paths.totpAssociate, { token })).body.code).toBe(200)
  })

  it('confirms with a code from the app and answers the SDK with code 200', async () => {
    const h = createHarness()
    const token = await signedIn(h)
    const associated = await h.call('POST', paths.totpAssociate, { body: {}, token })
    const totp = OTPAuth.URI.parse(associated.body.data.qrcode_uri) as OTPAuth.TOTP
    const confirmed = await h.call('POST', paths.totpAssociateConfirm, {
      body: { authenticator_type: 'totp', totp: h.code(totp), source: 'SELF' },
      token,
    })
    expect(confirmed.body.code).toBe(200)
    expect(confirmed.body.data.id).toBeTruthy()
    const list = await h.call('GET', paths.authenticators, { token })
    expect(list.body.data).toHaveLength(1)
  })

  it('answers a wrong confirm code with 6001', async () => {
    const h = createHarness()
    const token = await signedIn(h)
    await h.call('POST', paths.totpAssociate, { body: {}, token })
    const result = await h.call('POST', paths.totpAssociateConfirm, { body: { totp: '000000' }, token })
    expect(result.status).toBe(200)
    expect(result.body.code).toBe(AuthingCode.INVALID_TOTP)
  })

  it('binds during sign-in with the mfaToken (APPLICATION) and signs the user in', async () => {
    const h = createHarness({ factors: ['OTP'] })
    await h.register('carol@example.com')
    const { mfaToken, data } = await h.loginForMfa('carol@example.com')
    expect(data.totpMfaEnabled).toBe(false)
    const associated = await h.call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token: mfaToken, bare: true })
    expect(associated.body.code).toBe(200)
    const totp = OTPAuth.URI.parse(associated.body.data.qrcode_uri) as OTPAuth.TOTP
    const confirmed = await h.call('POST', paths.totpAssociateConfirm, {
      body: { authenticator_type: 'totp', totp: h.code(totp), source: 'APPLICATION' },
      token: mfaToken,
      bare: true,
    })
    expect(confirmed.body.code).toBe(200)
    expect(confirmed.body.data.email).toBe('carol@example.com')
    expect(confirmed.body.data.token).toBeTruthy()
    const again = await h.call('GET', paths.authenticators, { token: mfaToken })
    expect(again.body.code).toBe(AuthingCode.LOGIN_EXPIRED)
  })

  it("confirms an APPLICATION binding with the user's access token, as the SDK's confirm call sends it", async () => {
    const h = createHarness()
    const token = await signedIn(h, 'dave@example.com')
    const associated = await h.call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token })
    const totp = OTPAuth.URI.parse(associated.body.data.qrcode_uri) as OTPAuth.TOTP
    const confirmed = await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(totp), source: 'APPLICATION' }, token })
    expect(confirmed.body.code).toBe(200)
  })

  it('refuses a confirm without any credential', async () => {
    const h = createHarness()
    const token = await signedIn(h)
    const associated = await h.call('POST', paths.totpAssociate, { body: {}, token })
    const totp = OTPAuth.URI.parse(associated.body.data.qrcode_uri) as OTPAuth.TOTP
    const result = await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(totp) } })
    expect(result.body.code).toBe(AuthingCode.UNAUTHENTICATED)
  })

  it('answers confirm without a pending binding with 6003', async () => {
    const h = createHarness()
    const token = await signedIn(h)
    expect((await h.call('POST', paths.totpAssociateConfirm, { body: { totp: '123456' }, token })).body.code).toBe(AuthingCode.NOT_BOUND)
  })

  it('refuses TOTP binding during sign-in when the application does not offer OTP', async () => {
    const h = createHarness({ factors: ['EMAIL'] })
    await h.register('erin@example.com')
    const { mfaToken } = await h.loginForMfa('erin@example.com')
    expect((await h.call('POST', paths.totpAssociate, { body: {}, token: mfaToken })).body.code).toBe(AuthingCode.FACTOR_DISABLED)
  })
})

describe('DELETE /api/v2/mfa/totp/associate', () => {
  it('unbinds with a fresh session', async () => {
    const h = createHarness()
    const { token } = await totpUser(h)
    const result = await h.call('DELETE', paths.totpAssociate, { token })
    expect(result.body).toEqual({ code: 200, message: 'OK', data: null })
    expect((await h.call('GET', paths.authenticators, { token })).body.data).toEqual([])
    expect((await h.login('alice@example.com')).user?.token).toBeTruthy()
  })

  it('answers 6003 when nothing is bound', async () => {
    const h = createHarness()
    const token = await signedIn(h)
    expect((await h.call('DELETE', paths.totpAssociate, { token })).body.code).toBe(AuthingCode.NOT_BOUND)
  })
})

describe('POST /api/v2/mfa/totp/verify', () => {
  it('signs the user in with a fresh token', async () => {
    const h = createHarness()
    const { token: first, totp } = await totpUser(h)
    const { mfaToken, code, data } = await h.loginForMfa('alice@example.com')
    expect(code).toBe(AuthingCode.MFA_TOTP_REQUIRED)
    expect(Object.keys(data).sort()).toEqual(['avatar', 'email', 'mfaToken', 'nickname', 'phone', 'phoneCountryCode', 'username'])
    const result = await h.call('POST', paths.totpVerify, { body: { totp: h.code(totp) }, token: mfaToken })
    expect(result.body.code).toBe(200)
    expect(result.body.data).toMatchObject({ email: 'alice@example.com', loginsCount: 2 })
    expect(result.body.data.token).toBeTruthy()
    expect(result.body.data.token).not.toBe(first)
    expect(result.body.data.token).not.toBe(mfaToken)
  })

  it('gives Guard callers the flow-end envelope on both verify paths', async () => {
    const h = createHarness()
    const { totp } = await totpUser(h)
    for (const path of [paths.applicationTotpVerify, paths.totpVerify]) {
      const { mfaToken } = await h.loginForMfa('alice@example.com')
      const result = await h.call('POST', path, {
        body: { totp: h.code(totp) },
        token: mfaToken,
        headers: { 'x-authing-request-from': 'Guard@5.3.9' },
      })
      expect(result.body).toMatchObject({ code: 200, statusCode: 302, apiCode: 1600, data: { user: { email: 'alice@example.com' } } })
      expect(result.body.data.user.token).toBeTruthy()
      h.clock.advance(30_000)
    }
  })

  it('answers SDK callers of the application path with the plain user', async () => {
    const h = createHarness()
    const { totp } = await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const result = await h.call('POST', paths.applicationTotpVerify, {
      body: { totp: h.code(totp) },
      token: mfaToken,
      headers: { 'x-authing-request-from': 'sdk' },
    })
    expect(result.body.code).toBe(200)
    expect(result.body.statusCode).toBeUndefined()
    expect(result.body.data.email).toBe('alice@example.com')
  })

  it('answers a wrong code with 6001 over HTTP 200', async () => {
    const h = createHarness()
    await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const result = await h.call('POST', paths.totpVerify, { body: { totp: '000000' }, token: mfaToken })
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ code: 6001, data: null })
  })
})

describe('POST /api/v2/mfa/totp/recovery', () => {
  it('signs in with the recovery code and returns a new one at the top level', async () => {
    const h = createHarness()
    const { association } = await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const result = await h.call('POST', paths.totpRecovery, {
      body: { recoveryCode: association.recovery_code },
      token: mfaToken,
      bare: true,
    })
    expect(result.body.code).toBe(200)
    expect(result.body.data.token).toBeTruthy()
    expect(result.body.recoveryCode).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    expect(result.body.recoveryCode).not.toBe(association.recovery_code)
  })

  it('answers a wrong code with 6002 and keeps the mfaToken usable', async () => {
    const h = createHarness()
    const { totp } = await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const wrong = await h.call('POST', paths.totpRecovery, { body: { recoveryCode: '0000-0000-0000-0000-0000-0000' }, token: mfaToken })
    expect(wrong.body.code).toBe(AuthingCode.INVALID_RECOVERY_CODE)
    const right = await h.call('POST', paths.totpVerify, { body: { totp: h.code(totp) }, token: mfaToken })
    expect(right.body.code).toBe(200)
  })
})

describe('SMS and email MFA', () => {
  it('sends an SMS code and verifies it, binding the phone the user did not have', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await h.register('frank@example.com')
    const { mfaToken, data } = await h.loginForMfa('frank@example.com')
    expect(data.mfaPhone).toBeNull()
    const sent = await h.call('POST', paths.smsSend, { body: { phone: '13800001111', phoneCountryCode: '+86', scene: 'mfa-verify' } })
    expect(sent.body).toEqual({ code: 200, message: 'OK', data: { resendAfterMs: 60_000, expiresInMs: 300_000 } })
    const code = h.lastCode('13800001111')
    expect(code).toMatch(/^[0-9]{6}$/)
    const verified = await h.call('POST', paths.applicationSmsVerify, {
      body: { phone: '13800001111', code, phoneCountryCode: '+86' },
      token: mfaToken,
    })
    expect(verified.body.code).toBe(200)
    expect(verified.body.data.token).toBeTruthy()
    const next = await h.loginForMfa('frank@example.com')
    expect(next.data).toMatchObject({ mfaPhone: '+8613800001111', mfaPhoneCountryCode: '+86', current: 'SMS' })
  })

  it('sends an email code (REST and GraphQL) and verifies it with the Guard envelope', async () => {
    const h = createHarness({ factors: ['EMAIL'] })
    await h.register('gina@example.com')
    const { mfaToken, data } = await h.loginForMfa('gina@example.com')
    expect(data.mfaEmail).toBe('gina@example.com')
    const sent = await h.call('POST', paths.emailSend, { body: { email: 'gina@example.com', scene: 'MFA_VERIFY_CODE' } })
    expect(sent.body.code).toBe(200)
    const verified = await h.call('POST', paths.applicationEmailVerify, {
      body: { email: 'gina@example.com', code: h.lastCode('gina@example.com') },
      token: mfaToken,
      headers: { 'x-authing-request-from': 'Guard@5.3.9' },
    })
    expect(verified.body).toMatchObject({
      code: 200,
      statusCode: 302,
      apiCode: 1600,
      data: { user: { email: 'gina@example.com', emailVerified: true } },
    })

    h.clock.advance(60_000)
    const second = await h.loginForMfa('gina@example.com')
    const gql = await h.call('POST', paths.graphql, {
      body: {
        query: 'mutation sendEmail($email: String!, $scene: EmailScene!) { sendEmail(email: $email, scene: $scene) { message code } }',
        variables: { email: 'gina@example.com', scene: 'MFA_VERIFY' },
      },
    })
    expect(gql.body).toEqual({ data: { sendEmail: { code: 200, message: 'OK' } } })
    const again = await h.call('POST', paths.applicationEmailVerify, {
      body: { email: 'gina@example.com', code: h.lastCode('gina@example.com') },
      token: second.mfaToken,
    })
    expect(again.body.code).toBe(200)
  })

  it('ends SMS texts with the origin-bound line for the configured host only, whatever Origin asked (OOB-09)', async () => {
    const h = createHarness({ factors: ['SMS'], smsOriginHost: 'app.example.com' })
    await h.call('POST', paths.smsSend, {
      body: { phone: '13800002222', scene: 'mfa-verify' },
      headers: { origin: 'https://phish.example' },
    })
    const message = h.server.outbox()[0]!
    expect(message.text.split('\n').at(-1)).toBe(`@app.example.com #${message.code}`)
    expect(message.text).not.toContain('phish')
  })

  it('leaves the origin-bound line out when no host is configured, instead of trusting the Origin header', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await h.call('POST', paths.smsSend, {
      body: { phone: '13800002222', scene: 'mfa-verify' },
      headers: { origin: 'https://phish.example' },
    })
    const message = h.server.outbox()[0]!
    expect(message.text).not.toContain('@')
    expect(message.text).not.toContain('phish')
    expect(message.text).toContain(message.code!)
  })

  it('answers a wrong SMS code with 2001 and an expired one with 2300', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await h.register('hank@example.com')
    const { mfaToken } = await h.loginForMfa('hank@example.com')
    await h.call('POST', paths.smsSend, { body: { phone: '13800003333', scene: 'mfa-verify' } })
    const wrong = await h.call('POST', paths.applicationSmsVerify, { body: { phone: '13800003333', code: '000000' }, token: mfaToken })
    expect(wrong.body.code).toBe(h.lastCode('13800003333') === '000000' ? 200 : AuthingCode.INVALID_VERIFY_CODE)
    h.clock.advance(5 * 60_000 + 1)
    const late = await h.call('POST', paths.applicationSmsVerify, {
      body: { phone: '13800003333', code: h.lastCode('13800003333') },
      token: mfaToken,
    })
    expect(late.body.code).toBe(AuthingCode.VERIFY_CODE_EXPIRED)
  })

  it('refuses SMS verification when the application does not offer SMS', async () => {
    const h = createHarness({ factors: ['EMAIL'] })
    await h.register('ivan@example.com')
    const { mfaToken } = await h.loginForMfa('ivan@example.com')
    const result = await h.call('POST', paths.applicationSmsVerify, { body: { phone: '13800004444', code: '123456' }, token: mfaToken })
    expect(result.body.code).toBe(AuthingCode.FACTOR_DISABLED)
  })

  it('refuses unsupported send scenes with a clear error', async () => {
    const h = createHarness({ factors: ['SMS', 'EMAIL'] })
    expect((await h.call('POST', paths.smsSend, { body: { phone: '13800005555', scene: 'reset' } })).body.code).toBe(400)
    expect((await h.call('POST', paths.emailSend, { body: { email: 'a@example.com', scene: 'RESET_PASSWORD' } })).body.code).toBe(400)
  })

  it('reports delivery problems when no sender is configured outside dev mode', async () => {
    const h = createHarness({ factors: ['SMS'], dev: false })
    const result = await h.call('POST', paths.smsSend, { body: { phone: '13800006666', scene: 'mfa-verify' } })
    expect(result.body.code).toBe(AuthingCode.DELIVERY_FAILED)
  })

  it('hands messages to the configured sender', async () => {
    const sent: Array<{ to: string; text: string }> = []
    const h = createHarness({ factors: ['EMAIL'], dev: false, senders: { email: { send: async (m) => void sent.push(m) } } })
    await h.call('POST', paths.emailSend, { body: { email: 'Judy@Example.com', scene: 'MFA_VERIFY_CODE' } })
    expect(sent).toHaveLength(1)
    expect(sent[0]!.to).toBe('judy@example.com')
    expect(sent[0]!.text).toMatch(/verification code is [0-9]{6}/)
  })
})

describe('POST /api/v2/applications/mfa/check', () => {
  it('answers whether a phone or email can be bound: a proven one cannot, a merely typed-in one can', async () => {
    const h = createHarness({ factors: ['SMS'] })
    const kate = await h.register('kate@example.com')
    await h.register('leo@example.com')
    const { mfaToken } = await h.loginForMfa('leo@example.com')
    const check = async (body: Record<string, string>) => (await h.call('POST', paths.applicationCheck, { body, token: mfaToken })).body
    expect(await check({ email: 'kate@example.com' })).toEqual({ code: 200, message: 'OK', data: true })
    await h.server.store.bindContact(kate, { channel: 'email', value: 'kate@example.com', countryCode: null, now: h.clock.now() })
    expect(await check({ email: 'KATE@example.com' })).toEqual({ code: 200, message: 'OK', data: false })
    expect((await check({ phone: '13800007777' })).data).toBe(true)
  })

  it('needs exactly one well-formed phone or email', async () => {
    const h = createHarness({ factors: ['SMS'] })
    await h.register('mia@example.com')
    const { mfaToken } = await h.loginForMfa('mia@example.com')
    const answer = async (body: Record<string, unknown>) =>
      (await h.call('POST', paths.applicationCheck, { body, token: mfaToken })).body.code
    for (const body of [{}, { phone: '138', email: 'a@b.co' }, { phone: 13800000000 }]) expect(await answer(body)).toBe(400)
    expect(await answer({ phone: 'abc' })).toBe(AuthingCode.INVALID_PHONE)
    expect(await answer({ email: 'nope' })).toBe(AuthingCode.INVALID_EMAIL)
  })
})

describe('GET /api/v2/.well-known', () => {
  it('serves the RSA public key as PEM', async () => {
    const h = createHarness()
    const result = await h.call('GET', paths.wellKnown)
    expect(result.body.code).toBe(200)
    expect(result.body.data.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/)
  }, 20_000)
})

describe('dev outbox', () => {
  it('lists messages newest first and can be cleared', async () => {
    const h = createHarness({ factors: ['SMS', 'EMAIL'] })
    await h.call('POST', paths.smsSend, { body: { phone: '13800008888', scene: 'mfa-verify' } })
    await h.call('POST', paths.emailSend, { body: { email: 'nina@example.com', scene: 'MFA_VERIFY_CODE' } })
    const list = await h.call('GET', paths.devOutbox)
    expect(list.body.data.map((m: { channel: string }) => m.channel)).toEqual(['email', 'sms'])
    expect(Object.keys(list.body.data[0]).sort()).toEqual(['channel', 'code', 'sentAt', 'text', 'to'])
    expect(list.body.data[1].sentAt).toBe(new Date(h.clock.now()).toISOString())
    await h.call('DELETE', paths.devOutbox)
    expect((await h.call('GET', paths.devOutbox)).body.data).toEqual([])
  })

  it('does not exist outside dev mode', async () => {
    const h = createHarness({ dev: false })
    const result = await h.call('GET', paths.devOutbox)
    expect(result.status).toBe(404)
    expect(result.body.code).toBe(404)
  })
})

describe('HTTP behaviour', () => {
  it('answers CORS preflights of an allowed origin for the SDK headers and echoes the Origin with credentials', async () => {
    const h = createHarness({ allowedOrigins: ['https://app.example.com'] })
    const response = await h.server.fetch(
      new Request(`http://mfa.test${paths.totpVerify}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, x-authing-app-id, x-authing-request-from, x-custom-brand',
        },
      }),
    )
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    const allowed = response.headers.get('access-control-allow-headers')!.split(', ')
    for (const name of [
      'authorization',
      'content-type',
      'x-authing-app-id',
      'x-authing-userpool-id',
      'x-authing-request-from',
      'x-authing-sdk-version',
      'x-authing-lang',
      'x-custom-brand',
    ]) {
      expect(allowed).toContain(name)
    }
    expect(response.headers.get('access-control-allow-methods')).toContain('DELETE')
  })

  it('sends security headers on every response', async () => {
    const h = createHarness({ allowedOrigins: ['https://app.example.com'] })
    const result = await h.call('GET', paths.authenticators, { headers: { origin: 'https://app.example.com' } })
    expect(result.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(result.headers.get('referrer-policy')).toBe('no-referrer')
    expect(result.headers.get('cache-control')).toBe('no-store')
    expect(result.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(result.headers.get('content-type')).toContain('application/json')
  })

  it('answers malformed JSON, wrong types and missing fields with code 400', async () => {
    const h = createHarness()
    await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const cases: Array<{ rawBody?: string; body?: unknown; message: RegExp }> = [
      { rawBody: '{"totp":', message: /not valid JSON/ },
      { rawBody: '[1,2]', message: /JSON object/ },
      { body: { totp: 123456 }, message: /must be a string/ },
      { body: {}, message: /Missing field: totp/ },
      { body: { totp: '' }, message: /must not be empty/ },
      { body: { totp: 'x'.repeat(100) }, message: /too long/ },
    ]
    for (const item of cases) {
      const result = await h.call('POST', paths.totpVerify, {
        token: mfaToken,
        ...(item.rawBody !== undefined ? { rawBody: item.rawBody, headers: { 'content-type': 'application/json' } } : { body: item.body }),
      })
      expect(result.status).toBe(200)
      expect(result.body.code).toBe(400)
      expect(result.body.message).toMatch(item.message)
    }
  })

  it('refuses bodies over 1 MiB by Content-Length and by counting the stream', async () => {
    const h = createHarness()
    const declared = await h.call('POST', paths.smsSend, {
      rawBody: '{"phone":"13800000000"}',
      headers: { 'content-type': 'application/json', 'content-length': String(1024 * 1024 + 1) },
    })
    expect(declared.status).toBe(413)
    expect(declared.body.code).toBe(413)
    const encoder = new TextEncoder()
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(encoder.encode('a'.repeat(64 * 1024)))
        controller.close()
      },
    })
    const response = await h.server.fetch(
      new Request(`http://mfa.test${paths.smsSend}`, {
        method: 'POST',
        body: stream,
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit),
    )
    expect(response.status).toBe(413)
    expect((await response.json()).code).toBe(413)
  })

  it('answers unknown paths and methods with a 404 envelope', async () => {
    const h = createHarness()
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/api/v2/mfa/totp/unknown'],
      ['PUT', paths.totpVerify],
    ] as const) {
      const result = await h.call(method, path)
      expect(result.status).toBe(404)
      expect(result.body).toEqual({ code: 404, message: 'No such endpoint', data: null })
    }
  })
})

describe('binding a new factor during sign-in', () => {
  it('is refused once the account has a verified factor, unless enrollment is open to any account', async () => {
    for (const [policy, expected] of [
      ['first-factor', AuthingCode.UNAUTHENTICATED],
      ['any', 200],
    ] as const) {
      const h = createHarness({ factors: ['OTP', 'SMS', 'EMAIL'], enrollmentDuringLogin: policy })
      await h.register('olga@example.com')
      const first = await h.loginForMfa('olga@example.com')
      await h.call('POST', paths.emailSend, { body: { email: 'olga@example.com', scene: 'MFA_VERIFY_CODE' } })
      const emailed = await h.call('POST', paths.applicationEmailVerify, {
        body: { email: 'olga@example.com', code: h.lastCode('olga@example.com') },
        token: first.mfaToken,
      })
      expect(emailed.body.code).toBe(200)

      const second = await h.loginForMfa('olga@example.com')
      expect((await h.call('POST', paths.totpAssociate, { body: {}, token: second.mfaToken })).body.code).toBe(expected)
      await h.call('POST', paths.smsSend, { body: { phone: '13800009999', scene: 'mfa-verify' } })
      const sms = await h.call('POST', paths.applicationSmsVerify, {
        body: { phone: '13800009999', code: h.lastCode('13800009999') },
        token: second.mfaToken,
      })
      expect(sms.body.code).toBe(expected)
    }
  })

  it('still lets a signed-in user bind TOTP from their session', async () => {
    const h = createHarness({ factors: ['OTP', 'EMAIL'] })
    await h.register('pia@example.com')
    const { mfaToken } = await h.loginForMfa('pia@example.com')
    await h.call('POST', paths.emailSend, { body: { email: 'pia@example.com', scene: 'MFA_VERIFY_CODE' } })
    const access = (
      await h.call('POST', paths.applicationEmailVerify, {
        body: { email: 'pia@example.com', code: h.lastCode('pia@example.com') },
        token: mfaToken,
      })
    ).body.data.token
    const { association } = await h.bindTotp(access)
    expect(association.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect((await h.loginForMfa('pia@example.com')).data).toMatchObject({ totpMfaEnabled: true, current: 'OTP' })
  })
})
