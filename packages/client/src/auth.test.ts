import { describe, expect, it } from 'vitest'
import { isMfaError } from './errors'
import { failure, pathOf, setup } from './test-utils'

describe('client.auth against the reference server', () => {
  it('registers with an RSA-encrypted password and never sends the plain one', async () => {
    const s = setup()
    const { user, password } = await s.register()
    expect(user.id).toEqual(expect.any(String))
    const gql = s.requests.find((r) => pathOf(r) === '/graphql/v2')
    const body = (await gql?.json()) as { query: string; variables: { input: { password: string } } }
    expect(body.query).toMatch(/^mutation registerByEmail\(\$input: RegisterByEmailInput!\)/)
    expect(body.variables.input.password).not.toContain(password)
    expect(atob(body.variables.input.password).length).toBeGreaterThanOrEqual(128)
  })

  it('fetches the public key once per client', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)
    await c.auth.loginByEmail(email, password)
    expect(s.requests.filter((r) => pathOf(r) === '/api/v2/.well-known')).toHaveLength(1)
  })

  it('uses a configured public key without asking the server', async () => {
    const s = setup()
    const res = await s.server.fetch(new Request('http://mfa.test/api/v2/.well-known'))
    const { data } = (await res.json()) as { data: { publicKey: string } }
    const c = s.client({ publicKey: data.publicKey })
    await s.register(c)
    expect(s.requests.filter((r) => pathOf(r) === '/api/v2/.well-known')).toHaveLength(0)
  })

  it('signs in without MFA, holds the token and reports it once', async () => {
    const s = setup()
    const heard: (string | null)[] = []
    const c = s.client({ onTokenChange: (t) => heard.push(t) })
    const { email, password } = await s.register(s.client())
    const result = await c.auth.loginByEmail(email, password)
    if (result.status !== 'authenticated') throw new Error('expected a session')
    expect(result.user.email).toBe(email)
    expect(result.user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(result.user.token)
    expect(heard).toEqual([result.user.token])
  })

  it('registers and signs in by username', async () => {
    const s = setup()
    const c = s.client()
    const user = await c.auth.registerByUsername('named_user', 'pass-word-x', { nickname: 'Named' })
    expect(user.username).toBe('named_user')
    const result = await c.auth.loginByUsername('named_user', 'pass-word-x')
    if (result.status !== 'authenticated') throw new Error('expected a session')
    expect(result.user.username).toBe('named_user')
    const sent = (await s.requests.filter((r) => pathOf(r) === '/graphql/v2').at(-1)?.json()) as { query: string; variables: unknown }
    expect(sent.query).toMatch(/^mutation loginByUsername\(\$input: LoginByUsernameInput!\)/)
    expect(sent.variables).toEqual({ input: { username: 'named_user', password: expect.not.stringContaining('pass-word-x') } })
  })

  it('signs in by phone code: the SMS code is the first factor', async () => {
    const s = setup()
    const c = s.client()
    await c.auth.sendSmsCode('13700137000', { scene: 'login' })
    expect(await s.requests.at(-1)?.json()).toEqual({ phone: '13700137000', scene: 'login' })
    const e = await failure(c.auth.loginByPhoneCode('13700137000', '123456', { phoneCountryCode: '+86' }))
    expect(e.code).toBe('invalid_code')
    const sent = (await s.requests.at(-1)?.json()) as { query: string; variables: unknown }
    expect(sent.query).toMatch(/^mutation loginByPhoneCode\(\$input: LoginByPhoneCodeInput!\)/)
    expect(sent.variables).toEqual({ input: { phone: '13700137000', code: '123456', phoneCountryCode: '+86' } })
    expect(s.requests.some((r) => pathOf(r) === '/api/v2/.well-known')).toBe(false)
  })

  it('answers a wrong password and an unknown account with the same invalid_credentials', async () => {
    const s = setup()
    const c = s.client()
    const { email } = await s.register(c)
    const wrong = await failure(c.auth.loginByEmail(email, 'not-the-password'))
    const unknown = await failure(c.auth.loginByEmail('nobody@example.com', 'not-the-password'))
    expect(wrong.code).toBe('invalid_credentials')
    expect(wrong.authingCode).toBe(2333)
    expect(unknown.code).toBe('invalid_credentials')
    expect(unknown.message).toBe(wrong.message)
    expect(c.getToken()).toBeNull()
  })

  it('reports a lockout after repeated wrong passwords with retryAfterMs', async () => {
    const s = setup({ limits: { passwordFailureThreshold: 3 } })
    const c = s.client()
    const { email, password } = await s.register(c)
    for (let i = 0; i < 3; i++) await failure(c.auth.loginByEmail(email, 'wrong-password'))
    const locked = await failure(c.auth.loginByEmail(email, password))
    expect(locked.code).toBe('rate_limited')
    expect(locked.retryAfterMs).toBeGreaterThan(0)
    s.clock.advance(locked.retryAfterMs ?? 0)
    expect((await c.auth.loginByEmail(email, password)).status).toBe('authenticated')
  })

  it('refuses a second registration of the same email with user_exists', async () => {
    const s = setup()
    const c = s.client()
    await c.auth.registerByEmail('twice@example.com', 'pass-word-1')
    const e = await failure(c.auth.registerByEmail('twice@example.com', 'pass-word-2'))
    expect(e.code).toBe('user_exists')
  })

  it('refuses a too short password with invalid_request and the server message', async () => {
    const s = setup()
    const e = await failure(s.client().auth.registerByEmail('short@example.com', 'abc'))
    expect(e.code).toBe('invalid_request')
    expect(e.message).toMatch(/at least/)
  })

  it('holds the token when registration signs the user in', async () => {
    const s = setup()
    const c = s.client()
    const user = await c.auth.registerByEmail('direct@example.com', 'pass-word-1', undefined, { forceLogin: true })
    expect(user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(user.token)
  })

  it('reads the current user with the GraphQL user query', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    expect(await c.auth.getCurrentUser()).toBeNull()
    await c.auth.loginByEmail(email, password)
    const me = await c.auth.getCurrentUser()
    expect(me?.email).toBe(email)
    const q = s.requests.filter((r) => pathOf(r) === '/graphql/v2').at(-1)
    expect(((await q?.json()) as { query: string }).query).toMatch(/^query user/)
  })

  it('answers null for a token the server does not accept', async () => {
    const s = setup()
    const c = s.client({ token: 'not-a-real-token' })
    expect(await c.auth.getCurrentUser()).toBeNull()
  })

  it('turns 1635 into an mfa_required result with a TOTP trigger', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)
    const assoc = await c.mfa.assosicateMfaAuthenticator()
    await c.mfa.confirmAssosicateMfaAuthenticator({ totp: s.totp(assoc.secret) })
    c.setToken(null)

    const result = await c.auth.loginByEmail(email, password)
    if (result.status !== 'mfa_required') throw new Error('expected MFA')
    expect(result.trigger).toEqual({
      authingCode: 1635,
      mfaToken: result.mfaToken,
      nickname: expect.any(String),
      username: null,
      email,
      phone: null,
      phoneCountryCode: null,
      avatar: null,
      mfaPhone: null,
      mfaPhoneCountryCode: null,
      mfaEmail: null,
      totpMfaEnabled: true,
      faceMfaEnabled: false,
      passkeyEnabled: false,
      applicationMfa: [{ mfaPolicy: 'OTP', status: 1, sort: 0 }],
      current: 'OTP',
    })
    expect(c.getToken()).toBeNull()
  })

  it('turns 1636 into an mfa_required result with the application trigger', async () => {
    const s = setup({ factors: ['OTP', 'SMS', 'EMAIL'] })
    const c = s.client()
    const { email, password } = await s.register(c)
    const result = await c.auth.loginByEmail(email, password)
    if (result.status !== 'mfa_required') throw new Error('expected MFA')
    const t = result.trigger
    expect(t.authingCode).toBe(1636)
    expect(t.mfaToken).toBe(result.mfaToken)
    expect(t.applicationMfa.map((f) => f.mfaPolicy)).toEqual(['OTP', 'SMS', 'EMAIL'])
    expect(t.mfaEmail).toBe(email)
    expect(t.mfaPhone).toBeNull()
    expect(t.totpMfaEnabled).toBe(false)
    expect(t.current).toBe('EMAIL')
    expect(c.getToken()).toBeNull()
  })

  it('never throws for MFA from any login method', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const c = s.client()
    const { email, password } = await s.register(c)
    await expect(c.auth.loginByEmail(email, password)).resolves.toMatchObject({ status: 'mfa_required' })
    const e = await failure(c.auth.loginByPhonePassword('+8613800000000', password))
    expect(isMfaError(e, 'invalid_credentials')).toBe(true)
  })
})
