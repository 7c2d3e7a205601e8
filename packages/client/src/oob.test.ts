import { describe, expect, it } from 'vitest'
import type { MfaClient } from './types'
import { failure, pathOf, setup, type Setup } from './harness.testing'

const PHONE = '13800138000'

/** A registered user of an app with the given factors, signed in with the password up to MFA. */
async function pendingLogin(s: Setup, c: MfaClient = s.client()) {
  const { email, password } = await s.register(c)
  const r = await c.auth.loginByEmail(email, password)
  if (r.status !== 'mfa_required') throw new Error('expected MFA')
  return { email, password, mfaToken: r.mfaToken, trigger: r.trigger }
}

describe('email MFA', () => {
  it('sends a code to the MFA email and finishes the login with it', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const c = s.client()
    const { email, mfaToken, trigger } = await pendingLogin(s, c)
    expect(trigger.mfaEmail).toBe(email)

    const sent = await c.auth.sendEmailCode(email)
    expect(sent.resendAfterMs).toBeGreaterThan(0)
    expect(sent.expiresInMs).toBeGreaterThan(0)
    expect(await s.requests.at(-1)?.json()).toEqual({ email, scene: 'MFA_VERIFY_CODE' })
    expect(s.requests.at(-1)?.headers.get('authorization')).toBeNull()

    const user = await c.mfa.verifyAppEmailMfa({ email, code: await s.lastCode(email), mfaToken })
    expect(user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(user.token)
    expect(pathOf(s.requests.at(-1)!)).toBe('/api/v2/applications/mfa/email/verify')
  })

  it('rejects a wrong code with invalid_code', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const c = s.client()
    const { email, mfaToken } = await pendingLogin(s, c)
    await c.auth.sendEmailCode(email)
    const right = await s.lastCode(email)
    const wrong = right === '000000' ? '111111' : '000000'
    const e = await failure(c.mfa.verifyAppEmailMfa({ email, code: wrong, mfaToken }))
    expect(e.code).toBe('invalid_code')
    expect(e.authingCode).toBe(2001)
  })

  it('refuses a code after its lifetime and issues no token', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const c = s.client()
    const { email, mfaToken } = await pendingLogin(s, c)
    const sent = await c.auth.sendEmailCode(email)
    const code = await s.lastCode(email)
    s.clock.advance(sent.expiresInMs + 1)
    const e = await failure(c.mfa.verifyAppEmailMfa({ email, code, mfaToken }))
    expect(e.code).toBe('code_expired')
    expect(e.authingCode).toBe(2300)
    expect(c.getToken()).toBeNull()
  })

  it('refuses a resend within the cooldown with rate_limited and retryAfterMs', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const c = s.client()
    const { email } = await pendingLogin(s, c)
    const first = await c.auth.sendEmailCode(email)
    const e = await failure(c.auth.sendEmailCode(email))
    expect(e.code).toBe('rate_limited')
    expect(e.authingCode).toBe(2080)
    expect(e.retryAfterMs).toBeGreaterThan(0)
    expect(e.retryAfterMs).toBeLessThanOrEqual(first.resendAfterMs)
    s.clock.advance(e.retryAfterMs ?? 0)
    await expect(c.auth.sendEmailCode(email)).resolves.toHaveProperty('expiresInMs')
  })
})

