/**
 * TOTP factor against the security bar (SECURITY.md rows OTP, TV, B32, VER, REC, BND, REL-03).
 * Codes come from the independent `otpauth` package or from the RFC 6238 tables.
 */

import { AuthingCode, paths, type MfaAssociation } from '@mfa-kit/protocol'
import fc from 'fast-check'
import * as OTPAuth from 'otpauth'
import { describe, expect, it } from 'vitest'
import { base32Decode, createCodeHasher, normalizeRecoveryCode } from '../crypto'
import { MfaConfigError, totpGuessBound } from '../options'
import { decodePng, pngFromDataUrl, scan } from '../qr/read-back.testing'
import { createMfaServer } from '../server'
import { createHarness, injectTotp, TEST_KEY, type Harness } from '../harness.testing'

const RFC_SHA1 = new TextEncoder().encode('12345678901234567890')
const RFC_SHA256 = new TextEncoder().encode('12345678901234567890123456789012')
const RFC_SHA512 = new TextEncoder().encode(`${'1234567890'.repeat(6)}1234`)
const RFC_TIMES = [59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000]

async function userWithTotp(h: Harness, email = 'alice@example.com') {
  await h.register(email)
  const token = (await h.login(email)).user!.token!
  return { token, ...(await h.bindTotp(token)) }
}

async function verify(h: Harness, mfaToken: string, totp: unknown, extra: Record<string, unknown> = {}) {
  return (await h.call('POST', paths.totpVerify, { body: { totp, ...extra }, token: mfaToken })).body
}

/** Signs in at each RFC time and verifies the table's code; all must pass. */
async function rfcTable(h: Harness, email: string, codes: string[]) {
  const results: number[] = []
  for (const [i, t] of RFC_TIMES.entries()) {
    h.clock.set(t * 1000)
    const { mfaToken } = await h.loginForMfa(email)
    results.push((await verify(h, mfaToken, codes[i])).code)
  }
  return results
}

async function knownSecretUser(h: Harness, email: string, secret: Uint8Array) {
  const id = await h.register(email)
  await injectTotp(h.server, id, secret)
  return id
}

