import { describe, expect, it } from 'vitest'
import type { MfaClient } from './types'
import { failure, pathOf, setup, type Setup } from './harness.testing'

/** A user who has bound TOTP for themselves (source SELF) and is signed out again. */
async function withTotp(s: Setup, c: MfaClient = s.client()) {
  const { email, password } = await s.register(c)
  await c.auth.loginByEmail(email, password)
  const association = await c.mfa.assosicateMfaAuthenticator()
  await c.mfa.confirmAssosicateMfaAuthenticator({ totp: s.totp(association.secret) })
  c.setToken(null)
  /** Signs in with the password and returns the mfaToken of the 1635 reply. */
  const login = async (): Promise<string> => {
    const r = await c.auth.loginByEmail(email, password)
    if (r.status !== 'mfa_required') throw new Error('expected MFA')
    return r.mfaToken
  }
  /** A 6-digit code that is not the current one. */
  const wrongCode = (): string => (s.totp(association.secret) === '000000' ? '111111' : '000000')
  return { email, password, association, login, wrongCode }
}

describe('TOTP binding for a signed-in user (SELF)', () => {
  it('associates, confirms and lists the authenticator without its secret', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)

    const a = await c.mfa.assosicateMfaAuthenticator({ authenticatorType: 'totp' })
    expect(a.authenticator_type).toBe('totp')
    expect(a.secret).toMatch(/^[A-Z2-7]{16,}$/)
    expect(a.qrcode_uri).toMatch(/^otpauth:\/\/totp\//)
    expect(new URL(a.qrcode_uri).searchParams.get('secret')).toBe(a.secret)
    expect(a.recovery_code).toEqual(expect.any(String))
    expect(await s.requests.at(-1)?.json()).toEqual({ authenticator_type: 'totp' })

    const confirmed = await c.mfa.confirmAssosicateMfaAuthenticator({ authenticatorType: 'totp', totp: s.totp(a.secret) })
    expect(confirmed.code).toBe(200)
    expect(confirmed.message).toEqual(expect.any(String))

    const list = await c.mfa.getMfaAuthenticators({ type: 'totp' })
    expect(list).toHaveLength(1)
    expect(list[0]?.enable).toBe(true)
    expect(list[0]?.authenticatorType).toBe('totp')
    expect(list[0]?.secret).toBe('')
    expect(list[0]?.recoveryCode).toBe('')
  })

  it('sends the SDK defaults when called without arguments', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)
    expect(await c.mfa.getMfaAuthenticators()).toEqual([])
    expect(pathOf(s.requests.at(-1)!)).toBe('/api/v2/mfa/authenticator?type=totp&source=SELF')
    await c.mfa.assosicateMfaAuthenticator()
    expect(await s.requests.at(-1)?.json()).toEqual({ authenticator_type: 'totp', source: 'SELF' })
  })

  it('rejects a wrong confirmation code with invalid_code', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)
    const a = await c.mfa.associateMfaAuthenticator()
    const wrong = s.totp(a.secret) === '000000' ? '111111' : '000000'
    const e = await failure(c.mfa.confirmAssociateMfaAuthenticator({ totp: wrong }))
    expect(e.code).toBe('invalid_code')
    expect(e.authingCode).toBe(6001)
  })

  it('refuses to confirm a binding that waited too long', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)
    const a = await c.mfa.assosicateMfaAuthenticator()
    s.clock.advance(10 * 60_000 + 1)
    // The session is no longer recent either: prove the password again first.
    await c.mfa.reverify({ type: 'password', password })
    const e = await failure(c.mfa.confirmAssosicateMfaAuthenticator({ totp: s.totp(a.secret) }))
    expect(e.code).toBe('code_expired')
    expect(e.authingCode).toBe(2300)
    expect(await c.mfa.getMfaAuthenticators({ type: 'totp' })).toEqual([])
  })

  it('refuses a second binding with already_bound', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    s.clock.advance(30_000)
    await c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken: await login() })
    const e = await failure(c.mfa.assosicateMfaAuthenticator())
    expect(e.code).toBe('already_bound')
  })

  it('needs a credential to start a binding', async () => {
    const s = setup()
    const e = await failure(s.client().mfa.assosicateMfaAuthenticator())
    expect(e.code).toBe('unauthenticated')
  })
})

