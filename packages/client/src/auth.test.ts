import { describe, expect, it } from 'vitest'
import { isMfaError } from './errors'
import { failure, pathOf, setup } from './harness.testing'

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
    const registered = await c.auth.registerByUsername('named_user', 'pass-word-x', { nickname: 'Named' })
    expect(registered).toMatchObject({ status: 'sign_in_required', user: { username: 'named_user' } })
    const result = await c.auth.loginByUsername('named_user', 'pass-word-x')
    if (result.status !== 'authenticated') throw new Error('expected a session')
    expect(result.user.username).toBe('named_user')
    const sent = (await s.requests
      .filter((r) => pathOf(r) === '/graphql/v2')
      .at(-1)
      ?.json()) as { query: string; variables: unknown }
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

  it('refuses a password shorter than 8 characters with weak_password, before sending anything', async () => {
    const s = setup()
    const e = await failure(s.client().auth.registerByEmail('short@example.com', 'seven-7'))
    expect(e.code).toBe('weak_password')
    expect(e.data).toEqual({ minLength: 8 })
    expect(s.requests).toHaveLength(0)
  })

  it('counts characters, not UTF-16 units, and takes minPasswordLength from the options', async () => {
    const s = setup()
    expect((await failure(s.client().auth.registerByEmail('emoji@example.com', '🔑🔑🔑🔑🔑🔑🔑'))).code).toBe('weak_password')
    const strict = s.client({ minPasswordLength: 12 })
    expect((await failure(strict.auth.registerByUsername('strict', 'eleven-char'))).code).toBe('weak_password')
    expect(await strict.auth.registerByUsername('strict', 'twelve-chars')).toMatchObject({ status: 'sign_in_required' })
  })

  it('answers invalid_email for a malformed address', async () => {
    const s = setup()
    const e = await failure(s.client().auth.registerByEmail('not-an-email', 'pass-word-1'))
    expect(e.code).toBe('invalid_email')
    expect(e.authingCode).toBe(6010)
  })

  it('answers invalid_phone for a number that is not one', async () => {
    const s = setup()
    const e = await failure(s.client().auth.registerByEmail('phone@example.com', 'pass-word-1', { phone: '12' }))
    expect(e.code).toBe('invalid_phone')
    expect(e.authingCode).toBe(6011)
  })

  it('answers registration_failed, one code for every password the server cannot use', async () => {
    const s = setup({ allowPlainPasswords: false })
    const c = s.client({ publicKey: undefined, minPasswordLength: 1 })
    // The server wants at least 8 characters; the client was told 1, so the server is the one to refuse.
    const e = await failure(c.auth.registerByEmail('tiny@example.com', 'x'))
    expect(e.code).toBe('registration_failed')
    expect(e.authingCode).toBe(6009)
  })

  it('holds the token when registration signs the user in', async () => {
    const s = setup()
    const c = s.client()
    const result = await c.auth.registerByEmail('direct@example.com', 'pass-word-1', undefined, { forceLogin: true })
    if (result.status !== 'authenticated') throw new Error('expected a session')
    expect(result.user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(result.user.token)
  })

  it('asks to sign in when the server does not sign a new user in', async () => {
    const s = setup()
    const c = s.client()
    const result = await c.auth.registerByEmail('later@example.com', 'pass-word-1')
    if (result.status !== 'sign_in_required') throw new Error(`expected sign_in_required, got ${result.status}`)
    expect(result.user).toMatchObject({ email: 'later@example.com' })
    expect(result.user.token ?? null).toBeNull()
    expect(c.getToken()).toBeNull()
  })

  it('registers by phone code, sent with the register scene', async () => {
    const s = setup()
    const c = s.client()
    await c.auth.sendSmsCode('13700137001', { scene: 'register', phoneCountryCode: '+86' })
    const code = await s.lastCode('13700137001')
    const result = await c.auth.registerByPhoneCode(
      '13700137001',
      code,
      'pass-word-1',
      { nickname: 'Phone' },
      { phoneCountryCode: '+86', forceLogin: true },
    )
    if (result.status !== 'authenticated') throw new Error(`expected a session, got ${result.status}`)
    expect(result.user).toMatchObject({ nickname: 'Phone', phoneVerified: true })
    const sent = (await s.requests
      .filter((r) => pathOf(r) === '/graphql/v2')
      .at(-1)
      ?.json()) as { query: string; variables: { input: Record<string, unknown> } }
    expect(sent.query).toMatch(/^mutation registerByPhoneCode\(\$input: RegisterByPhoneCodeInput!\)/)
    expect(sent.variables.input).toMatchObject({
      phone: '13700137001',
      code,
      phoneCountryCode: '+86',
      forceLogin: true,
      profile: { nickname: 'Phone' },
    })
    expect(sent.variables.input.password).not.toBe('pass-word-1')
  })

  it('registers by phone code without a password', async () => {
    const s = setup()
    const c = s.client()
    await c.auth.sendSmsCode('13700137002', { scene: 'register' })
    const result = await c.auth.registerByPhoneCode('13700137002', await s.lastCode('13700137002'))
    expect(result.status).toBe('sign_in_required')
    const sent = (await s.requests
      .filter((r) => pathOf(r) === '/graphql/v2')
      .at(-1)
      ?.json()) as { variables: { input: Record<string, unknown> } }
    expect(sent.variables.input).not.toHaveProperty('password')
    expect(s.requests.some((r) => pathOf(r) === '/api/v2/.well-known')).toBe(false)
  })

  it('refuses registration by phone with a wrong code', async () => {
    const s = setup()
    const e = await failure(s.client().auth.registerByPhoneCode('13700137003', '000000', 'pass-word-1'))
    expect(['invalid_code', 'code_expired']).toContain(e.code)
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
    expect(((await q!.json()) as { query: string }).query).toMatch(/^query user/)
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

  it('logs out: revokes the token on the server, as authing-js-sdk does, and forgets it', async () => {
    const s = setup()
    const { client: c } = await s.signedIn()
    const token = c.getToken()
    await c.auth.logout()
    expect(c.getToken()).toBeNull()
    const sent = s.requests.at(-1)!
    expect(sent.method).toBe('GET')
    expect(pathOf(sent)).toBe('/api/v2/logout?app_id=app1')
    expect(sent.headers.get('authorization')).toBe(`Bearer ${token}`)
    // The revoked token no longer reads the user.
    expect(await s.client({ token }).auth.getCurrentUser()).toBeNull()
  })

  it('logs out without a request when there is no token, and quietly when the token is already dead', async () => {
    const s = setup()
    await s.client().auth.logout()
    expect(s.requests).toHaveLength(0)
    const stale = s.client({ token: 'not-a-real-token' })
    await stale.auth.logout()
    expect(stale.getToken()).toBeNull()
  })

  it('clears the token even when the logout request fails, and reports the failure', async () => {
    const s = setup()
    const { client: signedIn } = await s.signedIn()
    const offline = s.client({ token: signedIn.getToken(), fetch: () => Promise.reject(new TypeError('offline')) })
    const e = await failure(offline.auth.logout())
    expect(e.code).toBe('network')
    expect(offline.getToken()).toBeNull()
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
