/**
 * Reed–Solomon error correction over GF(256), as QR codes use it: the field is built on the
 * primitive polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) with α = 2, and the generator polynomial of
 * degree n is (x − α⁰)(x − α¹)…(x − αⁿ⁻¹).
 */

const PRIMITIVE_POLYNOMIAL = 0x11d

/** α^i for i = 0..254 (doubled, so that a sum of two logarithms needs no modulo). */
const EXP = new Uint8Array(510)
/** log_α(x) for x = 1..255. */
const LOG = new Uint8Array(256)

{
  let value = 1
  for (let i = 0; i < 255; i++) {
    EXP[i] = value
    EXP[i + 255] = value
    LOG[value] = i
    value <<= 1
    if (value & 0x100) value ^= PRIMITIVE_POLYNOMIAL
  }
}

/** α^power in GF(256). */
export function gfPower(power: number): number {
  return EXP[((power % 255) + 255) % 255]!
}

/** Product in GF(256). */
export function gfMultiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0
  return EXP[LOG[a]! + LOG[b]!]!
}

const generators = new Map<number, Uint8Array>()

/**
 * Coefficients of the generator polynomial of the given degree, highest power first, without its
 * leading coefficient (which is always 1).
 */
export function generatorPolynomial(degree: number): Uint8Array {
  const known = generators.get(degree)
  if (known) return known
  // Multiply (x − α⁰)…(x − α^(degree−1)) out; in GF(2⁸) subtraction is addition (XOR).
  let product = new Uint8Array([1])
  for (let i = 0; i < degree; i++) {
    const next = new Uint8Array(product.length + 1)
    for (let j = 0; j < next.length; j++) {
      const shifted = j < product.length ? product[j]! : 0
      const scaled = j > 0 ? gfMultiply(product[j - 1]!, gfPower(i)) : 0
      next[j] = shifted ^ scaled
    }
    product = next
  }
  const generator = product.slice(1)
  generators.set(degree, generator)
  return generator
}

/**
 * The `degree` error correction codewords of a block: the remainder of data(x)·x^degree divided by
 * the generator polynomial.
 */
export function reedSolomonRemainder(data: Uint8Array, degree: number): Uint8Array {
  const generator = generatorPolynomial(degree)
  const remainder = new Uint8Array(degree)
  for (const byte of data) {
    const factor = byte ^ remainder[0]!
    remainder.copyWithin(0, 1)
    remainder[degree - 1] = 0
    for (let i = 0; i < degree; i++) remainder[i] = remainder[i]! ^ gfMultiply(generator[i]!, factor)
  }
  return remainder
}
