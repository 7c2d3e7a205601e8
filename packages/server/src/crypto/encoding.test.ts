import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  bytesToHex,
  concatBytes,
  copyBytes,
  hexToBytes,
  utf8DecodeStrict,
  utf8Encode,
} from './encoding'

describe('base64', () => {
  it.each([
    ['', '', ''],
    ['f', 'Zg==', 'Zg'],
    ['fo', 'Zm8=', 'Zm8'],
    ['foo', 'Zm9v', 'Zm9v'],
    ['foob', 'Zm9vYg==', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE=', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy', 'Zm9vYmFy'],
  ])('encodes %j as %s and %s (RFC 4648 §10)', (text, b64, b64url) => {
    expect(bytesToBase64(utf8Encode(text))).toBe(b64)
    expect(bytesToBase64Url(utf8Encode(text))).toBe(b64url)
    expect(base64ToBytes(b64)).toEqual(utf8Encode(text))
    expect(base64ToBytes(b64url)).toEqual(utf8Encode(text))
  })

  it('uses - and _ in the URL-safe alphabet and decodes both alphabets', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf])
    expect(bytesToBase64(bytes)).toBe('+/+/')
    expect(bytesToBase64Url(bytes)).toBe('-_-_')
    expect(base64ToBytes('+/+/')).toEqual(bytes)
    expect(base64ToBytes('-_-_')).toEqual(bytes)
  })

  it('agrees with Buffer on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
        expect(bytesToBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
        expect(base64ToBytes(bytesToBase64(bytes))).toEqual(new Uint8Array(bytes))
        expect(base64ToBytes(bytesToBase64Url(bytes))).toEqual(new Uint8Array(bytes))
      }),
    )
  })

  it.each([
    ['a character outside the alphabet', 'Zm9v!'],
    ['inner whitespace', 'Zm 9v'],
    ['padding in the middle', 'Zg==Zg=='],
    ['three padding characters', 'Z==='],
    ['padding on an incomplete block', 'Zg='],
    ['an impossible length', 'Zm9vY'],
    ['non-ASCII', 'Zm9v\u00e9'],
  ])('returns null for %s', (_, input) => {
    expect(base64ToBytes(input)).toBeNull()
  })
})

describe('hex', () => {
  it('round-trips and accepts either case', () => {
    expect(bytesToHex(new Uint8Array([0, 15, 16, 255]))).toBe('000f10ff')
    expect(hexToBytes('000F10ff')).toEqual(new Uint8Array([0, 15, 16, 255]))
  })

  it.each(['abc', 'zz', '0x00'])('returns null for %j', (input) => {
    expect(hexToBytes(input)).toBeNull()
  })
})

describe('utf8 and bytes', () => {
  it('decodes valid UTF-8 and returns null for invalid sequences', () => {
    expect(utf8DecodeStrict(utf8Encode('héllo ✓ 😀'))).toBe('héllo ✓ 😀')
    expect(utf8DecodeStrict(new Uint8Array([0xff]))).toBeNull()
    expect(utf8DecodeStrict(new Uint8Array([0xed, 0xa0, 0xbd]))).toBeNull()
  })

  it('concatenates and copies without sharing memory', () => {
    const a = new Uint8Array([1, 2])
    const joined = concatBytes(a, new Uint8Array([3]), new Uint8Array(0))
    expect(joined).toEqual(new Uint8Array([1, 2, 3]))
    const copy = copyBytes(a)
    copy[0] = 9
    expect(a[0]).toBe(1)
  })
})
