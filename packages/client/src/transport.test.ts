import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMfaClient } from './client'
import { isMfaError, MfaError } from './errors'
import { unwrapEnvelope } from './envelope'
import { backoffMs } from './transport'
import type { FetchFunction } from './types'

/** A fetch that records what it is given and never answers, unless its signal aborts it. */
function hangingFetch() {
  const seen: Request[] = []
  const fetch: FetchFunction = (req) => {
    seen.push(req)
    return new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)))
  }
  return { fetch, seen }
}

const base = { appId: 'app1', appHost: 'http://mfa.test' }

async function failure(p: Promise<unknown>): Promise<MfaError> {
  try {
    await p
  } catch (e) {
    if (e instanceof MfaError) return e
    throw e
  }
  throw new Error('expected the call to fail')
}

afterEach(() => {
  vi.useRealTimers()
})

describe('transport failures', () => {
  it('maps a fetch that throws to a network error and keeps the cause', async () => {
    const boom = new TypeError('fetch failed')
    const client = createMfaClient({ ...base, fetch: () => Promise.reject(boom), retries: 0 })
    const e = await failure(client.mfa.verifyTotpMfa({ totp: '123456', mfaToken: 't' }))
    expect(e.code).toBe('network')
    expect(e.cause).toBe(boom)
  })

  it('maps a reply that is not JSON to bad_response with the HTTP status', async () => {
    const html = () => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }))
    const client = createMfaClient({ ...base, fetch: html })
    const e = await failure(client.mfa.verifyTotpMfa({ totp: '123456', mfaToken: 't' }))
    expect(e.code).toBe('bad_response')
    expect(e.status).toBe(502)
  })

  it('times out a call that gets no reply, and aborts the underlying request', async () => {
    vi.useFakeTimers()
    const { fetch, seen } = hangingFetch()
    const client = createMfaClient({ ...base, fetch, timeoutMs: 5000 })
    const call = failure(client.mfa.verifyTotpMfa({ totp: '123456', mfaToken: 't' }))
    await vi.advanceTimersByTimeAsync(4999)
    expect(seen[0]?.signal.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const e = await call
    expect(e.code).toBe('timeout')
    expect(seen[0]?.signal.aborted).toBe(true)
  })

  it('lets one call override the timeout', async () => {
    vi.useFakeTimers()
    const { fetch } = hangingFetch()
    const client = createMfaClient({ ...base, fetch, timeoutMs: 60_000 })
    const call = failure(client.mfa.verifyAppSmsMfa({ phone: '13800000000', code: '1', mfaToken: 't', timeoutMs: 100 }))
    await vi.advanceTimersByTimeAsync(100)
    expect((await call).code).toBe('timeout')
  })

  it('never times out with timeoutMs 0', async () => {
    vi.useFakeTimers()
    const { fetch, seen } = hangingFetch()
    const client = createMfaClient({ ...base, fetch, timeoutMs: 0 })
    const ctl = new AbortController()
    const call = failure(client.mfa.verifyTotpMfa({ totp: '1', mfaToken: 't', signal: ctl.signal }))
    await vi.advanceTimersByTimeAsync(24 * 3600_000)
    expect(seen[0]?.signal.aborted).toBe(false)
    ctl.abort()
    expect((await call).code).toBe('aborted')
  })

  it('rejects with aborted when the caller aborts, and aborts the request', async () => {
    const { fetch, seen } = hangingFetch()
    const client = createMfaClient({ ...base, fetch })
    const ctl = new AbortController()
    const call = failure(client.mfa.verifyAppEmailMfa({ email: 'a@b.c', code: '1', mfaToken: 't', signal: ctl.signal }))
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    const reason = new Error('user left the page')
    ctl.abort(reason)
    const e = await call
    expect(e.code).toBe('aborted')
    expect(e.cause).toBe(reason)
    expect(seen[0]?.signal.aborted).toBe(true)
  })

  it('does not send anything when the signal is already aborted', async () => {
    const { fetch, seen } = hangingFetch()
    const client = createMfaClient({ ...base, fetch })
    const e = await failure(client.mfa.getMfaAuthenticators({ type: 'totp', signal: AbortSignal.abort() }))
    expect(e.code).toBe('aborted')
    expect(seen).toHaveLength(0)
  })

  it('settles on abort even when the fetch function ignores its signal', async () => {
    const deaf: FetchFunction = () => new Promise(() => {})
    const client = createMfaClient({ ...base, fetch: deaf })
    const ctl = new AbortController()
    const call = failure(client.mfa.verifyTotpMfa({ totp: '1', mfaToken: 't', signal: ctl.signal }))
    ctl.abort()
    expect((await call).code).toBe('aborted')
  })

  it('applies the timeout to the login path, including the public-key fetch', async () => {
    vi.useFakeTimers()
    const { fetch, seen } = hangingFetch()
    const client = createMfaClient({ ...base, fetch, timeoutMs: 1000 })
    const call = failure(client.auth.loginByEmail('a@example.com', 'pw-123456'))
    await vi.dynamicImportSettled()
    await vi.advanceTimersByTimeAsync(999)
    expect(seen).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect((await call).code).toBe('timeout')
    expect(new URL(seen[0]?.url ?? '').pathname).toBe('/api/v2/.well-known')
  })
})