describe('SMS MFA', () => {
  it('binds a phone during login: bindable check, send, verify', async () => {
    // SMS alone: the account has no factor it could use instead, so it may bind one during login.
    const s = setup({ factors: ['SMS'] })
    const c = s.client()
    const { email, password, mfaToken, trigger } = await pendingLogin(s, c)
    expect(trigger.mfaPhone).toBeNull()

    expect(await c.mfa.phoneOrEmailBindable({ phone: PHONE, mfaToken })).toBe(true)
    expect(await s.requests.at(-1)?.json()).toEqual({ phone: PHONE })

    const sent = await c.auth.sendSmsCode(PHONE, { phoneCountryCode: '+86' })
    expect(sent.expiresInMs).toBeGreaterThan(0)
    expect(await s.requests.at(-1)?.json()).toEqual({ phone: PHONE, phoneCountryCode: '+86', scene: 'mfa-verify' })

    const user = await c.mfa.verifyAppSmsMfa({ phone: PHONE, phoneCountryCode: '+86', code: await s.lastCode(PHONE), mfaToken })
    expect(user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(user.token)

    c.setToken(null)
    const again = await c.auth.loginByEmail(email, password)
    if (again.status !== 'mfa_required') throw new Error('expected MFA')
    expect(again.trigger.mfaPhone).toContain(PHONE)
  })

  it('verifies through the name Authing documents (verifySmsMfa)', async () => {
    const s = setup({ factors: ['SMS'] })
    const c = s.client()
    const { mfaToken } = await pendingLogin(s, c)
    await c.auth.sendSmsCode(PHONE)
    const user = await c.mfa.verifySmsMfa({ phone: PHONE, code: await s.lastCode(PHONE), mfaToken })
    expect(user.token).toEqual(expect.any(String))
  })

  it('rejects a wrong SMS code with invalid_code', async () => {
    const s = setup({ factors: ['SMS'] })
    const c = s.client()
    const { mfaToken } = await pendingLogin(s, c)
    await c.auth.sendSmsCode(PHONE)
    const right = await s.lastCode(PHONE)
    const e = await failure(c.mfa.verifyAppSmsMfa({ phone: PHONE, code: right === '000000' ? '111111' : '000000', mfaToken }))
    expect(e.code).toBe('invalid_code')
  })

  it('refuses a factor the application does not offer with factor_disabled', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const c = s.client()
    const { mfaToken } = await pendingLogin(s, c)
    const e = await failure(c.mfa.verifyAppSmsMfa({ phone: PHONE, code: '123456', mfaToken }))
    expect(e.code).toBe('factor_disabled')
  })
})

describe('phoneOrEmailBindable', () => {
  it('answers false for a phone another account already uses', async () => {
    const s = setup({ factors: ['SMS'] })
    const first = s.client()
    const a = await pendingLogin(s, first)
    await first.auth.sendSmsCode(PHONE)
    await first.mfa.verifyAppSmsMfa({ phone: PHONE, code: await s.lastCode(PHONE), mfaToken: a.mfaToken })

    const second = s.client()
    const b = await pendingLogin(s, second)
    expect(await second.mfa.phoneOrEmailBindable({ phone: PHONE, mfaToken: b.mfaToken })).toBe(false)
    expect(await second.mfa.phoneOrEmailBindable({ phone: '13900139000', mfaToken: b.mfaToken })).toBe(true)
  })

  it('checks a phone under its calling code: one bound under +65 is taken there and free under +86', async () => {
    const s = setup({ factors: ['SMS'] })
    const first = s.client()
    const a = await pendingLogin(s, first)
    await first.auth.sendSmsCode(PHONE, { phoneCountryCode: '+65' })
    await first.mfa.verifyAppSmsMfa({ phone: PHONE, code: await s.lastCode(`+65${PHONE}`), mfaToken: a.mfaToken, phoneCountryCode: '+65' })

    const second = s.client()
    const b = await pendingLogin(s, second)
    expect(await second.mfa.phoneOrEmailBindable({ phone: PHONE, phoneCountryCode: '+65', mfaToken: b.mfaToken })).toBe(false)
    expect(await s.requests.at(-1)?.json()).toEqual({ phone: PHONE, phoneCountryCode: '+65' })
    expect(await second.mfa.phoneOrEmailBindable({ phone: PHONE, phoneCountryCode: '+86', mfaToken: b.mfaToken })).toBe(true)
  })

  it('needs exactly one of phone and email', async () => {
    const s = setup({ factors: ['SMS'] })
    const c = s.client()
    const { mfaToken } = await pendingLogin(s, c)
    const e = await failure(c.mfa.phoneOrEmailBindable({ mfaToken }))
    expect(e.code).toBe('invalid_request')
    expect(e.authingCode).toBe(400)
  })
})

