/**
 * Constant-time comparison.
 *
 * Node's `timingSafeEqual` throws on inputs of different lengths, and a plain early-exit loop leaks
 * the length of the secret. Here both sides are first reduced to HMAC-SHA256 digests under a random
 * key that lives only in this process, and the two 32-byte digests are compared without branching on
 * their content. The result is a comparison whose time does not depend on where, or whether, the
 * inputs differ, including their lengths, and which never throws.
 */

import { utf8Encode, type Bytes } from './encoding'
import { subtle } from './subtle'

let processKey: Promise<CryptoKey> | undefined

function comparisonKey(): Promise<CryptoKey> {
  processKey ??= subtle().generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']) as Promise<CryptoKey>
  return processKey
}

function toBytes(value: unknown): Bytes | null {
  if (typeof value === 'string') return utf8Encode(value)
  if (value instanceof Uint8Array) return new Uint8Array(value)
  return null
}

/**
 * Compares two equal-length byte arrays in time that depends only on the length. Returns false
 * (without throwing) when the lengths differ; use it only where the length is public, e.g. for
 * fixed-size digests. For secrets of any length use {@link timingSafeEqual}.
 */
export function equalBytesFixedLength(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/**
 * Constant-time equality for strings (compared as UTF-8) or byte arrays, of any lengths.
 * Returns false for mismatched lengths or for values that are neither strings nor byte arrays;
 * never throws.
 */
export async function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): Promise<boolean> {
  const left = toBytes(a)
  const right = toBytes(b)
  const key = await comparisonKey()
  const api = subtle()
  const [da, db] = await Promise.all([api.sign('HMAC', key, left ?? new Uint8Array(0)), api.sign('HMAC', key, right ?? new Uint8Array(1))])
  const same = equalBytesFixedLength(new Uint8Array(da), new Uint8Array(db))
  return same && left !== null && right !== null
}
