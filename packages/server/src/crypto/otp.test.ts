import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import * as OTPAuth from 'otpauth'
import { describe, expect, it } from 'vitest'
import { base32Decode } from './base32'
import { bytesToHex, utf8Encode } from './encoding'
import {
  OtpArgumentError,
  OtpauthUriError,
  TotpConfigError,
  buildOtpauthUri,
  generateTotpSecret,
  hotp,
  normalizeOtpCode,
  resolveTotpConfig,
  totp,
  totpMatchStep,
  totpStep,
  validateTotpConfig,
  type OtpAlgorithm,
} from './otp'

const SEED_SHA1 = utf8Encode('12345678901234567890')
const SEED_SHA256 = utf8Encode('12345678901234567890123456789012')
const SEED_SHA512 = utf8Encode('1234567890123456789012345678901234567890123456789012345678901234')

/** An independent HOTP on node:crypto, used only as a test oracle. */
function referenceHotp(secret: Uint8Array, counter: bigint, digits: number, algorithm: OtpAlgorithm): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(counter)
  const mac = createHmac(algorithm.toLowerCase(), Buffer.from(secret)).update(message).digest()
  const offset = mac[mac.length - 1]! & 0xf
  const value = mac.readUInt32BE(offset) & 0x7fffffff
  return (value % 10 ** digits).toString().padStart(digits, '0')
}

describe('hotp', () => {
  // TV-01: RFC 4226 Appendix D.
  it.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [3, '969429'],
    [4, '338314'],
    [5, '254676'],
    [6, '287922'],
    [7, '162583'],
    [8, '399871'],
    [9, '520489'],
  ])('gives the RFC 4226 value for counter %i: %s', async (counter, expected) => {
    await expect(hotp(SEED_SHA1, counter)).resolves.toBe(expected)
  })

  it('accepts a bigint counter and gives the same value as a number counter', async () => {
    await expect(hotp(SEED_SHA1, 9n)).resolves.toBe('520489')
  })

  // OTP-02: counters beyond 32 bits are written as 64-bit big-endian, never truncated.
  it.each([2n ** 32n, 2n ** 32n + 1n, 2n ** 53n + 7n, 2n ** 63n, 2n ** 64n - 1n])(
    'computes counter %s exactly like an independent 64-bit implementation',
    async (counter) => {
      await expect(hotp(SEED_SHA1, counter, { digits: 8 })).resolves.toBe(referenceHotp(SEED_SHA1, counter, 8, 'SHA1'))
    },
  )

  it('distinguishes counter 2^32 from counter 0 (no 32-bit wrap-around)', async () => {
    expect(await hotp(SEED_SHA1, 2 ** 32)).not.toBe(await hotp(SEED_SHA1, 0))
  })

  it.each([
    ['a negative counter', -1],
    ['a fractional counter', 1.5],
    ['an unsafe integer counter', 2 ** 53],
    ['a counter of 2^64', 2n ** 64n],
    ['NaN', Number.NaN],
  ])('rejects %s', async (_, counter) => {
    await expect(hotp(SEED_SHA1, counter)).rejects.toThrow(OtpArgumentError)
  })

  it.each([5, 9, 6.5])('rejects %s digits', async (digits) => {
    await expect(hotp(SEED_SHA1, 0, { digits })).rejects.toThrow(OtpArgumentError)
  })

  it('rejects an unknown algorithm and an empty secret', async () => {
    await expect(hotp(SEED_SHA1, 0, { algorithm: 'MD5' as OtpAlgorithm })).rejects.toThrow(OtpArgumentError)
    await expect(hotp(new Uint8Array(0), 0)).rejects.toThrow(OtpArgumentError)
  })
})