describe('replies that must not count as success', () => {
  it('refuses a verification success that carries no token and keeps the holder unchanged', async () => {
    // A tampered or broken reply the reference server never sends.
    const tampered: FetchFunction = () => Promise.resolve(Response.json({ code: 200, message: 'ok', data: { id: 'u1' } }))
    const client = createMfaClient({ ...base, fetch: tampered, token: 'old' })
    const e = await failure(client.mfa.verifyTotpMfa({ totp: '123456', mfaToken: 't' }))
    expect(e.code).toBe('bad_response')
    expect(client.getToken()).toBe('old')
  })

  it('refuses an MFA-required login reply without an mfaToken', async () => {
    const tampered: FetchFunction = (req) =>
      Promise.resolve(
        new URL(req.url).pathname === '/graphql/v2'
          ? Response.json({
              errors: [{ message: { code: 1636, message: 'mfa', data: { applicationMfa: [] } } }],
              data: { loginByPhoneCode: null },
            })
          : Response.json({ code: 404, message: 'no' }),
      )
    const client = createMfaClient({ ...base, fetch: tampered })
    const e = await failure(client.auth.loginByPhoneCode('13800000000', '1234'))
    expect(e.code).toBe('bad_response')
    expect(e.authingCode).toBe(1636)
  })
})

describe('retries', () => {
  it('backs off exponentially and caps the delay', () => {
    expect([0, 1, 2, 3, 4, 10].map(backoffMs)).toEqual([250, 500, 1000, 2000, 2000, 2000])
  })

  it('never retries a write', async () => {
    let calls = 0
    const flaky: FetchFunction = () => {
      calls++
      return Promise.reject(new TypeError('connection reset'))
    }
    const client = createMfaClient({ ...base, fetch: flaky, retries: 5 })
    expect((await failure(client.mfa.verifyTotpMfa({ totp: '1', mfaToken: 't' }))).code).toBe('network')
    expect((await failure(client.mfa.deleteMfaAuthenticator())).code).toBe('network')
    expect(calls).toBe(2)
  })

  it('retries a read after network failures, then gives up with the last error', async () => {
    vi.useFakeTimers()
    let calls = 0
    const down: FetchFunction = () => {
      calls++
      return Promise.reject(new TypeError('ECONNREFUSED'))
    }
    const client = createMfaClient({ ...base, fetch: down, retries: 2 })
    const call = failure(client.mfa.getMfaAuthenticators())
    await vi.advanceTimersByTimeAsync(250)
    expect(calls).toBe(2)
    await vi.advanceTimersByTimeAsync(500)
    expect(calls).toBe(3)
    expect((await call).code).toBe('network')
  })

  it('stops retrying when the call is aborted during the backoff', async () => {
    vi.useFakeTimers()
    let calls = 0
    const down: FetchFunction = () => {
      calls++
      return Promise.reject(new TypeError('ECONNREFUSED'))
    }
    const client = createMfaClient({ ...base, fetch: down, retries: 5 })
    const ctl = new AbortController()
    const call = failure(client.mfa.getMfaAuthenticators({ type: 'totp', signal: ctl.signal }))
    await vi.advanceTimersByTimeAsync(10)
    ctl.abort()
    expect((await call).code).toBe('aborted')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toBe(1)
  })
})

