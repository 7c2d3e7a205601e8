/** Server-wide rules: secrets at rest and in logs, generic errors, clock, atomicity, configuration. */

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { AuthingCode, paths, type MfaAssociation } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bytesToBase64, normalizeRecoveryCode } from './crypto'
import { MfaConfigError, resolveConfig } from './options'
import { createMfaServer } from './server'
import { createMemoryStore } from './store/memory'
import type { MfaStore } from './store/types'
import { createCaller, createHarness, PASSWORD, TEST_KEY, type Harness } from './harness.testing'

afterEach(() => vi.restoreAllMocks())

async function totpUser(h: Harness, email = 'alice@example.com') {
  await h.register(email)
  const token = (await h.login(email)).user!.token!
  return { token, ...(await h.bindTotp(token)) }
}

describe('secrets at rest', () => {
  it('SEC-01: TOTP seeds are sealed, bound to their user, and unreadable with another key', async () => {
    const store = createMemoryStore()
    const h = createHarness({ store })
    const alice = await totpUser(h, 'alice@example.com')
    h.clock.advance(30_000)
    await totpUser(h, 'bob@example.com')
    const aliceId = (await store.findUserBy('email', 'alice@example.com'))!.id
    const bobId = (await store.findUserBy('email', 'bob@example.com'))!.id
    const aliceRecord = (await store.getTotp(aliceId))!
    const secretBytes = OTPAuth.Secret.fromBase32(alice.association.secret).bytes
    expect(aliceRecord.sealedSecret).not.toContain(alice.association.secret)
    expect(aliceRecord.sealedSecret).not.toContain(bytesToBase64(secretBytes).replace(/=+$/, ''))
    expect(aliceRecord.sealedSecret).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)

    // Bob's row with Alice's ciphertext: the AAD no longer matches, nothing verifies.
    await store.deleteTotp(bobId)
    await store.putPendingTotp({
      id: 'swap',
      userId: bobId,
      sealedSecret: aliceRecord.sealedSecret,
      recoveryCodeHash: 'x',
      source: 'SELF',
      createdAt: 0,
      expiresAt: Number.MAX_SAFE_INTEGER,
    })
    await store.activatePendingTotp(bobId, 'swap', 0, 0)
    const bob = await h.loginForMfa('bob@example.com')
    const swapped = await h.call('POST', paths.totpVerify, { body: { totp: h.code(alice.totp) }, token: bob.mfaToken })
    expect(swapped.body).toMatchObject({ code: 500, data: null })
    expect(swapped.body.data).toBeNull()

    // The same store under another server key: Alice's seed cannot be opened.
    const other = createMfaServer({
      store,
      clock: h.clock,
      passwordIterations: 1,
      allowPlainPasswords: true,
      encryptionKey: bytesToBase64(new Uint8Array(32).fill(9)),
    })
    const { gql, call } = createCaller(other.fetch)
    const login = await gql('loginByEmail', { input: { email: 'alice@example.com', password: PASSWORD } })
    const mfaToken = login.errors![0]!.message.data.mfaToken
    const wrongKey = await call('POST', paths.totpVerify, { body: { totp: h.code(alice.totp, 1) }, token: mfaToken })
    expect(wrongKey.body.code).toBe(500)
    expect(h.logs.some((entry) => entry.event === 'secret.unreadable')).toBe(true)
  })

  it('SEC-02: no secret, code, recovery code, token or password reaches the logs in any flow', async () => {
    const h = createHarness({ factors: ['OTP', 'SMS', 'EMAIL'], enrollmentDuringLogin: 'any' })
    const secrets: string[] = [PASSWORD]
    const collect = (...values: unknown[]) => {
      for (const value of values) if (typeof value === 'string' && value.length >= 6) secrets.push(value)
    }

    await h.register('alice@example.com')
    const first = await h.loginForMfa('alice@example.com')
    collect(first.mfaToken)
    // Bind TOTP during sign-in (APPLICATION), with a wrong code first.
    const associated = (await h.call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token: first.mfaToken })).body
      .data as MfaAssociation
    collect(associated.secret, associated.recovery_code, normalizeRecoveryCode(associated.recovery_code), associated.qrcode_uri)
    const totp = OTPAuth.URI.parse(associated.qrcode_uri) as OTPAuth.TOTP
    await h.call('POST', paths.totpAssociateConfirm, { body: { totp: '000000' }, token: first.mfaToken })
    const confirmCode = h.code(totp)
    collect(confirmCode)
    const bound = await h.call('POST', paths.totpAssociateConfirm, { body: { totp: confirmCode }, token: first.mfaToken })
    collect(bound.body.data.token)
    h.clock.advance(30_000)

    // TOTP verify, wrong and right.
    const second = await h.loginForMfa('alice@example.com')
    collect(second.mfaToken)
    await h.call('POST', paths.totpVerify, { body: { totp: '111111' }, token: second.mfaToken })
    const code = h.code(totp)
    collect(code)
    collect((await h.call('POST', paths.totpVerify, { body: { totp: code }, token: second.mfaToken })).body.data.token)

    // Recovery code, wrong and right.
    const third = await h.loginForMfa('alice@example.com')
    collect(third.mfaToken)
    await h.call('POST', paths.totpRecovery, { body: { recoveryCode: '0000-0000-0000-0000-0000-0000' }, token: third.mfaToken })
    const recovered = await h.call('POST', paths.totpRecovery, { body: { recoveryCode: associated.recovery_code }, token: third.mfaToken })
    collect(recovered.body.recoveryCode, recovered.body.data.token)

    // SMS and email, send and verify, with a bind.
    const fourth = await h.loginForMfa('alice@example.com')
    collect(fourth.mfaToken)
    await h.call('POST', paths.applicationCheck, { body: { phone: '13800001111' }, token: fourth.mfaToken })
    await h.call('POST', paths.smsSend, { body: { phone: '13800001111', scene: 'mfa-verify' }, token: fourth.mfaToken })
    collect(h.lastCode('13800001111'))
    await h.call('POST', paths.applicationSmsVerify, { body: { phone: '13800001111', code: '000000' }, token: fourth.mfaToken })
    const smsDone = await h.call('POST', paths.applicationSmsVerify, {
      body: { phone: '13800001111', code: h.lastCode('13800001111') },
      token: fourth.mfaToken,
    })
    expect(smsDone.body.code).toBe(200)
    collect(smsDone.body.data.token)
    const fifth = await h.loginForMfa('alice@example.com')
    collect(fifth.mfaToken)
    await h.call('POST', paths.emailSend, { body: { email: 'alice@example.com', scene: 'MFA_VERIFY_CODE' } })
    collect(h.lastCode('alice@example.com'))
    const emailDone = await h.call('POST', paths.applicationEmailVerify, {
      body: { email: 'alice@example.com', code: h.lastCode('alice@example.com') },
      token: fifth.mfaToken,
    })
    const access = emailDone.body.data.token as string
    collect(access)

    // Current user, failed login, lock, unbind, and a server error.
    await h.call('POST', paths.graphql, { body: { query: 'query user { user { id } }' }, token: access })
    await h.gql('loginByEmail', { input: { email: 'alice@example.com', password: 'not the password' } })
    collect('not the password')
    await h.call('DELETE', paths.totpAssociate, { token: access })

    expect(h.logs.length).toBeGreaterThan(10)
    const logged = JSON.stringify(h.logs)
    for (const secret of secrets) expect(logged, `a secret value appeared in the log`).not.toContain(secret)
    expect(logged).not.toContain('13800001111')
  })

  it('SEC-03: secrets come from crypto.getRandomValues and the sources never use Math.random', async () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues')
    const h = createHarness()
    await totpUser(h)
    expect(spy.mock.calls.length).toBeGreaterThan(3)
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && /Math\.random\s*\(/.test(readFileSync(path, 'utf8')))
          offenders.push(path)
      }
    }
    walk(import.meta.dirname)
    expect(offenders).toEqual([])
  })

  it('SEC-04: an unexpected failure answers a generic body and logs no message', async () => {
    const store = createMemoryStore()
    const failing: MfaStore = {
      ...store,
      async getToken() {
        throw new Error('database exploded near token 12345 secret')
      },
    }
    const h = createHarness({ store: failing })
    const result = await h.call('GET', paths.authenticators, { token: 'whatever' })
    expect(result.status).toBe(500)
    expect(result.body).toEqual({ code: 500, message: 'Internal server error', data: null })
    const logged = JSON.stringify(h.logs)
    expect(logged).toContain('request.failed')
    expect(logged).not.toContain('exploded')
    expect(logged).not.toContain('secret')
  })
})