describe('totp', () => {
  // TV-02..TV-04: RFC 6238 Appendix B, with the per-algorithm seeds of Appendix A.
  const times = [59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000]
  const expected: Record<OtpAlgorithm, string[]> = {
    SHA1: ['94287082', '07081804', '14050471', '89005924', '69279037', '65353130'],
    SHA256: ['46119246', '68084774', '67062674', '91819424', '90698825', '77737706'],
    SHA512: ['90693936', '25091201', '99943326', '93441116', '38618901', '47863826'],
  }
  const seeds: Record<OtpAlgorithm, Uint8Array> = { SHA1: SEED_SHA1, SHA256: SEED_SHA256, SHA512: SEED_SHA512 }
  const rows = (['SHA1', 'SHA256', 'SHA512'] as const).flatMap((algorithm) =>
    times.map((t, i) => [algorithm, t, expected[algorithm][i]!] as const),
  )

  it.each(rows)('%s at t=%i gives %s (RFC 6238)', async (algorithm, t, code) => {
    await expect(totp(seeds[algorithm], t * 1000, { algorithm, digits: 8 })).resolves.toBe(code)
  })

  // OTP-02
  it('computes the time step 0x27BC86AA at t=20000000000 (beyond 2038 and 32-bit seconds)', () => {
    expect(totpStep(20000000000 * 1000)).toBe(0x27bc86aa)
  })

  it('keeps time steps above 2^32 exact', async () => {
    const t = 2 ** 40 // seconds; step with period 1 exceeds 32 bits
    expect(totpStep(t * 1000, 1)).toBe(2 ** 40)
    await expect(totp(SEED_SHA1, t * 1000, { period: 1, digits: 8 })).resolves.toBe(referenceHotp(SEED_SHA1, 2n ** 40n, 8, 'SHA1'))
  })

  // OTP-03: the per-algorithm key matters.
  it('does not produce the RFC SHA512 value when given the 20-byte SHA1 seed', async () => {
    const wrong = await totp(SEED_SHA1, 59_000, { algorithm: 'SHA512', digits: 8 })
    expect(wrong).toBe('69342147')
    expect(wrong).not.toBe('90693936')
    await expect(totp(SEED_SHA1, 59_000, { algorithm: 'SHA256', digits: 8 })).resolves.toBe('32247374')
  })

  // TV-05
  it('gives 287082 at t=59 with 6 digits, the 8-digit value mod 10^6', async () => {
    await expect(totp(SEED_SHA1, 59_000)).resolves.toBe('287082')
  })

  // OTP-01
  it('returns a zero-padded string, never a number', async () => {
    const code = await totp(SEED_SHA1, 1111111109 * 1000, { digits: 8 })
    expect(typeof code).toBe('string')
    expect(code).toBe('07081804')
  })

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects time %s', async (now) => {
    await expect(totp(SEED_SHA1, now)).rejects.toThrow(OtpArgumentError)
  })

  it.each([0, -30, 1.5])('rejects period %s', async (period) => {
    await expect(totp(SEED_SHA1, 0, { period })).rejects.toThrow(OtpArgumentError)
  })
})

describe('normalizeOtpCode', () => {
  // VER-08
  it.each([
    ['123456', 6, '123456'],
    ['012345', 6, '012345'],
    ['  012345 ', 6, '012345'],
    ['012345\n', 6, '012345'],
    ['07081804', 8, '07081804'],
  ])('accepts %j with %i digits as %j', (input, digits, expected) => {
    expect(normalizeOtpCode(input, digits)).toBe(expected)
  })

  it.each([
    ['too short', '12345'],
    ['too long', '1234567'],
    ['a letter O for zero', 'O12345'],
    ['an inner space', '123 456'],
    ['an inner hyphen', '123-456'],
    ['a sign', '+12345'],
    ['a decimal point', '12345.'],
    ['an exponent', '1e5000'],
    ['Arabic-Indic digits', '٠١٢٣٤٥'],
    ['full-width digits', '０１２３４５'],
    ['an empty string', ''],
  ])('rejects %s', (_, input) => {
    expect(normalizeOtpCode(input, 6)).toBeNull()
  })

  it.each([123456, null, undefined, ['123456'], { code: '123456' }])('rejects the non-string %j', (input) => {
    expect(normalizeOtpCode(input, 6)).toBeNull()
  })
})

