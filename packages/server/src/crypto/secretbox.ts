/**
 * Encryption of secrets at rest (TOTP seeds, face templates) with AES-256-GCM.
 *
 * - The key lives outside the database (an environment variable or a key file) and is imported
 *   from 32 raw bytes or their base64 form.
 * - The associated data binds each ciphertext to the user and factor it belongs to, so a
 *   ciphertext copied to another user's row (or another factor) fails to decrypt.
 * - Every ciphertext names the key that sealed it, so keys can be rotated: seal with the newest
 *   key, keep older keys for opening, and re-seal rows for which {@link SecretBox.needsReseal} is
 *   true.
 *
 * Sealed format: `<keyId>.<iv base64url>.<ciphertext+tag base64url>`, e.g. `v1.Jx3….Qm9…`.
 */

import { base64ToBytes, bytesToBase64Url, copyBytes, utf8DecodeStrict, utf8Encode, type Bytes } from './encoding'
import { randomBytes } from './random'
import { subtle } from './subtle'
import type { SyncAesGcmDecrypt } from './sync'

const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/

export type SecretBoxErrorReason = 'malformed' | 'unknown_key' | 'decrypt_failed'

/** Opening failed. The message never contains key material or plaintext. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError'
  constructor(
    readonly reason: SecretBoxErrorReason,
    message: string,
  ) {
    super(message)
  }
}

/** Whom a sealed secret belongs to. Both parts are bound into the AES-GCM associated data. */
export interface SecretContext {
  userId: string
  /** The factor or purpose, e.g. `"totp"` or a factor id. */
  factor: string
}

export interface SecretBoxKey {
  /** Short identifier stored in each ciphertext, e.g. `"v1"`: letters, digits, `_` and `-`. */
  id: string
  key: CryptoKey
  /** The same key as 32 raw bytes, needed only to open with a synchronous AES-GCM. */
  raw?: Uint8Array | undefined
}

export interface SecretBoxOptions {
  /**
   * A synchronous AES-256-GCM decryption (e.g. Node's) used to open with the keys that come with
   * their raw bytes; the others use Web Crypto. Check it once with `checkSyncCrypto`.
   */
  aesGcmDecrypt?: SyncAesGcmDecrypt | undefined
}

/**
 * The 32 key bytes from raw bytes (copied) or a base64 / base64url string of them.
 * @throws {RangeError} when the input is not exactly 32 bytes.
 */
export function secretBoxKeyBytes(material: Uint8Array | string): Bytes {
  const raw = typeof material === 'string' ? base64ToBytes(material.trim()) : copyBytes(material)
  if (raw === null) throw new RangeError('secret box key must be base64 of 32 bytes')
  if (raw.length !== 32) {
    raw.fill(0)
    throw new RangeError('secret box key must be exactly 32 bytes (256 bits)')
  }
  return raw
}

/**
 * Imports a 256-bit AES-GCM key from 32 raw bytes, or from a base64 / base64url string of them.
 * @throws {RangeError} when the input is not exactly 32 bytes.
 */
export async function importSecretBoxKey(material: Uint8Array | string): Promise<CryptoKey> {
  const raw = secretBoxKeyBytes(material)
  try {
    return await subtle().importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
  } finally {
    raw.fill(0)
  }
}

/** 32 fresh random bytes as base64url, suitable for an environment variable or a key file. */
export function generateSecretBoxKeyMaterial(): string {
  return bytesToBase64Url(randomBytes(32))
}

function associatedData(keyId: string, context: SecretContext): Bytes {
  if (typeof context?.userId !== 'string' || typeof context.factor !== 'string') {
    throw new TypeError('secret context needs string userId and factor')
  }
  // JSON gives an unambiguous encoding: ("a:b","c") and ("a","b:c") differ.
  return utf8Encode(JSON.stringify(['mfa-kit.secretbox.v1', keyId, context.userId, context.factor]))
}

export interface SecretBox {
  /** Id of the key new ciphertexts are sealed with. */
  readonly currentKeyId: string
  seal(plaintext: Uint8Array | string, context: SecretContext): Promise<string>
  /** @throws {SecretBoxError} on a malformed value, an unknown key id, a wrong key or a context mismatch. */
  open(sealed: string, context: SecretContext): Promise<Bytes>
  /** Like {@link SecretBox.open} for UTF-8 text. */
  openText(sealed: string, context: SecretContext): Promise<string>
  /** True when `sealed` was made with a key other than the current one. */
  needsReseal(sealed: string): boolean
}

