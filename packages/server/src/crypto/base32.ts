/**
 * RFC 4648 §6 base32 (alphabet A-Z 2-7).
 *
 * The encoder is strict and upper case. The decoder is meant for secrets that people type or paste
 * from other authenticator set-ups, so it forgives case, spaces, hyphens and missing padding, but it
 * still rejects every character outside the alphabet (notably 0, 1, 8 and 9, which are easy to
 * confuse with O, I, B and g), as RFC 4648 §3.3 requires.
 */

import type { Bytes } from './encoding'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

const LOOKUP: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i
  return table
})()

/** Thrown by {@link base32Decode} for input that is not base32. The message never echoes the input. */
export class Base32Error extends Error {
  override readonly name = 'Base32Error'
  readonly code = 'invalid_base32' as const
}

export interface Base32EncodeOptions {
  /**
   * Append `=` padding to a multiple of 8 characters (RFC 4648 §3.2).
   * The otpauth Key URI format asks for no padding, so pass `false` there.
   * @default true
   */
  padding?: boolean
}

export function base32Encode(bytes: Uint8Array, options: Base32EncodeOptions = {}): string {
  const padding = options.padding ?? true
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET[(buffer >> bits) & 31]!
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]!
  if (padding) while (out.length % 8 !== 0) out += '='
  return out
}

/**
 * Number of significant characters in a final base32 quantum, and how many bytes it holds.
 * Lengths 1, 3 and 6 cannot be produced by any encoder.
 */
const VALID_TAIL_LENGTHS = new Set([0, 2, 4, 5, 7])

/**
 * Decodes base32 leniently: ASCII case-insensitive; spaces, tabs, newlines and hyphens anywhere are
 * ignored; trailing `=` padding is optional (but `=` may only appear at the end).
 *
 * @throws {Base32Error} for characters outside the alphabet, misplaced padding or an impossible length.
 */
export function base32Decode(input: string): Bytes {
  const compact = input.replace(/[\s-]+/g, '')
  const firstPad = compact.indexOf('=')
  let body = compact
  if (firstPad !== -1) {
    if (!/^=+$/.test(compact.slice(firstPad))) throw new Base32Error('base32 padding may only appear at the end')
    body = compact.slice(0, firstPad)
    if (compact.length % 8 !== 0 || compact.length - firstPad > 6) {
      throw new Base32Error('base32 padding has the wrong length')
    }
  }
  if (!VALID_TAIL_LENGTHS.has(body.length % 8)) throw new Base32Error('base32 input has an impossible length')

  const out = new Uint8Array(Math.floor((body.length * 5) / 8))
  let buffer = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < body.length; i++) {
    let code = body.charCodeAt(i)
    if (code >= 0x61 && code <= 0x7a) code -= 0x20 // a-z -> A-Z
    const value = code < 128 ? LOOKUP[code]! : -1
    if (value < 0) throw new Base32Error('base32 input contains a character outside A-Z and 2-7')
    buffer = ((buffer << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[o++] = (buffer >> bits) & 0xff
    }
  }
  return out
}

/** Like {@link base32Decode} but returns null instead of throwing. */
export function tryBase32Decode(input: string): Bytes | null {
  try {
    return base32Decode(input)
  } catch {
    return null
  }
}
