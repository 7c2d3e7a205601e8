/**
 * CSPRNG helpers. Every secret, code and token in the server comes from here, and everything here
 * comes from `crypto.getRandomValues` (never `Math.random`).
 */

import { bytesToBase64Url, bytesToHex, type Bytes } from './encoding'
import { webCrypto } from './subtle'

/** getRandomValues refuses requests above 65,536 bytes, so larger ones are filled in chunks. */
const MAX_CHUNK = 65_536

export function randomBytes(length: number): Bytes {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('randomBytes length must be a non-negative integer')
  const out = new Uint8Array(length)
  const api = webCrypto()
  for (let offset = 0; offset < length; offset += MAX_CHUNK) {
    api.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_CHUNK)))
  }
  return out
}

/**
 * A uniformly random string of `digits` decimal digits (leading zeros included), e.g. an SMS or
 * email code. Bytes of 250 and above are rejected so that `byte % 10` carries no modulo bias.
 */
export function randomDigits(digits: number): string {
  if (!Number.isSafeInteger(digits) || digits < 1 || digits > 1024) {
    throw new RangeError('randomDigits needs a digit count between 1 and 1024')
  }
  let out = ''
  while (out.length < digits) {
    // 250/256 of bytes are accepted, so a batch of digits + 8 almost always suffices.
    for (const byte of randomBytes(digits - out.length + 8)) {
      if (byte < 250) {
        out += String(byte % 10)
        if (out.length === digits) break
      }
    }
  }
  return out
}

/**
 * A uniformly random integer in [0, max) by rejection sampling over 32-bit words.
 * @param max an integer between 1 and 2^32
 */
export function randomInt(max: number): number {
  if (!Number.isSafeInteger(max) || max < 1 || max > 0x1_0000_0000) throw new RangeError('randomInt max must be in 1..2^32')
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % max)
  const word = new Uint32Array(1)
  const api = webCrypto()
  for (;;) {
    api.getRandomValues(word)
    if (word[0]! < limit) return word[0]! % max
  }
}

/** Minimum entropy of opaque tokens (mfaTokens, session tokens): 128 bits (ASVS 5 7.2.3, 11.5.1). */
export const MIN_TOKEN_BYTES = 16

/**
 * An opaque random token, base64url without padding.
 * @param bytes entropy in bytes; at least 16 (128 bits). @default 32
 */
export function randomToken(bytes = 32): string {
  if (!Number.isSafeInteger(bytes) || bytes < MIN_TOKEN_BYTES) {
    throw new RangeError(`randomToken needs at least ${MIN_TOKEN_BYTES} bytes (128 bits) of entropy`)
  }
  return bytesToBase64Url(randomBytes(bytes))
}

/** Bytes of entropy in a recovery code: 12 bytes = 96 bits, above the 64-bit minimum of NIST SP 800-63B-4 §4.2.1.1. */
export const RECOVERY_CODE_BYTES = 12

/**
 * A recovery code in Authing's format: six groups of four lower-case hex digits separated by
 * hyphens, e.g. `10af-4f2f-f34f-f224-d21c-bd16` (96 bits).
 */
export function generateRecoveryCode(): string {
  const hex = bytesToHex(randomBytes(RECOVERY_CODE_BYTES))
  return hex.match(/.{4}/g)!.join('-')
}

/**
 * Canonical form of a typed recovery code: surrounding and inner whitespace and hyphens (including
 * Unicode dashes) removed, lower case. Hash and compare only this form, so that
 * `"ABCD-EFGH"`, `"abcd efgh"` and `"abcdefgh"` are the same code.
 */
export function normalizeRecoveryCode(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s\-\u2010-\u2015\u2212]+/g, '')
    .toLowerCase()
}

/** True when a normalised code has the shape of a code from {@link generateRecoveryCode} (24 hex digits). */
export function isRecoveryCodeShape(normalized: string): boolean {
  return /^[0-9a-f]{24}$/.test(normalized)
}
