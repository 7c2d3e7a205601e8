import { afterEach, describe, expect, it, vi } from 'vitest'
import { AUTHING_SDK_VERSION_HEADER } from '@mfa-kit/protocol'
import { createMfaClient } from './client'
import type { FetchFunction } from './types'
import { APP_HOST, failure, pathOf, setup } from './harness.testing'

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('request headers (WIRE.md 1.2)', () => {
  it('sends the Authing headers on every REST and GraphQL call, and content-type only with a body', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    await c.auth.loginByEmail(email, password)
    await c.mfa.getMfaAuthenticators()
    await c.auth.getCurrentUser()
    expect(s.requests.length).toBeGreaterThanOrEqual(5)
    for (const r of s.requests) {
      expect(r.headers.get('x-authing-app-id')).toBe('app1')
      expect(r.headers.get('x-authing-request-from')).toBe('sdk')
      expect(r.headers.get('x-authing-sdk-version')).toBe(AUTHING_SDK_VERSION_HEADER)
      expect(r.headers.get('x-authing-lang')).toBe('zh-CN')
      expect(r.headers.get('accept')).toBe('application/json')
      expect(r.headers.has('x-authing-userpool-id')).toBe(false)
      expect(r.headers.has('x-authing-app-tenant-id')).toBe(false)
      expect(r.headers.get('content-type')).toBe(r.method === 'GET' || r.method === 'DELETE' ? null : 'application/json')
    }
  })

  it('sends the optional headers when configured and lets extra headers override defaults', async () => {
    const s = setup()
    const c = s.client({
      userPoolId: 'pool1',
      tenantId: 'tenant1',
      lang: 'en-US',
      headers: { 'X-Authing-Request-From': 'my-app', 'x-trace': 'abc' },
    })
    await s.register(c)
    const r = s.requests.at(-1)!
    expect(r.headers.get('x-authing-userpool-id')).toBe('pool1')
    expect(r.headers.get('x-authing-app-tenant-id')).toBe('tenant1')
    expect(r.headers.get('x-authing-lang')).toBe('en-US')
    expect(r.headers.get('x-authing-request-from')).toBe('my-app')
    expect(r.headers.get('x-trace')).toBe('abc')
  })

  it('strips a trailing slash from appHost', async () => {
    const s = setup()
    await s
      .client({ appHost: `${APP_HOST}///` })
      .mfa.getMfaAuthenticators()
      .catch(() => {})
    expect(s.requests[0]?.url).toBe(`${APP_HOST}/api/v2/mfa/authenticator?type=totp&source=SELF`)
  })

  it('sends no authorization header without a token', async () => {
    const s = setup()
    await s
      .client()
      .mfa.getMfaAuthenticators()
      .catch(() => {})
    expect(s.requests[0]?.headers.has('authorization')).toBe(false)
  })
})

describe('tokens', () => {
  it('prefixes a bare token with Bearer and sends a Bearer token unchanged; the server accepts both', async () => {
    const s = setup()
    const c = s.client()
    const { email, password } = await s.register(c)
    const r = await c.auth.loginByEmail(email, password)
    if (r.status !== 'authenticated') throw new Error('expected a session')
    const token = r.user.token ?? ''

    const bare = s.client({ token })
    expect((await bare.auth.getCurrentUser())?.email).toBe(email)
    expect(s.requests.at(-1)?.headers.get('authorization')).toBe(`Bearer ${token}`)

    const bearer = s.client({ token: `Bearer ${token}` })
    expect((await bearer.auth.getCurrentUser())?.email).toBe(email)
    expect(s.requests.at(-1)?.headers.get('authorization')).toBe(`Bearer ${token}`)
  })

  it('never writes to storage or cookies and never logs during a whole MFA flow', async () => {
    const touched: string[] = []
    const storage = () =>
      new Proxy({} as Storage, {
        get: (_, k) => {
          touched.push(`storage.${String(k)}`)
          return () => null
        },
        set: (_, k) => {
          touched.push(`storage.${String(k)}=`)
          return true
        },
      })
    vi.stubGlobal('localStorage', storage())
    vi.stubGlobal('sessionStorage', storage())
    vi.stubGlobal('document', {
      get cookie() {
        touched.push('cookie')
        return ''
      },
      set cookie(_: string) {
        touched.push('cookie=')
      },
    })
    const logs = (['log', 'info', 'warn', 'error', 'debug', 'trace', 'table', 'dir'] as const).map((m) => vi.spyOn(console, m))
    try {
      const s = setup({ factors: ['OTP', 'EMAIL'] })
      const c = s.client()
      const { email, password } = await s.register(c)
      const r = await c.auth.loginByEmail(email, password)
      if (r.status !== 'mfa_required') throw new Error('expected MFA')
      await c.auth.sendEmailCode(email)
      await c.mfa.verifyAppEmailMfa({ email, code: await s.lastCode(email), mfaToken: r.mfaToken })
      await c.mfa.getMfaAuthenticators({ type: 'totp' })
      const a = await c.mfa.assosicateMfaAuthenticator()
      await c.mfa.confirmAssosicateMfaAuthenticator({ totp: s.totp(a.secret) })
      await failure(c.mfa.verifyTotpMfa({ totp: '000000', mfaToken: 'nope' }))
    } finally {
      vi.unstubAllGlobals()
    }
    expect(touched).toEqual([])
    for (const spy of logs) expect(spy).not.toHaveBeenCalled()
  })
})