describe('totpMatchStep', () => {
  const secret = SEED_SHA1
  const period = 30
  const base = 1_700_000_010_000 // an arbitrary instant in the middle of a step
  const step = Math.floor(base / 30_000)
  const codeAt = (s: number) => hotp(secret, s)

  // VER-01
  it.each([
    ['the current step', 0, true],
    ['the previous step', -1, true],
    ['the next step', 1, true],
    ['two steps back', -2, false],
    ['two steps ahead', 2, false],
  ])('with the default window, %s is %s', async (_, offset, accepted) => {
    const matched = await totpMatchStep(secret, await codeAt(step + offset), base, { period })
    expect(matched).toBe(accepted ? step + offset : null)
  })

  it('moves the window exactly at the step boundary (t=29.999 s vs t=30.000 s)', async () => {
    const codeStep0 = await codeAt(0)
    const codeStep2 = await codeAt(2)
    // At 29.999 s the current step is 0: step 2 is out of reach, step 0 is current.
    await expect(totpMatchStep(secret, codeStep2, 29_999)).resolves.toBeNull()
    await expect(totpMatchStep(secret, codeStep0, 29_999)).resolves.toBe(0)
    // At 30.000 s the current step is 1: step 2 is the allowed future step, step 0 the allowed past one.
    await expect(totpMatchStep(secret, codeStep2, 30_000)).resolves.toBe(2)
    await expect(totpMatchStep(secret, codeStep0, 30_000)).resolves.toBe(0)
    // At 60.000 s step 0 is two steps back.
    await expect(totpMatchStep(secret, codeStep0, 60_000)).resolves.toBeNull()
  })

  it('honours an asymmetric window that accepts no future step', async () => {
    const window = { past: 1, future: 0 }
    await expect(totpMatchStep(secret, await codeAt(step + 1), base, { window })).resolves.toBeNull()
    await expect(totpMatchStep(secret, await codeAt(step - 1), base, { window })).resolves.toBe(step - 1)
  })

  it('accepts only the current step with a window of 0', async () => {
    await expect(totpMatchStep(secret, await codeAt(step - 1), base, { window: 0 })).resolves.toBeNull()
    await expect(totpMatchStep(secret, await codeAt(step), base, { window: 0 })).resolves.toBe(step)
  })

  // VER-02: replay protection through lastAcceptedStep.
  it('rejects a reused code once its step has been accepted', async () => {
    const code = await codeAt(step)
    const first = await totpMatchStep(secret, code, base)
    expect(first).toBe(step)
    await expect(totpMatchStep(secret, code, base, { lastAcceptedStep: first })).resolves.toBeNull()
  })

  it('rejects the code of the trailing step after a success at the current step (CVE-2021-43177)', async () => {
    await expect(totpMatchStep(secret, await codeAt(step - 1), base, { lastAcceptedStep: step })).resolves.toBeNull()
  })

  it('accepts the next step after a success at the current step', async () => {
    await expect(totpMatchStep(secret, await codeAt(step + 1), base, { lastAcceptedStep: step })).resolves.toBe(step + 1)
  })

  // VER-08 at the matching level.
  it('accepts "07081804" at t=1111111109 with 8 digits and rejects its mangled forms', async () => {
    const now = 1111111109 * 1000
    const options = { digits: 8, window: 0 }
    await expect(totpMatchStep(secret, '07081804', now, options)).resolves.toBe(0x23523ec)
    await expect(totpMatchStep(secret, ' 07081804 ', now, options)).resolves.toBe(0x23523ec)
    await expect(totpMatchStep(secret, '7081804', now, options)).resolves.toBeNull()
    await expect(totpMatchStep(secret, 'O7081804', now, options)).resolves.toBeNull()
    await expect(totpMatchStep(secret, 7081804, now, options)).resolves.toBeNull()
  })

  it('never matches an empty or blank code', async () => {
    await expect(totpMatchStep(secret, '', base)).resolves.toBeNull()
    await expect(totpMatchStep(secret, '      ', base)).resolves.toBeNull()
  })

  it('does not look at negative steps near the epoch', async () => {
    await expect(totpMatchStep(secret, await codeAt(0), 0)).resolves.toBe(0)
  })

  it('rejects windows wider than 10 steps as a programming error', async () => {
    await expect(totpMatchStep(secret, '123456', base, { window: 11 })).rejects.toThrow(OtpArgumentError)
    await expect(totpMatchStep(secret, '123456', base, { window: { past: -1, future: 0 } })).rejects.toThrow(OtpArgumentError)
  })
})