describe('verifyTotpMfa', () => {
  it('finishes the login with the code and hands the token to the holder', async () => {
    const s = setup()
    const heard: (string | null)[] = []
    const c = s.client({ onTokenChange: (t) => heard.push(t) })
    const { login, association, email } = await withTotp(s, c)
    heard.length = 0
    const mfaToken = await login()
    s.clock.advance(30_000)
    const user = await c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken })
    expect(user.email).toBe(email)
    expect(user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(user.token)
    expect(heard).toEqual([user.token])
    const sent = s.requests.at(-1)!
    expect(pathOf(sent)).toBe('/api/v2/mfa/totp/verify')
    expect(sent.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)
    expect(await sent.json()).toEqual({ totp: s.totp(association.secret) })
  })

  it('uses the mfaToken of the last login when none is passed', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    const mfaToken = await login()
    s.clock.advance(30_000)
    await c.mfa.verifyTotpMfa({ totp: s.totp(association.secret) })
    expect(s.requests.at(-1)?.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)
    expect(c.getToken()).toEqual(expect.any(String))
  })

  it('rejects a wrong code with invalid_code and keeps the login open', async () => {
    const s = setup()
    const c = s.client()
    const { login, association, wrongCode } = await withTotp(s, c)
    const mfaToken = await login()
    s.clock.advance(30_000)
    const e = await failure(c.mfa.verifyTotpMfa({ totp: wrongCode(), mfaToken }))
    expect(e.code).toBe('invalid_code')
    expect(e.authingCode).toBe(6001)
    expect(c.getToken()).toBeNull()
    await expect(c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken })).resolves.toHaveProperty('token')
  })

  it('refuses a used mfaToken with mfa_token_expired', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    const mfaToken = await login()
    s.clock.advance(30_000)
    await c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken })
    s.clock.advance(30_000)
    const e = await failure(c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken }))
    expect(e.code).toBe('mfa_token_expired')
  })

  it('refuses an mfaToken older than ten minutes with mfa_token_expired', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    const mfaToken = await login()
    s.clock.advance(10 * 60_000 + 1)
    const e = await failure(c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken }))
    expect(e.code).toBe('mfa_token_expired')
  })

  it('refuses a code that was already used (replay) with invalid_code', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    s.clock.advance(30_000)
    const code = s.totp(association.secret)
    await c.mfa.verifyTotpMfa({ totp: code, mfaToken: await login() })
    const e = await failure(c.mfa.verifyTotpMfa({ totp: code, mfaToken: await login() }))
    expect(e.code).toBe('invalid_code')
  })

  it('locks the factor after repeated failures and says when to retry', async () => {
    const s = setup()
    const c = s.client()
    const { login, association, wrongCode } = await withTotp(s, c)
    s.clock.advance(30_000)
    let last = await failure(c.mfa.verifyTotpMfa({ totp: wrongCode(), mfaToken: await login() }))
    for (let i = 0; i < 10 && last.code !== 'rate_limited'; i++) {
      last = await failure(c.mfa.verifyTotpMfa({ totp: wrongCode(), mfaToken: await login() }))
    }
    expect(last.code).toBe('rate_limited')
    expect(last.authingCode).toBe(2057)
    expect(last.retryAfterMs).toBeGreaterThan(0)
    const locked = await failure(c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken: await login() }))
    expect(locked.code).toBe('rate_limited')
    s.clock.advance(last.retryAfterMs ?? 0)
    await expect(c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken: await login() })).resolves.toHaveProperty('token')
  })

  it('ends an mfaToken after its allowed number of attempts', async () => {
    const s = setup({ limits: { mfaTokenMaxAttempts: 2, failureThreshold: 10 } })
    const c = s.client()
    const { login, association, wrongCode } = await withTotp(s, c)
    const mfaToken = await login()
    s.clock.advance(30_000)
    await failure(c.mfa.verifyTotpMfa({ totp: wrongCode(), mfaToken }))
    await failure(c.mfa.verifyTotpMfa({ totp: wrongCode(), mfaToken }))
    const e = await failure(c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken }))
    // Not "expired": the sign-in used up its attempts, and only a new sign-in helps.
    expect(e.code).toBe('too_many_attempts')
    expect(e.authingCode).toBe(6008)
  })

  it('rejects a call without any mfaToken', async () => {
    const s = setup()
    const e = await failure(s.client().mfa.verifyTotpMfa({ totp: '123456' }))
    expect(['unauthenticated', 'mfa_token_expired']).toContain(e.code)
  })
})