describe('time and concurrency', () => {
  it('REL-01: every time rule reads the injected clock', async () => {
    const h = createHarness({ factors: ['SMS'] })
    h.clock.set(Date.UTC(2031, 5, 1))
    await h.register('a@example.com')
    const { mfaToken } = await h.loginForMfa('a@example.com')
    await h.call('POST', paths.smsSend, { body: { phone: '13800000001', scene: 'mfa-verify' } })
    expect(h.server.outbox()[0]!.sentAt).toBe('2031-06-01T00:00:00.000Z')
    const result = await h.call('POST', paths.applicationSmsVerify, {
      body: { phone: '13800000001', code: h.lastCode('13800000001') },
      token: mfaToken,
    })
    expect(result.body.data.tokenExpiredAt).toBe('2031-06-01T12:00:00.000Z')
  })

  it('REL-02: with a threshold of 5, 50 parallel wrong codes get exactly 5 evaluations', async () => {
    const h = createHarness()
    await totpUser(h)
    const tokens = []
    for (let i = 0; i < 50; i++) tokens.push((await h.loginForMfa('alice@example.com')).mfaToken)
    const results = await Promise.all(
      tokens.map(async (token) => (await h.call('POST', paths.totpVerify, { body: { totp: '000000' }, token })).body.code),
    )
    expect(results.filter((code) => code === AuthingCode.INVALID_TOTP)).toHaveLength(5)
    expect(results.filter((code) => code === AuthingCode.TOO_MANY_ATTEMPTS)).toHaveLength(45)
  })
})