describe('creating a client', () => {
  it('needs an appHost', () => {
    expect(() => createMfaClient({ appId: 'a', appHost: '' })).toThrow(MfaError)
  })

  it('touches no network until a method is called', () => {
    const { fetch, seen } = hangingFetch()
    createMfaClient({ ...base, fetch })
    expect(seen).toHaveLength(0)
  })

  it('holds the initial token and reports real changes only', () => {
    const heard: (string | null)[] = []
    const client = createMfaClient({ ...base, fetch: hangingFetch().fetch, token: 'tok-1', onTokenChange: (t) => heard.push(t) })
    expect(client.getToken()).toBe('tok-1')
    client.setToken('tok-1')
    client.setToken('tok-2')
    const off = client.onTokenChange((t) => heard.push(`second:${t}`))
    client.setToken(null)
    off()
    client.setToken('')
    client.setToken('tok-3')
    expect(heard).toEqual(['tok-2', null, 'second:null', 'tok-3'])
    expect(client.getToken()).toBe('tok-3')
  })
})

describe('unwrapEnvelope (envelope variants from Authing cloud)', () => {
  it('accepts statusCode 200 without code', () => {
    expect(unwrapEnvelope({ statusCode: 200, message: 'ok', data: [1] })).toEqual([1])
  })

  it('takes the user out of a Guard flow-end reply, also when code 200 is mixed in', () => {
    const user = { id: 'u1', token: 't' }
    expect(unwrapEnvelope({ statusCode: 302, apiCode: 1600, data: { user } })).toBe(user)
    expect(unwrapEnvelope({ code: 200, statusCode: 302, apiCode: 1600, data: { user } })).toBe(user)
  })

  it('prefers the apiCode of a Guard error and reads retryAfterMs from data', () => {
    let e: unknown
    try {
      unwrapEnvelope({ statusCode: 400, apiCode: 2080, message: 'one email per minute', data: { retryAfterMs: 42_000, retryAfter: 42 } })
    } catch (x) {
      e = x
    }
    expect(isMfaError(e, 'rate_limited')).toBe(true)
    expect((e as MfaError).authingCode).toBe(2080)
    expect((e as MfaError).retryAfterMs).toBe(42_000)
    expect((e as MfaError).message).toBe('one email per minute')
  })

  it('reads Retry-After from the reply headers when data has no delay', () => {
    const res = new Response('', { status: 200, headers: { 'retry-after': '7' } })
    expect(() => unwrapEnvelope({ code: 2057, message: 'locked', data: null }, res)).toThrow(
      expect.objectContaining({ code: 'rate_limited', retryAfterMs: 7000 }),
    )
  })

  it('reports a JSON reply without an envelope as bad_response, or by HTTP status', () => {
    expect(() => unwrapEnvelope([1, 2])).toThrow(expect.objectContaining({ code: 'bad_response' }))
    expect(() => unwrapEnvelope({ error: 'x' }, new Response('', { status: 503 }))).toThrow(
      expect.objectContaining({ code: 'server_error', status: 503 }),
    )
    expect(() => unwrapEnvelope({ error: 'x' }, new Response('', { status: 404 }))).toThrow(expect.objectContaining({ code: 'not_found' }))
  })

  it('gives unknown Authing codes the code unknown but keeps the number', () => {
    expect(() => unwrapEnvelope({ code: 9999, message: 'new thing' })).toThrow(
      expect.objectContaining({ code: 'unknown', authingCode: 9999, message: 'new thing' }),
    )
  })
})