describe('verifyTotpRecoveryCode', () => {
  it('finishes the login and returns the new recovery code, which replaces the old one', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    const user = await c.mfa.verifyTotpRecoveryCode({ recoveryCode: association.recovery_code, mfaToken: await login() })
    expect(user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(user.token)
    expect(user.recoveryCode).toEqual(expect.any(String))
    expect(user.recoveryCode).not.toBe(association.recovery_code)
    expect(Object.keys(user)).not.toContain('recoveryCode')
    expect(JSON.stringify(user)).not.toContain(user.recoveryCode)

    const old = await failure(c.mfa.verifyTotpRecoveryCode({ recoveryCode: association.recovery_code, mfaToken: await login() }))
    expect(old.code).toBe('invalid_recovery_code')
    expect(old.authingCode).toBe(6002)
    await expect(c.mfa.verifyTotpRecoveryCode({ recoveryCode: user.recoveryCode, mfaToken: await login() })).resolves.toHaveProperty(
      'token',
    )
  })

  it('accepts the code under `totp`, as Authing documents it', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    await login()
    const user = await c.mfa.verifyTotpRecoveryCode({ authenticatorType: 'totp', totp: association.recovery_code })
    expect(user.token).toEqual(expect.any(String))
    expect(await s.requests.at(-1)?.json()).toEqual({ recoveryCode: association.recovery_code })
  })
})

describe('deleteMfaAuthenticator', () => {
  it('unbinds TOTP right after a sign-in, so the next login needs no second factor', async () => {
    const s = setup()
    const c = s.client()
    const { login, association, email, password } = await withTotp(s, c)
    s.clock.advance(30_000)
    await c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken: await login() })
    const removed = await c.mfa.deleteMfaAuthenticator()
    expect(removed.code).toBe(200)
    expect(s.requests.at(-1)?.method).toBe('DELETE')
    expect(await c.mfa.getMfaAuthenticators({ type: 'totp' })).toEqual([])
    expect((await c.auth.loginByEmail(email, password)).status).toBe('authenticated')
  })

  it('needs a recent sign-in', async () => {
    const s = setup()
    const c = s.client()
    const { login, association } = await withTotp(s, c)
    s.clock.advance(30_000)
    await c.mfa.verifyTotpMfa({ totp: s.totp(association.secret), mfaToken: await login() })
    s.clock.advance(6 * 60_000)
    const e = await failure(c.mfa.deleteMfaAuthenticator())
    // The session is fine; only its last proof of a factor is too old.
    expect(e.code).toBe('reauthentication_required')
    expect(e.authingCode).toBe(6006)
  })

  it('answers not_bound when there is nothing to unbind, and unauthenticated without a token', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    expect((await failure(c.mfa.deleteMfaAuthenticator())).code).toBe('unauthenticated')
    await c.auth.loginByEmail(email, password)
    expect((await failure(c.mfa.deleteMfaAuthenticator())).code).toBe('not_bound')
  })
})

describe('access token lifetime', () => {
  it('answers unauthenticated once the access token has expired', async () => {
    const s = setup({ limits: { accessTokenTtlMs: 60_000 } })
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)
    await c.mfa.getMfaAuthenticators()
    s.clock.advance(60_001)
    const e = await failure(c.mfa.getMfaAuthenticators())
    expect(e.code).toBe('unauthenticated')
    expect(e.authingCode).toBe(2206)
    expect(await c.auth.getCurrentUser()).toBeNull()
  })
})
