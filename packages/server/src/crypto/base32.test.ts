import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Base32Error, base32Decode, base32Encode, tryBase32Decode } from './base32'
import { utf8Encode } from './encoding'

describe('base32Encode', () => {
  // B32-01: RFC 4648 §10 test vectors.
  it.each([
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ])('encodes %j as %s (RFC 4648 §10)', (input, expected) => {
    expect(base32Encode(utf8Encode(input))).toBe(expected)
  })

  it('encodes the RFC 6238 SHA1 seed as GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', () => {
    expect(base32Encode(utf8Encode('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
  })

  // B32-02
  it.each([
    ['f', 'MY'],
    ['foobar', 'MZXW6YTBOI'],
  ])('omits padding when asked: %j -> %s', (input, expected) => {
    expect(base32Encode(utf8Encode(input), { padding: false })).toBe(expected)
  })

  it('encodes a 20-byte secret as exactly 32 alphabet characters without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const encoded = base32Encode(bytes, { padding: false })
        expect(encoded).toMatch(/^[A-Z2-7]{32}$/)
      }),
    )
  })
})

describe('base32Decode', () => {
  const hello = Uint8Array.from([...'Hello!'].map((c) => c.charCodeAt(0)).concat([0xde, 0xad, 0xbe, 0xef]))

  // B32-03: lenient on case, spaces, hyphens and missing padding.
  it.each(['JBSWY3DPEHPK3PXP', 'jbswy3dpehpk3pxp', 'JBSW Y3DP EHPK 3PXP', 'jbsw-y3dp-ehpk-3pxp', ' JbSw\tY3dP\nEhPk 3pXp '])(
    'decodes %j to Hello!\\xDE\\xAD\\xBE\\xEF',
    (input) => {
      expect(base32Decode(input)).toEqual(hello)
    },
  )

  it.each([
    ['MY======', 'f'],
    ['MY', 'f'],
    ['my', 'f'],
    ['MZXQ====', 'fo'],
    ['MZXQ', 'fo'],
    ['MZXW6===', 'foo'],
    ['MZXW6', 'foo'],
    ['MZXW6YQ=', 'foob'],
    ['MZXW6YQ', 'foob'],
    ['MZXW6YTB', 'fooba'],
    ['MZXW6YTBOI======', 'foobar'],
    ['MZXW6YTBOI', 'foobar'],
    ['', ''],
  ])('decodes %s with or without padding to %j', (input, expected) => {
    expect(base32Decode(input)).toEqual(utf8Encode(expected))
  })

  // B32-03: characters outside the alphabet are rejected.
  it.each([
    ['a zero', 'JBSW0Y3DPEHPK3PXP'],
    ['a one', 'JBSW1Y3DPEHPK3PX'],
    ['an eight', 'JBSW8Y3DPEHPK3PX'],
    ['a nine', 'JBSW9Y3DPEHPK3PX'],
    ['punctuation', 'JBSW.Y3DPEHPK3PX'],
    ['an underscore', 'JBSW_Y3DPEHPK3PX'],
    ['a plus sign', 'JBSW+Y3DPEHPK3PX'],
    ['a non-ASCII letter', 'JBSWÄY3DPEHPK3PX'],
    ['a full-width letter', 'ＪBSWY3DPEHPK3PXP'],
  ])('rejects input containing %s', (_, input) => {
    expect(() => base32Decode(input)).toThrow(Base32Error)
    expect(tryBase32Decode(input)).toBeNull()
  })

  it.each([
    ['padding in the middle', 'MY==MZXQ'],
    ['padding that is too long', 'MZXW6YTB========'],
    ['padding that does not complete a block', 'MY====='],
    ['an impossible length of 1', 'M'],
    ['an impossible length of 3', 'MZX'],
    ['an impossible length of 6', 'MZXW6Y'],
  ])('rejects %s', (_, input) => {
    expect(() => base32Decode(input)).toThrow(Base32Error)
  })

  it('does not echo the rejected input in its error message', () => {
    const secretish = 'SECRETSECRET0'
    try {
      base32Decode(secretish)
      expect.unreachable()
    } catch (error) {
      expect((error as Error).message).not.toContain(secretish)
    }
  })

  it('round-trips any byte string, padded or not, in either case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), fc.boolean(), (bytes, padding, lower) => {
        const encoded = base32Encode(bytes, { padding })
        expect(base32Decode(lower ? encoded.toLowerCase() : encoded)).toEqual(new Uint8Array(bytes))
      }),
    )
  })
})