describe('Guard envelope', () => {
  it('resolves a Guard flow-end reply (statusCode 3xx, apiCode 1600) to the user and holds its token', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const replies: unknown[] = []
    const recording: FetchFunction = async (req) => {
      const res = await s.fetch(req)
      replies.push(await res.clone().json())
      return res
    }
    const guard = createMfaClient({
      appId: 'app1',
      appHost: APP_HOST,
      fetch: recording,
      headers: { 'x-authing-request-from': 'Guard@5.3.9' },
    })
    const { email, password } = await s.register()
    const r = await guard.auth.loginByEmail(email, password)
    if (r.status !== 'mfa_required') throw new Error('expected MFA')
    await guard.auth.sendEmailCode(email)
    const user = await guard.mfa.verifyAppEmailMfa({ email, code: await s.lastCode(email), mfaToken: r.mfaToken })
    expect(replies.at(-1)).toMatchObject({ apiCode: 1600, data: { user: { email } } })
    expect((replies.at(-1) as { statusCode: number }).statusCode).toBeGreaterThanOrEqual(300)
    expect(user.email).toBe(email)
    expect(guard.getToken()).toBe(user.token)
  })

  it('maps a Guard error reply to the same MfaError code', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const guard = s.client({ headers: { 'x-authing-request-from': 'Guard@5.3.9' } })
    const { email, password } = await s.register()
    const r = await guard.auth.loginByEmail(email, password)
    if (r.status !== 'mfa_required') throw new Error('expected MFA')
    await guard.auth.sendEmailCode(email)
    const right = await s.lastCode(email)
    const e = await failure(guard.mfa.verifyAppEmailMfa({ email, code: right === '000000' ? '111111' : '000000', mfaToken: r.mfaToken }))
    expect(e.code).toBe('invalid_code')
  })
})

describe('errors the server produces', () => {
  it('maps an unknown path to not_found', async () => {
    const s = setup()
    const e = await failure(s.client({ appHost: `${APP_HOST}/no-such-prefix` }).mfa.verifyTotpMfa({ totp: '123456', mfaToken: 'x' }))
    expect(e.code).toBe('not_found')
  })

  it('maps an oversized body to payload_too_large', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const e = await failure(s.client().auth.sendEmailCode(`${'a'.repeat(2 * 1024 * 1024)}@example.com`))
    expect(e.code).toBe('payload_too_large')
  })

  it('maps a malformed phone number to invalid_phone with the server message', async () => {
    const s = setup({ factors: ['SMS'] })
    const c = s.client()
    const e = await failure(c.auth.sendSmsCode('not a phone'))
    expect(e.code).toBe('invalid_phone')
    expect(e.message).toMatch(/phone/i)
  })

  it('maps a field of the wrong type to invalid_request', async () => {
    const s = setup({ factors: ['EMAIL'] })
    const e = await failure(s.client().auth.sendEmailCode(42 as unknown as string))
    expect(e.code).toBe('invalid_request')
  })
})

describe('retries against the server', () => {
  it('retries a read after network failures and returns the server answer', async () => {
    vi.useFakeTimers()
    const s = setup()
    const { email, password } = await s.register()
    let failures = 2
    const flaky: FetchFunction = (req) => {
      if (req.method === 'GET' && failures > 0) {
        failures--
        return Promise.reject(new TypeError('connection reset'))
      }
      return s.fetch(req)
    }
    const c = createMfaClient({ appId: 'app1', appHost: APP_HOST, fetch: flaky, publicKey: undefined })
    const login = c.auth.loginByEmail(email, password)
    await vi.dynamicImportSettled()
    await vi.advanceTimersByTimeAsync(250 + 500)
    expect((await login).status).toBe('authenticated')
    expect(s.requests.filter((r) => pathOf(r) === '/api/v2/.well-known')).toHaveLength(2)
  })

  it('does not retry a write that failed on the network', async () => {
    const s = setup()
    let calls = 0
    const flaky: FetchFunction = (req) => {
      if (req.method === 'POST') {
        calls++
        return Promise.reject(new TypeError('connection reset'))
      }
      return s.fetch(req)
    }
    const c = createMfaClient({ appId: 'app1', appHost: APP_HOST, fetch: flaky, retries: 3 })
    expect((await failure(c.mfa.verifyTotpMfa({ totp: '123456', mfaToken: 'x' }))).code).toBe('network')
    expect(calls).toBe(1)
  })
})