describe('OTP algorithm and test vectors, through the verify endpoint', () => {
  it('TV-02 / OTP-01 / OTP-02: accepts the RFC 6238 SHA1 8-digit codes, leading zero and year 2603 included', async () => {
    const h = createHarness({ totp: { digits: 8 } })
    await knownSecretUser(h, 'tv@example.com', RFC_SHA1)
    expect(await rfcTable(h, 'tv@example.com', ['94287082', '07081804', '14050471', '89005924', '69279037', '65353130'])).toEqual(
      Array(6).fill(200),
    )
  })

  it('TV-03: accepts the RFC 6238 SHA256 codes with the 32-byte key', async () => {
    const h = createHarness({ totp: { digits: 8, algorithm: 'SHA256' } })
    await knownSecretUser(h, 'tv@example.com', RFC_SHA256)
    expect(await rfcTable(h, 'tv@example.com', ['46119246', '68084774', '67062674', '91819424', '90698825', '77737706'])).toEqual(
      Array(6).fill(200),
    )
  })

  it('TV-04: accepts the RFC 6238 SHA512 codes with the 64-byte key', async () => {
    const h = createHarness({ totp: { digits: 8, algorithm: 'SHA512' } })
    await knownSecretUser(h, 'tv@example.com', RFC_SHA512)
    expect(await rfcTable(h, 'tv@example.com', ['90693936', '25091201', '99943326', '93441116', '38618901', '47863826'])).toEqual(
      Array(6).fill(200),
    )
  })

  it('OTP-03: does not accept the RFC SHA512 value for the 20-byte key', async () => {
    const h = createHarness({ totp: { digits: 8, algorithm: 'SHA512' } })
    await knownSecretUser(h, 'tv@example.com', RFC_SHA1)
    h.clock.set(59_000)
    const { mfaToken } = await h.loginForMfa('tv@example.com')
    expect((await verify(h, mfaToken, '90693936')).code).toBe(AuthingCode.INVALID_TOTP)
    expect((await verify(h, mfaToken, '69342147')).code).toBe(200)
  })

  it('TV-05: the default 6-digit code is the 8-digit value mod 10^6', async () => {
    const h = createHarness()
    await knownSecretUser(h, 'tv@example.com', RFC_SHA1)
    h.clock.set(59_000)
    const { mfaToken } = await h.loginForMfa('tv@example.com')
    expect((await verify(h, mfaToken, '287082')).code).toBe(200)
  })

  it('OTP-04: generated secrets are 20 CSPRNG bytes and never repeat', async () => {
    const h = createHarness()
    await h.register('gen@example.com')
    const token = (await h.login('gen@example.com')).user!.token!
    const seen = new Set<string>()
    for (let i = 0; i < 300; i++) {
      const { body } = await h.call('POST', paths.totpAssociate, { body: {}, token })
      expect(base32Decode(body.data.secret)).toHaveLength(20)
      seen.add(body.data.secret)
    }
    expect(seen.size).toBe(300)
  })

  it('OTP-05: refuses a period above 120 s or fewer than 6 digits, and defaults to SHA1/6/30', async () => {
    expect(() => createMfaServer({ totp: { period: 121 } })).toThrow(MfaConfigError)
    expect(() => createMfaServer({ totp: { digits: 5 } })).toThrow(MfaConfigError)
    const h = createHarness()
    await h.register('d@example.com')
    const token = (await h.login('d@example.com')).user!.token!
    const uri = new URL((await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data.qrcode_uri)
    expect([uri.searchParams.get('algorithm'), uri.searchParams.get('digits'), uri.searchParams.get('period')]).toEqual(['SHA1', '6', '30'])
  })
})

describe('base32 and the otpauth URI', () => {
  it('B32-01 / B32-02: the secret is upper-case RFC 4648 base32 without padding, the same in the URI', async () => {
    const h = createHarness()
    await h.register('b@example.com')
    const token = (await h.login('b@example.com')).user!.token!
    const data = (await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
    expect(data.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(new URL(data.qrcode_uri).searchParams.get('secret')).toBe(data.secret)
    expect(data.qrcode_uri).not.toContain('=&')
    expect(OTPAuth.Secret.fromBase32(data.secret).bytes).toEqual(new Uint8Array(base32Decode(data.secret)))
  })

  it('B32-03: the served secret typed back in lower case with spaces decodes to the same key', async () => {
    const h = createHarness()
    await h.register('b@example.com')
    const token = (await h.login('b@example.com')).user!.token!
    const { secret } = (await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
    const typed = secret
      .toLowerCase()
      .match(/.{1,4}/g)!
      .join(' ')
    expect(base32Decode(typed)).toEqual(base32Decode(secret))
    expect(() => base32Decode(`${secret.slice(0, 4)}0189`)).toThrow()
  })

  it('B32-04: issuer prefix and parameter match for issuers and accounts with reserved characters', async () => {
    for (const [issuer, username] of [
      ['Acme & Co #1', 'a&b#c'],
      ['Ünïcödé Bank', 'josé?x=1'],
      ['Space Issuer', 'with/slash'],
    ] as const) {
      const h = createHarness({ issuer })
      await h.gql('registerByUsername', { input: { username, password: 'correct horse battery', forceLogin: true } })
      const token = (await h.gql('loginByUsername', { input: { username, password: 'correct horse battery' } })).data!.loginByUsername.token
      const { qrcode_uri } = (await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
      const uri = new URL(qrcode_uri)
      const label = decodeURIComponent(uri.pathname.slice(1))
      expect(label).toBe(`${issuer}:${username}`)
      expect(uri.searchParams.get('issuer')).toBe(issuer)
      expect(qrcode_uri).not.toContain(' ')
      const parsed = OTPAuth.URI.parse(qrcode_uri) as OTPAuth.TOTP
      expect(parsed.issuer).toBe(issuer)
      expect(parsed.label).toBe(username)
    }
  })

  it('B32-05: the default URI carries only the interoperable set; other settings warn', async () => {
    const h = createHarness()
    expect(h.server.config.warnings.filter((w) => !w.startsWith('passwordIterations'))).toEqual([])
    const sha256 = createHarness({ totp: { algorithm: 'SHA256' } })
    expect(sha256.server.config.warnings.some((w) => w.includes('SHA256'))).toBe(true)
    expect(sha256.logs.some((entry) => entry.event === 'config.warning' && String(entry.fields?.warning).includes('SHA256'))).toBe(true)
  })

  it('associate sends the otpauth URI as a QR code PNG that scans back to the same URI', async () => {
    const h = createHarness()
    await h.register('qr@example.com')
    const token = (await h.login('qr@example.com')).user!.token!
    const data = (await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
    expect(data.qrcode_data_url).toMatch(/^data:image\/png;base64,/)
    const scanned = scan(decodePng(pngFromDataUrl(data.qrcode_data_url)))
    expect(scanned?.data).toBe(data.qrcode_uri)
    expect((OTPAuth.URI.parse(scanned!.data) as OTPAuth.TOTP).secret.base32).toBe(data.secret)
  })

  it('associate sends no QR image, but the URI and secret, when the URI is too long for a QR code', async () => {
    const h = createHarness()
    const email = `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.example.com`
    await h.register(email)
    const token = (await h.login(email)).user!.token!
    const data = (await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
    expect(new TextEncoder().encode(data.qrcode_uri).length).toBeGreaterThan(213)
    expect(data.qrcode_data_url).toBe('')
    expect(data.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(h.logs.find((entry) => entry.event === 'factor.qrcode_too_long')?.fields).toEqual({
      userId: expect.any(String),
      bytes: expect.any(Number),
    })
  })
})

describe('verification policy', () => {
  it('VER-01: accepts the codes of T-1 and T+1, refuses T-2 and T+2, at the step boundary', async () => {
    const h = createHarness()
    await knownSecretUser(h, 'v@example.com', RFC_SHA1)
    const totp = new OTPAuth.TOTP({ secret: new OTPAuth.Secret({ buffer: RFC_SHA1.slice().buffer }) })
    const step = 60_000_000
    const codeAt = (s: number) => totp.generate({ timestamp: s * 30_000 })
    h.clock.set(step * 30_000 - 1) // t = 29.999 s into the previous step: current step is step-1
    let { mfaToken } = await h.loginForMfa('v@example.com')
    expect((await verify(h, mfaToken, codeAt(step + 1))).code).toBe(AuthingCode.INVALID_TOTP) // T+2
    expect((await verify(h, mfaToken, codeAt(step - 3))).code).toBe(AuthingCode.INVALID_TOTP) // T-2
    h.clock.set(step * 30_000) // exactly 30.000: current step is `step`
    ;({ mfaToken } = await h.loginForMfa('v@example.com'))
    expect((await verify(h, mfaToken, codeAt(step - 1))).code).toBe(200) // T-1
    ;({ mfaToken } = await h.loginForMfa('v@example.com'))
    expect((await verify(h, mfaToken, codeAt(step + 1))).code).toBe(200) // T+1
  })

  it('VER-02: a code works once, and an earlier step never works after a later one', async () => {
    const h = createHarness()
    const { totp } = await userWithTotp(h)
    let { mfaToken } = await h.loginForMfa('alice@example.com')
    expect((await verify(h, mfaToken, h.code(totp))).code).toBe(200)
    ;({ mfaToken } = await h.loginForMfa('alice@example.com'))
    expect((await verify(h, mfaToken, h.code(totp))).code).toBe(AuthingCode.INVALID_TOTP)
    expect((await verify(h, mfaToken, h.code(totp, -1))).code).toBe(AuthingCode.INVALID_TOTP)
  })

  it('VER-03: 50 parallel verifies of one valid code give exactly 1 success', async () => {
    const h = createHarness({ limits: { failureThreshold: 100 } })
    const { totp } = await userWithTotp(h)
    const tokens = []
    for (let i = 0; i < 50; i++) tokens.push((await h.loginForMfa('alice@example.com')).mfaToken)
    const code = h.code(totp)
    const results = await Promise.all(tokens.map((token) => verify(h, token, code)))
    expect(results.filter((r) => r.code === 200)).toHaveLength(1)
    expect(results.filter((r) => r.code === AuthingCode.INVALID_TOTP)).toHaveLength(49)
  })

  it('VER-04: failures count per account across mfaTokens; the lock refuses even the right code and grows', async () => {
    const h = createHarness()
    const { totp } = await userWithTotp(h)
    const answers: number[] = []
    for (let i = 0; i < 6; i++) {
      const { mfaToken } = await h.loginForMfa('alice@example.com')
      answers.push((await verify(h, mfaToken, '000000')).code)
    }
    expect(answers).toEqual([6001, 6001, 6001, 6001, 6001, AuthingCode.TOO_MANY_ATTEMPTS])
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const locked = await verify(h, mfaToken, h.code(totp))
    expect(locked).toMatchObject({ code: AuthingCode.TOO_MANY_ATTEMPTS, data: { retryAfterMs: 30_000, retryAfter: 30 } })

    h.clock.advance(30_000)
    for (let i = 0; i < 5; i++) {
      const next = await h.loginForMfa('alice@example.com')
      await verify(h, next.mfaToken, '000000')
    }
    const second = await h.loginForMfa('alice@example.com')
    expect((await verify(h, second.mfaToken, h.code(totp))).data).toEqual({ retryAfterMs: 60_000, retryAfter: 60 })
    h.clock.advance(60_000)
    const after = await h.loginForMfa('alice@example.com')
    expect((await verify(h, after.mfaToken, h.code(totp))).code).toBe(200)
  })

  it('VER-05: the guess bound per lockout round is documented and at most 1.5e-5', () => {
    const h = createHarness()
    expect(totpGuessBound(h.server.config)).toBeCloseTo(1.5e-5, 12)
    expect(totpGuessBound(h.server.config)).toBeLessThanOrEqual(1.5e-5)
  })

  it('VER-06: a success resets the failure count', async () => {
    const h = createHarness()
    const { totp } = await userWithTotp(h)
    const fail4 = async () => {
      for (let i = 0; i < 4; i++) await verify(h, (await h.loginForMfa('alice@example.com')).mfaToken, '000000')
    }
    await fail4()
    expect((await verify(h, (await h.loginForMfa('alice@example.com')).mfaToken, h.code(totp))).code).toBe(200)
    h.clock.advance(30_000)
    await fail4()
    expect((await verify(h, (await h.loginForMfa('alice@example.com')).mfaToken, h.code(totp))).code).toBe(200)
  })

  it('VER-07: codes of any length or type are refused cleanly, never with a server error', async () => {
    const h = createHarness({ limits: { failureThreshold: 100, mfaTokenMaxAttempts: 20 } })
    await userWithTotp(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    for (const code of [
      '1',
      '12345',
      '1234567',
      '123456789012345678901234567890',
      '１２３４５６',
      '\u0000\u0000\u0000\u0000\u0000\u0000',
    ]) {
      const result = await h.call('POST', paths.totpVerify, { body: { totp: code }, token: mfaToken })
      expect(result.status).toBe(200)
      expect(result.body.code).toBe(AuthingCode.INVALID_TOTP)
    }
    for (const code of ['a', 'abcd-abcd', '0'.repeat(200)]) {
      const result = await h.call('POST', paths.totpRecovery, { body: { recoveryCode: code }, token: mfaToken })
      expect(result.body.code).toBe(AuthingCode.INVALID_RECOVERY_CODE)
    }
  })

  it('VER-08: exactly N digits; leading zeros kept; spaces trimmed; anything else refused and counted', async () => {
    const h = createHarness({ totp: { digits: 8 } })
    const id = await knownSecretUser(h, 'v@example.com', RFC_SHA1)
    h.clock.set(1111111109 * 1000)
    const { mfaToken } = await h.loginForMfa('v@example.com')
    expect((await verify(h, mfaToken, '7081804')).code).toBe(AuthingCode.INVALID_TOTP)
    expect((await verify(h, mfaToken, 'O7081804')).code).toBe(AuthingCode.INVALID_TOTP)
    expect(await h.server.store.getFailureState(`factor:otp:${id}`)).toMatchObject({ failures: 2 })
    expect((await verify(h, mfaToken, ' 07081804 ')).code).toBe(200)
  })

  it('VER-09: the server time decides; a forged timestamp in the body is ignored', async () => {
    const h = createHarness()
    const { totp } = await userWithTotp(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const future = h.clock.now() + 10 * 60_000
    const forged = totp.generate({ timestamp: future })
    expect((await verify(h, mfaToken, forged, { timestamp: future, time: future / 1000 })).code).toBe(AuthingCode.INVALID_TOTP)
  })

  it('VER-10: with the default ±1 window a code is accepted across a 90 s span', () => {
    const h = createHarness()
    const { window, period } = h.server.config.totp
    expect((window.past + window.future + 1) * period).toBe(90)
  })
})

describe('recovery codes', () => {
  it('REC-01: a recovery code carries 96 bits (24 hex digits)', async () => {
    const h = createHarness()
    const { association } = await userWithTotp(h)
    expect(normalizeRecoveryCode(association.recovery_code)).toMatch(/^[0-9a-f]{24}$/)
  })

  it('REC-02: only a keyed hash, salted with the user id, is stored', async () => {
    const h = createHarness()
    const { association } = await userWithTotp(h)
    const id = (await h.server.store.findUserBy('email', 'alice@example.com'))!.id
    const plain = normalizeRecoveryCode(association.recovery_code)
    expect(await h.server.store.consumeRecoveryCode(id, plain, 'x', 0)).toBe(false)
    expect(await h.server.store.consumeRecoveryCode(id, association.recovery_code, 'x', 0)).toBe(false)
    const hasher = await createCodeHasher(TEST_KEY)
    const otherUserHash = await hasher.hash('recovery', ['someone-else'], plain)
    expect(await h.server.store.consumeRecoveryCode(id, otherUserHash, 'x', 0)).toBe(false)
    expect(await h.server.store.consumeRecoveryCode(id, await hasher.hash('recovery', [id], plain), 'x', 0)).toBe(true)
  })

  it('REC-03: a code works once, 20 parallel uses give 1 success, and the new code works next time', async () => {
    const h = createHarness({ limits: { failureThreshold: 100 } })
    const { association } = await userWithTotp(h)
    const tokens = []
    for (let i = 0; i < 20; i++) tokens.push((await h.loginForMfa('alice@example.com')).mfaToken)
    const results = await Promise.all(
      tokens.map(
        async (token) => (await h.call('POST', paths.totpRecovery, { body: { recoveryCode: association.recovery_code }, token })).body,
      ),
    )
    const winners = results.filter((r) => r.code === 200)
    expect(winners).toHaveLength(1)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const reuse = await h.call('POST', paths.totpRecovery, { body: { recoveryCode: association.recovery_code }, token: mfaToken })
    expect(reuse.body.code).toBe(AuthingCode.INVALID_RECOVERY_CODE)
    const next = await h.call('POST', paths.totpRecovery, { body: { recoveryCode: winners[0]!.recoveryCode }, token: mfaToken })
    expect(next.body.code).toBe(200)
  })

  it('REC-04: recovery-code guesses share the TOTP lock', async () => {
    const h = createHarness()
    const { totp } = await userWithTotp(h)
    for (let i = 0; i < 5; i++) {
      const { mfaToken } = await h.loginForMfa('alice@example.com')
      await h.call('POST', paths.totpRecovery, { body: { recoveryCode: '0000-0000-0000-0000-0000-0000' }, token: mfaToken })
    }
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    expect((await verify(h, mfaToken, h.code(totp))).code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
  })

  it('REC-05: after binding no response carries the recovery code again', async () => {
    const h = createHarness()
    const { token, totp, association } = await userWithTotp(h)
    const responses = [
      await h.call('GET', paths.authenticators, { token }),
      await h.call('POST', paths.totpAssociate, { body: {}, token }),
      await h.call('POST', paths.graphql, { body: { query: 'query user { user { id } }' }, token }),
    ]
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    responses.push(await h.call('POST', paths.totpVerify, { body: { totp: h.code(totp) }, token: mfaToken }))
    const seen = JSON.stringify(responses.map((r) => r.body))
    expect(seen).not.toContain(association.recovery_code)
    expect(seen).not.toContain(normalizeRecoveryCode(association.recovery_code))
  })

  it('REC-06: case, spaces and hyphens do not matter', async () => {
    const h = createHarness()
    const { association } = await userWithTotp(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const typed = ` ${association.recovery_code.toUpperCase().replace(/-/g, ' ')} `
    expect((await h.call('POST', paths.totpRecovery, { body: { recoveryCode: typed }, token: mfaToken })).body.code).toBe(200)
  })
})

describe('authenticator lifecycle', () => {
  it("BND-01: binding needs a credential of that user, and never touches another user's binding", async () => {
    const h = createHarness()
    expect((await h.call('POST', paths.totpAssociate, { body: {} })).body.code).toBe(AuthingCode.UNAUTHENTICATED)
    await h.register('a@example.com')
    await h.register('b@example.com')
    const tokenA = (await h.login('a@example.com')).user!.token!
    const tokenB = (await h.login('b@example.com')).user!.token!
    const pendingB = (await h.call('POST', paths.totpAssociate, { body: {}, token: tokenB })).body.data as MfaAssociation
    const totpB = OTPAuth.URI.parse(pendingB.qrcode_uri) as OTPAuth.TOTP
    const idB = (await h.server.store.findUserBy('email', 'b@example.com'))!.id
    const cross = await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(totpB), userId: idB }, token: tokenA })
    expect(cross.body.code).toBe(AuthingCode.NOT_BOUND)
    expect(await h.server.store.getTotp(idB)).toBeNull()
  })

  it('BND-02: only the latest pending secret confirms, and only within 10 minutes', async () => {
    const h = createHarness({ limits: { recentAuthMs: 3_600_000 } })
    await h.register('a@example.com')
    const token = (await h.login('a@example.com')).user!.token!
    const first = OTPAuth.URI.parse((await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data.qrcode_uri) as OTPAuth.TOTP
    const second = OTPAuth.URI.parse((await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data.qrcode_uri) as OTPAuth.TOTP
    expect((await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(first) }, token })).body.code).toBe(
      AuthingCode.INVALID_TOTP,
    )
    h.clock.advance(10 * 60_000)
    expect((await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(second) }, token })).body.code).toBe(
      AuthingCode.VERIFY_CODE_EXPIRED,
    )
  })

  it('BND-02: an expired binding answers 2300 only to a code of its secret; wrong codes stay 6001 and all of them count', async () => {
    const h = createHarness({ limits: { recentAuthMs: 3_600_000 } })
    const userId = await h.register('a@example.com')
    const token = (await h.login('a@example.com')).user!.token!
    const association = (await h.call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
    const totp = OTPAuth.URI.parse(association.qrcode_uri) as OTPAuth.TOTP
    h.clock.advance(10 * 60_000 + 1)
    const confirm = async (code: string) => (await h.call('POST', paths.totpAssociateConfirm, { body: { totp: code }, token })).body
    const right = h.code(totp)
    const wrong = right === '000000' ? '111111' : '000000'
    expect(await confirm(wrong)).toMatchObject({ code: AuthingCode.INVALID_TOTP })
    expect(await confirm(right)).toEqual({ code: AuthingCode.VERIFY_CODE_EXPIRED, message: expect.any(String), data: null })
    expect((await confirm(right)).code).toBe(AuthingCode.VERIFY_CODE_EXPIRED)
    expect((await confirm('not a code')).code).toBe(AuthingCode.INVALID_TOTP)
    expect(await h.server.store.getFailureState(`factor:otp:${userId}`)).toMatchObject({ failures: 4 })
    expect((await confirm(wrong)).code).toBe(AuthingCode.INVALID_TOTP)
    expect((await confirm(right)).code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
    expect(await h.server.store.getTotp(userId)).toBeNull()
  })

  it('BND-03: once bound, associate is refused and no response reveals the secret', async () => {
    const h = createHarness()
    const { token, totp, association } = await userWithTotp(h)
    const again = await h.call('POST', paths.totpAssociate, { body: {}, token })
    expect(again.body).toMatchObject({ code: AuthingCode.ALREADY_BOUND, data: null })
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const responses = [
      again,
      await h.call('GET', paths.authenticators, { token: mfaToken }),
      await h.call('POST', paths.totpVerify, { body: { totp: h.code(totp) }, token: mfaToken }),
    ]
    const seen = JSON.stringify(responses.map((r) => r.body))
    expect(seen).not.toContain(association.secret)
  })

  it('BND-04: unbinding needs a sign-in from the last 5 minutes and removes secret and recovery codes', async () => {
    const h = createHarness()
    const { token, totp } = await userWithTotp(h)
    h.clock.advance(5 * 60_000)
    const stale = await h.call('DELETE', paths.totpAssociate, { token })
    expect(stale.body.code).toBe(AuthingCode.RECENT_LOGIN_REQUIRED)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    expect((await h.call('DELETE', paths.totpAssociate, { token: mfaToken })).body.code).toBe(AuthingCode.UNAUTHENTICATED)
    const fresh = (await verify(h, mfaToken, h.code(totp))).data.token as string
    expect((await h.call('DELETE', paths.totpAssociate, { token: fresh })).body.code).toBe(200)
    const id = (await h.server.store.findUserBy('email', 'alice@example.com'))!.id
    expect(await h.server.store.getTotp(id)).toBeNull()
    expect(await h.server.store.countRecoveryCodes(id)).toBe(0)
    expect(h.logs.some((entry) => entry.event === 'factor.unbound' && entry.fields?.userId === id)).toBe(true)
  })

  it('BND-05: binding TOTP ends the other sessions of the user', async () => {
    const h = createHarness()
    await h.register('alice@example.com')
    const sessionA = (await h.login('alice@example.com')).user!.token!
    const sessionB = (await h.login('alice@example.com')).user!.token!
    await h.bindTotp(sessionA)
    expect((await h.call('GET', paths.authenticators, { token: sessionA })).body.code).toBe(200)
    expect((await h.call('GET', paths.authenticators, { token: sessionB })).body.code).toBe(AuthingCode.LOGIN_EXPIRED)
  })
})

describe('cross-check', () => {
  it('REL-03: codes from otpauth verify for random times and algorithms', async () => {
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      const h = createHarness({ totp: { algorithm }, limits: { failureThreshold: 100 } })
      const { totp } = await userWithTotp(h)
      expect(totp.algorithm).toBe(algorithm)
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: -1, max: 1 }), async (steps, offset) => {
          h.clock.advance(steps * 30_000 + 1000)
          const { mfaToken } = await h.loginForMfa('alice@example.com')
          const result = await verify(h, mfaToken, h.code(totp, offset))
          h.clock.advance(60_000)
          return result.code === 200
        }),
        { numRuns: 15 },
      )
    }
  })
})