describe('parallel right and wrong codes', () => {
  it('REL-02: a right code among 50 parallel attempts succeeds only while fewer than 5 failures are recorded', async () => {
    for (const position of [0, 3, 4, 10, 49]) {
      const h = createHarness()
      const { totp } = await totpUser(h)
      const tokens = []
      for (let i = 0; i < 50; i++) tokens.push((await h.loginForMfa('alice@example.com')).mfaToken)
      const right = h.code(totp)
      const results = await Promise.all(
        tokens.map(
          async (token, i) =>
            (await h.call('POST', paths.totpVerify, { body: { totp: i === position ? right : '000000' }, token })).body.code,
        ),
      )
      const wrong = results.filter((code) => code === AuthingCode.INVALID_TOTP).length
      const locked = results.filter((code) => code === AuthingCode.TOO_MANY_ATTEMPTS).length
      if (results[position] === AuthingCode.OK) {
        expect(wrong).toBeLessThanOrEqual(5)
        expect(wrong + locked).toBe(49)
      } else {
        expect(results[position]).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
        expect(wrong).toBe(5)
        expect(locked).toBe(45)
      }
    }
  })
})

describe('response headers', () => {
  it('sends the security headers without an Origin, and no CORS headers', async () => {
    const h = createHarness()
    for (const [method, path] of [
      ['GET', paths.authenticators],
      ['POST', paths.totpVerify],
      ['GET', '/nope'],
    ] as const) {
      const result = await h.call(method, path, {})
      expect(result.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(result.headers.get('referrer-policy')).toBe('no-referrer')
      expect(result.headers.get('x-content-type-options')).toBe('nosniff')
      expect(result.headers.get('cache-control')).toBe('no-store')
      expect(result.headers.get('access-control-allow-origin')).toBeNull()
    }
  })

  it('answers a preflight from an allowed origin with CORS and the security headers, and others without CORS', async () => {
    const h = createHarness({ allowedOrigins: ['https://app.example.com'] })
    const preflight = (origin: string) =>
      h.server.fetch(
        new Request(`http://mfa.test${paths.totpVerify}`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        }),
      )
    const response = await preflight('https://app.example.com')
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(response.headers.get('cache-control')).toBe('no-store')
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null', 'http://app.example.com']) {
      const refused = await preflight(origin)
      expect(refused.headers.get('access-control-allow-origin')).toBeNull()
      expect(refused.headers.get('access-control-allow-credentials')).toBeNull()
      expect(refused.headers.get('cache-control')).toBe('no-store')
    }
  })
})

describe('configuration guardrails', () => {
  it('REL-05: refuses unsafe or unknown settings with every problem listed', () => {
    const bad = [
      { limits: { mfaTokenTtlMs: 10 * 60_000 + 1 } },
      { limits: { oobCodeTtlMs: 11 * 60_000 } },
      { limits: { oobCodeDigits: 4 } },
      { limits: { failureThreshold: 0 } },
      { limits: { failureThreshold: 101 } },
      { limits: { pendingBindingTtlMs: 3_600_000 } },
      { limits: { lockBaseMs: 60_000, lockMaxMs: 30_000 } },
      { limits: { nonsense: 1 } as never },
      { totp: { period: 300 } },
      { totp: { digits: 9 } },
      { totp: { window: 2 } },
      { totp: { secretBytes: 10 } },
      { factors: ['SMS', 'PIGEON'] as never },
      { issuer: 'A:B' },
      { passwordIterations: 0 },
      { encryptionKey: 'too-short' },
    ]
    for (const options of bad) expect(() => createMfaServer(options), JSON.stringify(options)).toThrow(MfaConfigError)
    try {
      resolveConfig({ limits: { failureThreshold: 0, oobCodeDigits: 3 } })
    } catch (error) {
      expect((error as MfaConfigError).problems).toHaveLength(2)
    }
  })

  it('REL-05: accepts the safe defaults and tighter settings', () => {
    const config = resolveConfig({ limits: { failureThreshold: 3, mfaTokenTtlMs: 120_000 }, totp: { window: { past: 1, future: 0 } } })
    expect(config.limits).toMatchObject({ failureThreshold: 3, mfaTokenTtlMs: 120_000, oobCodeTtlMs: 300_000, mfaTokenMaxAttempts: 5 })
    expect(config.totp.window).toEqual({ past: 1, future: 0 })
    expect(createMfaServer({ encryptionKey: TEST_KEY }).config.factors).toEqual([])
  })
})