describe('TOTP against independent implementations (REL-03)', () => {
  const algorithm = fc.constantFrom<OtpAlgorithm>('SHA1', 'SHA256', 'SHA512')
  const digits = fc.integer({ min: 6, max: 8 })
  const period = fc.integer({ min: 1, max: 120 })
  const time = fc.integer({ min: 0, max: 2 ** 45 }) // milliseconds up to year ~3084
  const secretBytes = fc.uint8Array({ minLength: 16, maxLength: 64 })

  it('matches an HOTP built on node:crypto for random secrets, times and parameters', async () => {
    await fc.assert(
      fc.asyncProperty(secretBytes, time, algorithm, digits, period, async (secret, now, alg, d, p) => {
        const counter = BigInt(Math.floor(now / 1000 / p))
        expect(await totp(secret, now, { algorithm: alg, digits: d, period: p })).toBe(referenceHotp(secret, counter, d, alg))
      }),
      { numRuns: 300 },
    )
  })

  it('matches the otpauth package for random secrets, times and parameters', async () => {
    await fc.assert(
      fc.asyncProperty(secretBytes, time, algorithm, digits, period, async (secret, now, alg, d, p) => {
        const reference = OTPAuth.TOTP.generate({
          secret: OTPAuth.Secret.fromHex(bytesToHex(secret)),
          algorithm: alg,
          digits: d,
          period: p,
          timestamp: now,
        })
        expect(await totp(secret, now, { algorithm: alg, digits: d, period: p })).toBe(reference)
      }),
      { numRuns: 300 },
    )
  })

  it('finds the step of any code the reference generates within the window', async () => {
    await fc.assert(
      fc.asyncProperty(secretBytes, time, fc.integer({ min: -1, max: 1 }), async (secret, now, offset) => {
        const current = Math.floor(now / 30_000)
        fc.pre(current + offset >= 0)
        const code = referenceHotp(secret, BigInt(current + offset), 6, 'SHA1')
        const matched = await totpMatchStep(secret, code, now)
        // A collision with a neighbouring step (1 in 10^6) would match an earlier step; both are valid.
        expect(matched === current + offset || (matched !== null && matched < current + offset)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })
})

describe('validateTotpConfig (REL-05, OTP-05, B32-05)', () => {
  it('accepts the defaults with no warning', () => {
    expect(validateTotpConfig({})).toEqual({ errors: [], warnings: [] })
  })

  it.each([
    ['a period above 120 s', { period: 121 }, /period/],
    ['a period of 0', { period: 0 }, /period/],
    ['a fractional period', { period: 30.5 }, /period/],
    ['5 digits', { digits: 5 }, /digits/],
    ['9 digits', { digits: 9 }, /digits/],
    ['a 15-byte secret', { secretBytes: 15 }, /secretBytes/],
    ['a window of 2 without opting in', { window: 2 }, /allowWideWindow/],
    ['a future window of 2 without opting in', { window: { past: 1, future: 2 } }, /allowWideWindow/],
    ['a window of 11 even when opted in', { window: 11, allowWideWindow: true }, /10 steps/],
    ['a negative window', { window: -1 }, /window/],
    ['an unknown algorithm', { algorithm: 'MD5' }, /algorithm/],
  ])('rejects %s', (_, config, message) => {
    const { errors } = validateTotpConfig(config)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.join('\n')).toMatch(message)
    expect(() => resolveTotpConfig(config)).toThrow(TotpConfigError)
  })

  it.each([
    ['a period of 120 s', { period: 120 }],
    ['8 digits', { digits: 8 }],
    ['a 16-byte secret', { secretBytes: 16 }],
    ['a window of 2 when opted in', { window: 2, allowWideWindow: true }],
    ['a past-only window', { window: { past: 1, future: 0 } }],
  ])('accepts %s', (_, config) => {
    expect(validateTotpConfig(config).errors).toEqual([])
  })

  it.each([
    ['SHA256', { algorithm: 'SHA256' }, /SHA1/],
    ['8 digits', { digits: 8 }, /6 digits/],
    ['a 60 s period', { period: 60 }, /30 seconds/],
  ])('warns that %s is not supported by every authenticator app', (_, config, message) => {
    const { warnings } = validateTotpConfig(config)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(message)
  })

  it('resolves defaults to SHA1, 6 digits, 30 s, ±1 step and 20-byte secrets', () => {
    expect(resolveTotpConfig()).toEqual({
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      window: { past: 1, future: 1 },
      secretBytes: 20,
      warnings: [],
    })
  })
})

describe('generateTotpSecret (OTP-04)', () => {
  it('makes 20 random bytes encoded as 32 unpadded base32 characters', () => {
    const { bytes, base32 } = generateTotpSecret()
    expect(bytes).toHaveLength(20)
    expect(base32).toMatch(/^[A-Z2-7]{32}$/)
    expect(base32Decode(base32)).toEqual(bytes)
  })

  it('never repeats a secret in 10,000 generations', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 10_000; i++) seen.add(generateTotpSecret().base32)
    expect(seen.size).toBe(10_000)
  })

  it('refuses secrets shorter than 128 bits', () => {
    expect(() => generateTotpSecret(15)).toThrow(OtpArgumentError)
  })
})

describe('buildOtpauthUri (B32-02, B32-04)', () => {
  const secret = utf8Encode('12345678901234567890')

  it('builds the default URI in the documented parameter order', () => {
    expect(buildOtpauthUri({ issuer: 'Acme', account: 'alice@example.com', secret })).toBe(
      'otpauth://totp/Acme:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme&algorithm=SHA1&digits=6&period=30',
    )
  })

  it('encodes spaces as %20, never as "+"', () => {
    const uri = buildOtpauthUri({ issuer: 'Acme Corp', account: 'Alice Smith', secret })
    expect(uri).toContain('otpauth://totp/Acme%20Corp:Alice%20Smith?')
    expect(uri).toContain('&issuer=Acme%20Corp&')
    expect(uri).not.toContain('+')
  })

  it('replaces colons in the issuer and account so the label has exactly one separator', () => {
    const uri = buildOtpauthUri({ issuer: 'Acme:Prod', account: 'a:b', secret })
    expect(uri.startsWith('otpauth://totp/Acme%20Prod:a%20b?')).toBe(true)
  })

  it('accepts a base32 secret and writes it canonically without padding', () => {
    const uri = buildOtpauthUri({ issuer: 'Acme', account: 'a', secret: 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq' })
    expect(new URL(uri).searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    const padded = buildOtpauthUri({ issuer: 'Acme', account: 'a', secret: utf8Encode('f') })
    expect(new URL(padded).searchParams.get('secret')).toBe('MY')
  })

  it('carries non-default parameters', () => {
    const uri = new URL(buildOtpauthUri({ issuer: 'Acme', account: 'a', secret, algorithm: 'SHA512', digits: 8, period: 60 }))
    expect(uri.searchParams.get('algorithm')).toBe('SHA512')
    expect(uri.searchParams.get('digits')).toBe('8')
    expect(uri.searchParams.get('period')).toBe('60')
  })

  it.each([
    ['an empty issuer', { issuer: '', account: 'a' }],
    ['an issuer of only colons and spaces', { issuer: ' : ', account: 'a' }],
    ['an empty account', { issuer: 'Acme', account: '   ' }],
    ['a control character', { issuer: 'Acme\n', account: 'a' }],
    ['a secret that is not base32', { issuer: 'Acme', account: 'a', secret: 'NOT-BASE32-0189' }],
    ['an empty secret', { issuer: 'Acme', account: 'a', secret: new Uint8Array(0) }],
  ])('rejects %s', (_, overrides) => {
    expect(() => buildOtpauthUri({ secret, ...overrides })).toThrow(OtpauthUriError)
  })

  it('parses with new URL and round-trips issuer, account and secret for arbitrary names', () => {
    const nameChars = fc.oneof(
      fc.constantFrom(':', '&', ' ', '#', '?', '/', '%', '=', '+', 'é', '中', '😀', 'ß', '：', '%3A'),
      fc.string({ minLength: 1, maxLength: 3 }),
    )
    const name = fc
      .array(nameChars, { minLength: 1, maxLength: 12 })
      .map((parts) => parts.join(''))
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to find control characters
      .filter((s) => !/[\u0000-\u001f\u007f]/.test(s) && s.replace(/[:：\s]/g, '').length > 0)
    fc.assert(
      fc.property(name, name, fc.uint8Array({ minLength: 16, maxLength: 32 }), (issuer, account, bytes) => {
        const uri = buildOtpauthUri({ issuer, account, secret: bytes })
        const url = new URL(uri)
        expect(url.protocol).toBe('otpauth:')
        expect(url.host).toBe('totp')
        const rawLabel = url.pathname.slice(1)
        // Exactly one unencoded colon: the issuer/account separator.
        expect(rawLabel.split(':')).toHaveLength(2)
        expect(uri).not.toMatch(/[ #]/)
        const [rawIssuer, rawAccount] = rawLabel.split(':') as [string, string]
        const labelIssuer = decodeURIComponent(rawIssuer)
        const labelAccount = decodeURIComponent(rawAccount)
        expect(labelIssuer).not.toContain(':')
        expect(labelAccount).not.toContain(':')
        expect(url.searchParams.get('issuer')).toBe(labelIssuer)
        expect(labelIssuer).toBe(issuer.replace(/[:：]/g, ' ').replace(/\s+/g, ' ').trim())
        expect(labelAccount).toBe(account.replace(/[:：]/g, ' ').replace(/\s+/g, ' ').trim())
        expect(url.searchParams.get('secret')).toMatch(/^[A-Z2-7]+$/)
        expect(base32Decode(url.searchParams.get('secret')!)).toEqual(new Uint8Array(bytes))
        expect(url.hash).toBe('')
        expect([...url.searchParams.keys()]).toEqual(['secret', 'issuer', 'algorithm', 'digits', 'period'])
      }),
      { numRuns: 500 },
    )
  })

  it('produces URIs the otpauth package parses into the same issuer, label and secret', async () => {
    const uri = buildOtpauthUri({ issuer: 'Acme & Sons #1', account: 'ålice@example.com', secret })
    const parsed = OTPAuth.URI.parse(uri) as OTPAuth.TOTP
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP)
    expect(parsed.issuer).toBe('Acme & Sons #1')
    expect(parsed.label).toBe('ålice@example.com')
    expect(parsed.secret.base32).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    expect(parsed.generate({ timestamp: 59_000 })).toBe(await totp(secret, 59_000))
  })
})