/**
 * Creates a secret box over one or more keys. The first key seals; all of them open.
 * @throws {RangeError} for no keys, a bad key id or duplicate ids.
 */
export function createSecretBox(keys: readonly SecretBoxKey[], options: SecretBoxOptions = {}): SecretBox {
  if (keys.length === 0) throw new RangeError('a secret box needs at least one key')
  const { aesGcmDecrypt } = options
  const byId = new Map<string, CryptoKey>()
  const rawById = new Map<string, Bytes>()
  for (const { id, key, raw } of keys) {
    if (!KEY_ID.test(id)) throw new RangeError('secret box key ids are 1-32 characters of A-Z a-z 0-9 _ -')
    if (byId.has(id)) throw new RangeError(`duplicate secret box key id "${id}"`)
    if (key.algorithm.name !== 'AES-GCM') throw new RangeError('secret box keys must be AES-GCM keys')
    if (raw !== undefined && raw.length !== 32) throw new RangeError('secret box raw keys must be 32 bytes')
    byId.set(id, key)
    if (raw !== undefined && aesGcmDecrypt) rawById.set(id, copyBytes(raw))
  }
  const current = keys[0]!

  function parse(sealed: string): { keyId: string; iv: Bytes; data: Bytes } {
    if (typeof sealed !== 'string') throw new SecretBoxError('malformed', 'sealed secret is not a string')
    const parts = sealed.split('.')
    if (parts.length !== 3) throw new SecretBoxError('malformed', 'sealed secret has the wrong format')
    const [keyId, ivText, dataText] = parts as [string, string, string]
    const iv = base64ToBytes(ivText)
    const data = base64ToBytes(dataText)
    if (!KEY_ID.test(keyId) || iv === null || iv.length !== IV_BYTES || data === null || data.length < TAG_BYTES) {
      throw new SecretBoxError('malformed', 'sealed secret has the wrong format')
    }
    return { keyId, iv, data }
  }

  async function open(sealed: string, context: SecretContext): Promise<Bytes> {
    const { keyId, iv, data } = parse(sealed)
    const key = byId.get(keyId)
    if (!key) throw new SecretBoxError('unknown_key', `no key with id "${keyId}" is configured`)
    const additionalData = associatedData(keyId, context)
    const raw = rawById.get(keyId)
    if (raw !== undefined && aesGcmDecrypt) {
      try {
        const plain = aesGcmDecrypt(raw, iv, data, additionalData)
        const out = copyBytes(plain)
        plain.fill(0)
        return out
      } catch {
        throw new SecretBoxError('decrypt_failed', 'sealed secret could not be decrypted (wrong key or wrong owner)')
      }
    }
    try {
      const plain = await subtle().decrypt({ name: 'AES-GCM', iv, additionalData, tagLength: TAG_BYTES * 8 }, key, data)
      return new Uint8Array(plain)
    } catch {
      throw new SecretBoxError('decrypt_failed', 'sealed secret could not be decrypted (wrong key or wrong owner)')
    }
  }

  return {
    currentKeyId: current.id,
    async seal(plaintext, context) {
      const data = typeof plaintext === 'string' ? utf8Encode(plaintext) : copyBytes(plaintext)
      // A random 96-bit IV per message; with at most a few billion seals per key the collision
      // probability stays far below NIST SP 800-38D's 2^-32 bound.
      const iv = randomBytes(IV_BYTES)
      const sealed = await subtle().encrypt(
        { name: 'AES-GCM', iv, additionalData: associatedData(current.id, context), tagLength: TAG_BYTES * 8 },
        current.key,
        data,
      )
      return `${current.id}.${bytesToBase64Url(iv)}.${bytesToBase64Url(new Uint8Array(sealed))}`
    },
    open,
    async openText(sealed, context) {
      const text = utf8DecodeStrict(await open(sealed, context))
      if (text === null) throw new SecretBoxError('malformed', 'sealed secret is not UTF-8 text')
      return text
    },
    needsReseal(sealed) {
      return parse(sealed).keyId !== current.id
    },
  }
}
