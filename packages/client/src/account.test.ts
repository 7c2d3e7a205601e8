import { describe, expect, it } from 'vitest'
import { failure, pathOf, setup, type Setup } from './harness.testing'
import type { MfaClient } from './types'

const HOUR = 3_600_000
const PHONE = '13800138000'

/** Binds TOTP for the signed-in user of `c` and returns its secret and recovery code. */
async function bindTotp(s: Setup, c: MfaClient) {
  const association = await c.mfa.associateMfaAuthenticator({ source: 'SELF' })
  await c.mfa.confirmAssociateMfaAuthenticator({ source: 'SELF', totp: s.totp(association.secret) })
  return association
}

async function bindPhone(s: Setup, c: MfaClient, phone = PHONE) {
  await c.auth.sendSmsCode(phone, { scene: 'mfa-bind' })
  return c.mfa.associateSmsMfa({ phone, code: await s.lastCode(phone) })
}

async function bindEmail(s: Setup, c: MfaClient, email: string) {
  await c.auth.sendEmailCode(email, 'MFA_VERIFY')
  return c.mfa.associateEmailMfa({ email, code: await s.lastCode(email) })
}

describe('SELF phone and email factors', () => {
  it('binds a phone with a code sent under the session, and lists it with type all', async () => {
    const s = setup()
    const { client: c, email } = await s.signedIn()
    await bindEmail(s, c, email)
    expect(await bindPhone(s, c)).toEqual({ code: 200, message: expect.any(String) })
    const send = s.requests.find((r) => pathOf(r) === '/api/v2/sms/send')!
    expect(send.headers.get('authorization')).toBe(`Bearer ${c.getToken()}`)
    const bind = s.requests.find((r) => pathOf(r) === '/api/v2/mfa/sms/associate')!
    expect(await bind.json()).toEqual({ phone: PHONE, code: expect.stringMatching(/^\d+$/) })

    const all = await c.mfa.getMfaAuthenticators({ type: 'all', source: 'SELF' })
    expect(all.map((a) => [a.id, a.authenticatorType, a.destination])).toEqual([
      ['sms', 'sms', '+86 138****8000'],
      ['email', 'email', expect.stringMatching(/^u\*\*\*@example\.com$/)],
    ])
    expect(pathOf(s.requests.at(-1)!)).toBe('/api/v2/mfa/authenticator?type=all&source=SELF')
    expect(await c.mfa.getMfaAuthenticators({ type: 'totp', source: 'SELF' })).toEqual([])
  })

  it('unbinds the phone and the email', async () => {
    const s = setup()
    const { client: c, email } = await s.signedIn()
    await bindEmail(s, c, email)
    await bindPhone(s, c)
    expect(await c.mfa.deleteSmsMfa()).toEqual({ code: 200, message: expect.any(String) })
    expect(await c.mfa.deleteEmailMfa()).toEqual({ code: 200, message: expect.any(String) })
    expect(await c.mfa.getMfaAuthenticators({ type: 'all', source: 'SELF' })).toEqual([])
    expect((await failure(c.mfa.deleteSmsMfa())).code).toBe('not_bound')
  })

  it('refuses a wrong code with invalid_code', async () => {
    const s = setup()
    const { client: c } = await s.signedIn()
    await c.auth.sendSmsCode(PHONE, { scene: 'mfa-bind' })
    const right = await s.lastCode(PHONE)
    const e = await failure(c.mfa.associateSmsMfa({ phone: PHONE, code: right === '000000' ? '111111' : '000000' }))
    expect(e.code).toBe('invalid_code')
  })

  it('needs a recent authentication to bind', async () => {
    const s = setup()
    const { client: c } = await s.signedIn()
    s.clock.advance(HOUR)
    await c.auth.sendSmsCode(PHONE, { scene: 'mfa-bind' })
    const e = await failure(c.mfa.associateSmsMfa({ phone: PHONE, code: await s.lastCode(PHONE) }))
    expect(e.code).toBe('reauthentication_required')
  })
})

