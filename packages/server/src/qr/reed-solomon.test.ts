import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generatorPolynomial, gfMultiply, gfPower, reedSolomonRemainder } from './reed-solomon'

/** The codeword polynomial (data then remainder, highest power first) evaluated at x. */
function evaluate(codeword: readonly number[], x: number): number {
  let value = 0
  for (const coefficient of codeword) value = gfMultiply(value, x) ^ coefficient
  return value
}

describe('GF(256)', () => {
  it('uses the QR field polynomial 0x11D with generator 2', () => {
    expect([0, 1, 7, 8, 9, 254, 255].map(gfPower)).toEqual([1, 2, 128, 0x1d, 0x3a, 142, 1])
    expect(gfMultiply(0x80, 2)).toBe(0x1d)
    expect(gfMultiply(0, 7)).toBe(0)
  })

  it('multiplies associatively and commutatively, with 1 as identity and an inverse for every element', () => {
    for (let a = 1; a < 256; a++) {
      expect(gfMultiply(a, 1)).toBe(a)
      expect(gfMultiply(a, gfPower(255 - logOf(a)))).toBe(1)
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, c) => {
        expect(gfMultiply(a, b)).toBe(gfMultiply(b, a))
        expect(gfMultiply(gfMultiply(a, b), c)).toBe(gfMultiply(a, gfMultiply(b, c)))
        expect(gfMultiply(a, b ^ c)).toBe(gfMultiply(a, b) ^ gfMultiply(a, c))
      }),
    )
  })
})

function logOf(value: number): number {
  for (let i = 0; i < 255; i++) if (gfPower(i) === value) return i
  throw new Error('zero has no logarithm')
}

describe('Reed–Solomon', () => {
  it('has the generator polynomial of ISO/IEC 18004 Annex A for 7 codewords', () => {
    // g(x) = x⁷ + α⁸⁷x⁶ + α²²⁹x⁵ + α¹⁴⁶x⁴ + α¹⁴⁹x³ + α²³⁸x² + α¹⁰²x + α²¹
    expect(Array.from(generatorPolynomial(7))).toEqual([87, 229, 146, 149, 238, 102, 21].map(gfPower))
  })

  it('computes the error correction of the 1-M "HELLO WORLD" example', () => {
    const data = Uint8Array.of(32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17)
    expect(Array.from(reedSolomonRemainder(data, 10))).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
  })

  it('produces codewords whose polynomial vanishes at α⁰ … α^(n−1)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.constantFrom(7, 10, 16, 18, 22, 24, 26), (data, degree) => {
        const codeword = [...data, ...reedSolomonRemainder(data, degree)]
        for (let i = 0; i < degree; i++) expect(evaluate(codeword, gfPower(i))).toBe(0)
        const damaged = [...codeword]
        damaged[0] = damaged[0]! ^ 1
        expect(Array.from({ length: degree }, (_, i) => evaluate(damaged, gfPower(i))).some((s) => s !== 0)).toBe(true)
      }),
    )
  })
})
