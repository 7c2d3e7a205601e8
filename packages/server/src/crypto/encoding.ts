/**
 * Byte and text encodings shared by the crypto modules.
 *
 * Only Web-standard APIs are used (TextEncoder, TextDecoder, atob/btoa are avoided in favour of
 * table-driven code so that the behaviour is identical in every runtime and never depends on
 * Latin-1 string tricks).
 */

const utf8Encoder = new TextEncoder()
const utf8StrictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** A byte array that WebCrypto accepts as `BufferSource` (backed by a plain ArrayBuffer). */
export type Bytes = Uint8Array<ArrayBuffer>

/** Copies any Uint8Array into a fresh array backed by its own ArrayBuffer. */
export function copyBytes(input: Uint8Array): Bytes {
  return new Uint8Array(input)
}

export function utf8Encode(text: string): Bytes {
  return utf8Encoder.encode(text)
}

/** Decodes UTF-8, returning null for invalid sequences instead of inserting U+FFFD. */
export function utf8DecodeStrict(bytes: Uint8Array): string | null {
  try {
    return utf8StrictDecoder.decode(bytes)
  } catch {
    return null
  }
}

export function concatBytes(...parts: readonly Uint8Array[]): Bytes {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

const HEX = '0123456789abcdef'

export function bytesToHex(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) out += HEX[byte >> 4]! + HEX[byte & 15]!
  return out
}

export function hexToBytes(hex: string): Bytes | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function encode64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!
    if (pad) out += '=='
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]!
    if (pad) out += '='
  }
  return out
}

const B64_LOOKUP: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1)
  for (let i = 0; i < 64; i++) table[B64.charCodeAt(i)] = i
  // The URL-safe alphabet differs only in the last two symbols; accept both.
  table['-'.charCodeAt(0)] = 62
  table['_'.charCodeAt(0)] = 63
  return table
})()

/**
 * Decodes standard or URL-safe base64, with or without padding.
 * Returns null for any character outside the alphabets, misplaced padding or an impossible length.
 */
export function base64ToBytes(input: string): Bytes | null {
  let text = input
  const firstPad = text.indexOf('=')
  if (firstPad !== -1) {
    const padding = text.slice(firstPad)
    if (!/^={1,2}$/.test(padding) || text.length % 4 !== 0) return null
    text = text.slice(0, firstPad)
  }
  if (text.length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let buffer = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const value = code < 128 ? B64_LOOKUP[code]! : -1
    if (value < 0) return null
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (buffer >> bits) & 0xff
    }
    buffer &= 0xff
  }
  return out
}

export function bytesToBase64(bytes: Uint8Array): string {
  return encode64(bytes, B64, true)
}

/** URL-safe base64 without padding (RFC 4648 §5). */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return encode64(bytes, B64URL, false)
}
