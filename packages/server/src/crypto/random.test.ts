import { describe, expect, it } from 'vitest'
import { base64ToBytes } from './encoding'
import {
  MIN_TOKEN_BYTES,
  generateRecoveryCode,
  isRecoveryCodeShape,
  normalizeRecoveryCode,
  randomBytes,
  randomDigits,
  randomInt,
  randomToken,
} from './random'

describe('randomBytes', () => {
  it('returns the requested number of bytes, including more than one getRandomValues call allows', () => {
    expect(randomBytes(0)).toHaveLength(0)
    expect(randomBytes(32)).toHaveLength(32)
    const large = randomBytes(200_000)
    expect(large).toHaveLength(200_000)
    // Every 64 KiB chunk was filled: none of them is all zeros.
    for (let offset = 0; offset < large.length; offset += 65_536) {
      expect(large.subarray(offset, offset + 65_536).some((b) => b !== 0)).toBe(true)
    }
  })

  it.each([-1, 1.5, Number.NaN])('rejects length %s', (length) => {
    expect(() => randomBytes(length)).toThrow(RangeError)
  })
})

describe('randomDigits (OOB-01)', () => {
  it.each([1, 6, 8, 20])('returns exactly %i ASCII digits', (digits) => {
    for (let i = 0; i < 50; i++) expect(randomDigits(digits)).toMatch(new RegExp(`^[0-9]{${digits}}$`))
  })

  it('keeps leading zeros (codes are strings)', () => {
    const codes = Array.from({ length: 2000 }, () => randomDigits(6))
    expect(codes.some((c) => c.startsWith('0'))).toBe(true)
  })

  it('spreads digits evenly, without modulo bias (chi-square over 600,000 digits)', () => {
    const counts = new Array<number>(10).fill(0)
    let total = 0
    for (let i = 0; i < 100_000; i++) {
      for (const ch of randomDigits(6)) {
        counts[Number(ch)]!++
        total++
      }
    }
    const expected = total / 10
    const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0)
    // 9 degrees of freedom: an unbiased generator exceeds 44.8 with probability 10^-6. A plain
    // `byte % 10` (digits 0-5 about 4 % more likely) would score about 220 here.
    expect(chiSquare).toBeLessThan(44.8)
  })

  it.each([0, -1, 2.5, 1025])('rejects a digit count of %s', (digits) => {
    expect(() => randomDigits(digits)).toThrow(RangeError)
  })
})

describe('randomInt', () => {
  it('stays in range, including the full 32-bit range', () => {
    for (let i = 0; i < 1000; i++) {
      const value = randomInt(7)
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThan(7)
    }
    expect(randomInt(1)).toBe(0)
    expect(randomInt(2 ** 32)).toBeLessThan(2 ** 32)
  })

  it.each([0, 2 ** 32 + 1, 0.5])('rejects max %s', (max) => {
    expect(() => randomInt(max)).toThrow(RangeError)
  })
})

describe('randomToken (TOK-06)', () => {
  it('encodes 32 bytes as 43 base64url characters by default', () => {
    const token = randomToken()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(base64ToBytes(token)).toHaveLength(32)
  })

  it('refuses less than 128 bits of entropy', () => {
    expect(() => randomToken(MIN_TOKEN_BYTES - 1)).toThrow(RangeError)
    expect(base64ToBytes(randomToken(MIN_TOKEN_BYTES))).toHaveLength(16)
  })

  it('never repeats in 10,000 tokens', () => {
    expect(new Set(Array.from({ length: 10_000 }, () => randomToken(16))).size).toBe(10_000)
  })
})

describe('generateRecoveryCode (REC-01)', () => {
  it("uses Authing's shape: six hyphenated groups of four lower-case hex digits (96 bits)", () => {
    for (let i = 0; i < 100; i++) {
      const code = generateRecoveryCode()
      expect(code).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
      expect(isRecoveryCodeShape(normalizeRecoveryCode(code))).toBe(true)
    }
  })

  it('never repeats in 10,000 codes', () => {
    expect(new Set(Array.from({ length: 10_000 }, generateRecoveryCode)).size).toBe(10_000)
  })
})

describe('normalizeRecoveryCode (REC-06)', () => {
  it.each([
    ['abcd-efgh', 'abcdefgh'],
    ['ABCDEFGH', 'abcdefgh'],
    [' abcd efgh ', 'abcdefgh'],
    ['ABCD - EFGH', 'abcdefgh'],
    ['abcd\u2013efgh', 'abcdefgh'],
    ['１０ＡＦ-4f2f', '10af4f2f'],
    ['10AF-4F2F-F34F-F224-D21C-BD16', '10af4f2ff34ff224d21cbd16'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeRecoveryCode(input)).toBe(expected)
  })

  it('treats "abcd-efgh" and "ABCDEFGH" as the same code', () => {
    expect(normalizeRecoveryCode('abcd-efgh')).toBe(normalizeRecoveryCode('ABCDEFGH'))
  })

  it.each([
    ['too short', '10af4f2ff34ff224d21cbd1'],
    ['too long', '10af4f2ff34ff224d21cbd160'],
    ['a non-hex letter', '10af4f2ff34ff224d21cbd1g'],
    ['empty', ''],
  ])('reports a code that is %s as the wrong shape', (_, normalized) => {
    expect(isRecoveryCodeShape(normalized)).toBe(false)
  })
})
