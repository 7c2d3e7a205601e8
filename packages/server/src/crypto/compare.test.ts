import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { equalBytesFixedLength, timingSafeEqual } from './compare'

describe('timingSafeEqual (VER-07)', () => {
  it.each([
    ['equal strings', '123456', '123456', true],
    ['different strings of equal length', '123456', '123457', false],
    ['a shorter right side', '123456', '12345', false],
    ['a longer right side', '123456', '1234567', false],
    ['an empty and a non-empty string', '', '123456', false],
    ['two empty strings', '', '', true],
    ['equal non-ASCII strings', 'pässwörd✓', 'pässwörd✓', true],
    ['strings that differ only in Unicode form', 'é', 'e\u0301', false],
  ])('compares %s', async (_, a, b, expected) => {
    await expect(timingSafeEqual(a, b)).resolves.toBe(expected)
  })

  it('compares byte arrays of different lengths without throwing', async () => {
    await expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).resolves.toBe(false)
    await expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).resolves.toBe(true)
  })

  it('compares a string with the bytes of its UTF-8 encoding as equal', async () => {
    await expect(timingSafeEqual('abc', new Uint8Array([97, 98, 99]))).resolves.toBe(true)
  })

  it('returns false rather than throwing for values that are neither strings nor bytes', async () => {
    for (const bad of [undefined, null, 123456, {}, ['1']]) {
      await expect(timingSafeEqual(bad as unknown as string, '123456')).resolves.toBe(false)
      await expect(timingSafeEqual('123456', bad as unknown as string)).resolves.toBe(false)
      await expect(timingSafeEqual(bad as unknown as string, bad as unknown as string)).resolves.toBe(false)
    }
  })

  it('agrees with plain equality on arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (a, b) => {
        expect(await timingSafeEqual(a, b)).toBe(a === b)
        expect(await timingSafeEqual(a, a)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})

describe('equalBytesFixedLength', () => {
  it('returns false for different lengths and compares equal-length arrays by content', () => {
    expect(equalBytesFixedLength(new Uint8Array(3), new Uint8Array(4))).toBe(false)
    expect(equalBytesFixedLength(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true)
    expect(equalBytesFixedLength(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false)
    expect(equalBytesFixedLength(new Uint8Array([0x80, 2, 3]), new Uint8Array([0, 2, 3]))).toBe(false)
  })
})