describe('TOTP binding during login (APPLICATION)', () => {
  it('binds TOTP with the mfaToken and finishes the login on confirm', async () => {
    const s = setup({ factors: ['OTP'] })
    const c = s.client()
    const { mfaToken, trigger } = await pendingLogin(s, c)
    expect(trigger.totpMfaEnabled).toBe(false)

    expect(await c.mfa.getMfaAuthenticators({ type: 'totp', mfaToken, source: 'APPLICATION' })).toEqual([])
    const a = await c.mfa.assosicateMfaAuthenticator({ authenticatorType: 'totp', mfaToken, source: 'APPLICATION' })
    expect(s.requests.at(-1)?.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)

    const done = await c.mfa.confirmAssosicateMfaAuthenticator({
      authenticatorType: 'totp',
      totp: s.totp(a.secret),
      mfaToken,
      source: 'APPLICATION',
    })
    const confirmRequest = s.requests.at(-1)!
    expect(confirmRequest.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)
    expect(await confirmRequest.json()).toEqual({ authenticator_type: 'totp', totp: s.totp(a.secret), source: 'APPLICATION' })
    expect(done.code).toBe(200)
    expect(done.user?.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(done.user?.token)
  })

  it('uses the pending mfaToken for APPLICATION calls that leave it out', async () => {
    const s = setup({ factors: ['OTP'] })
    const c = s.client()
    const { mfaToken } = await pendingLogin(s, c)
    const a = await c.mfa.associateMfaAuthenticator({ source: 'APPLICATION' })
    await c.mfa.confirmAssociateMfaAuthenticator({ totp: s.totp(a.secret), source: 'APPLICATION' })
    expect(s.requests.at(-1)?.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)
    expect(c.getToken()).toEqual(expect.any(String))
  })
})

describe('errors of the code factors', () => {
  it('answers server_error when the server cannot deliver codes', async () => {
    const s = setup({ factors: ['EMAIL'], dev: false })
    const e = await failure(s.client().auth.sendEmailCode('someone@example.com'))
    expect(e.code).toBe('server_error')
    expect(e.authingCode).toBe(6007)
  })

  it('refuses to bind a new phone during login once the account has a verified factor', async () => {
    const s = setup({ factors: ['SMS', 'EMAIL'] })
    const c = s.client()
    const { email, password, mfaToken } = await pendingLogin(s, c)
    await c.auth.sendEmailCode(email)
    await c.mfa.verifyAppEmailMfa({ email, code: await s.lastCode(email), mfaToken })
    c.setToken(null)
    const again = await c.auth.loginByEmail(email, password)
    if (again.status !== 'mfa_required') throw new Error('expected MFA')
    const e = await failure(c.mfa.verifyAppSmsMfa({ phone: PHONE, code: '123456', mfaToken: again.mfaToken }))
    expect(e.code).toBe('unauthenticated')
    expect(c.getToken()).toBeNull()
  })

  it('refuses a phone that belongs to another account with already_bound, even with the right code', async () => {
    const s = setup({ factors: ['SMS'] })
    const first = s.client()
    const a = await pendingLogin(s, first)
    await first.auth.sendSmsCode(PHONE)
    await first.mfa.verifyAppSmsMfa({ phone: PHONE, code: await s.lastCode(PHONE), mfaToken: a.mfaToken })

    const second = s.client()
    const b = await pendingLogin(s, second)
    s.clock.advance(60_000)
    await second.auth.sendSmsCode(PHONE)
    const e = await failure(second.mfa.verifyAppSmsMfa({ phone: PHONE, code: await s.lastCode(PHONE), mfaToken: b.mfaToken }))
    expect(e.code).toBe('already_bound')
  })

  it('limits bindability checks per mfaToken with rate_limited', async () => {
    const s = setup({ factors: ['SMS'], limits: { checksPerMfaToken: 2 } })
    const c = s.client()
    const { mfaToken } = await pendingLogin(s, c)
    await c.mfa.phoneOrEmailBindable({ phone: '13900000001', mfaToken })
    await c.mfa.phoneOrEmailBindable({ phone: '13900000002', mfaToken })
    const e = await failure(c.mfa.phoneOrEmailBindable({ phone: '13900000003', mfaToken }))
    expect(e.code).toBe('rate_limited')
    expect(e.retryAfterMs).toBeGreaterThan(0)
  })
})