describe('re-verification', () => {
  it('lets an old session prove TOTP again, and then unbind', async () => {
    const s = setup()
    const { client: c } = await s.signedIn()
    const association = await bindTotp(s, c)
    s.clock.advance(HOUR)
    expect((await failure(c.mfa.deleteMfaAuthenticator())).code).toBe('reauthentication_required')

    const options = await c.mfa.getReverificationOptions()
    expect(options).toMatchObject({ factors: [{ type: 'totp' }], recentAuthMs: expect.any(Number) })
    const result = await c.mfa.reverify({ type: 'totp', code: s.totp(association.secret) })
    expect(result).toEqual({
      authenticatedAt: new Date(s.clock.now()).toISOString(),
      recentUntil: new Date(s.clock.now() + options.recentAuthMs).toISOString(),
    })
    expect(await c.mfa.deleteMfaAuthenticator()).toEqual({ code: 200, message: expect.any(String) })
  })

  it('sends a code to the bound phone and proves it', async () => {
    const s = setup()
    const { client: c } = await s.signedIn()
    await bindPhone(s, c)
    s.clock.advance(HOUR)
    expect((await c.mfa.getReverificationOptions()).factors).toEqual([{ type: 'sms', destination: '+86 138****8000' }])
    const sent = await c.mfa.sendReverificationCode({ channel: 'sms' })
    expect(sent.resendAfterMs).toBeGreaterThan(0)
    expect(await s.requests.at(-1)!.json()).toEqual({ channel: 'sms' })
    await c.mfa.reverify({ type: 'sms', code: await s.lastCode(PHONE) })
    expect(await c.mfa.deleteSmsMfa()).toMatchObject({ code: 200 })
  })

  it('takes the password of an account with no factor, encrypted like a login', async () => {
    const s = setup({ allowPlainPasswords: false })
    const { client: c, password } = await s.signedIn()
    s.clock.advance(HOUR)
    expect((await c.mfa.getReverificationOptions()).factors).toEqual([{ type: 'password' }])
    await c.mfa.reverify({ type: 'password', password })
    const sent = (await s.requests.at(-1)!.json()) as { type: string; password: string }
    expect(sent.type).toBe('password')
    expect(sent.password).not.toContain(password)
    await bindTotp(s, c)
  })

  it('answers a wrong password with invalid_credentials and a wrong code with invalid_code', async () => {
    const s = setup()
    const { client: c } = await s.signedIn()
    expect((await failure(c.mfa.reverify({ type: 'password', password: 'not the password' }))).code).toBe('invalid_credentials')
    const association = await bindTotp(s, c)
    const right = s.totp(association.secret)
    expect((await failure(c.mfa.reverify({ type: 'totp', code: right === '000000' ? '111111' : '000000' }))).code).toBe('invalid_code')
  })

  it('answers unauthenticated without a session', async () => {
    const s = setup()
    expect((await failure(s.client().mfa.getReverificationOptions())).code).toBe('unauthenticated')
  })
})

describe('recovery-code regeneration', () => {
  it('needs a recent authentication, then replaces the old code with one that signs in', async () => {
    const s = setup({ factors: [] })
    const { client: c, email, password } = await s.signedIn()
    const association = await bindTotp(s, c)
    s.clock.advance(HOUR)
    expect((await failure(c.mfa.regenerateRecoveryCode())).code).toBe('reauthentication_required')
    await c.mfa.reverify({ type: 'totp', code: s.totp(association.secret) })
    const { recoveryCode } = await c.mfa.regenerateRecoveryCode()
    expect(recoveryCode).not.toBe(association.recovery_code)
    const regenerate = s.requests.at(-1)!
    expect(regenerate.headers.get('content-type')).toBe('application/json')

    const signIn = async () => {
      const fresh = s.client()
      const result = await fresh.auth.loginByEmail(email, password)
      if (result.status !== 'mfa_required') throw new Error('expected MFA')
      return fresh
    }
    expect((await failure((await signIn()).mfa.verifyTotpRecoveryCode({ recoveryCode: association.recovery_code }))).code).toBe(
      'invalid_recovery_code',
    )
    expect((await (await signIn()).mfa.verifyTotpRecoveryCode({ recoveryCode })).token).toEqual(expect.any(String))
  })

  it('answers not_bound without TOTP', async () => {
    const s = setup()
    const { client: c } = await s.signedIn()
    expect((await failure(c.mfa.regenerateRecoveryCode())).code).toBe('not_bound')
  })
})

describe('the account calls', () => {
  it('send JSON with its content type on every body', async () => {
    const s = setup()
    const { client: c, email } = await s.signedIn()
    await bindEmail(s, c, email)
    await c.mfa.getReverificationOptions()
    for (const request of s.requests.filter((r) => r.method === 'POST')) {
      expect(request.headers.get('content-type')).toBe('application/json')
    }
  })
})
