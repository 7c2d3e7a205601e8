/**
 * Optional synchronous primitives supplied by the host.
 *
 * Everything in this package runs on Web Crypto, whose operations are asynchronous: each call is a
 * job handed to another thread plus a promise, which costs far more than the work itself for the
 * short inputs used here (tokens, codes, TOTP counters, sealed seeds). A host with synchronous
 * implementations (Node's `createHmac` and `createDecipheriv`) can pass them in; the results are
 * identical, only faster. Each one is checked against published test vectors before it is used.
 */

import { equalBytesFixedLength } from './compare'
import { hexToBytes, utf8Encode } from './encoding'

/** Hash names as Web Crypto spells them. */
export type HmacHash = 'SHA-1' | 'SHA-256' | 'SHA-512'

/** HMAC of `data` under `key` with `hash`. Must not keep or modify its inputs. */
export type SyncHmac = (hash: HmacHash, key: Uint8Array, data: Uint8Array) => Uint8Array

/**
 * AES-256-GCM decryption of `data` (ciphertext followed by its 16-byte tag) under a 32-byte key.
 * Must throw when the tag does not verify. Must not keep or modify its inputs.
 */
export type SyncAesGcmDecrypt = (key: Uint8Array, iv: Uint8Array, data: Uint8Array, additionalData: Uint8Array) => Uint8Array

export interface SyncCrypto {
  hmac?: SyncHmac | undefined
  aesGcmDecrypt?: SyncAesGcmDecrypt | undefined
}

/** A supplied primitive is missing its contract or computes something else. */
export class SyncCryptoError extends Error {
  override readonly name = 'SyncCryptoError'
}

const hex = (text: string) => hexToBytes(text)!

// RFC 2202 and RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
const HMAC_VECTORS: ReadonlyArray<[HmacHash, string]> = [
  ['SHA-1', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
  ['SHA-256', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  [
    'SHA-512',
    '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  ],
]

// Test case 16 of McGrew and Viega, "The Galois/Counter Mode of Operation" (256-bit key, AAD).
const GCM_VECTOR = {
  key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
  iv: 'cafebabefacedbaddecaf888',
  aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
  plaintext: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  ciphertextAndTag:
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
    '76fc6ece0f4e1768cddf8853bb2d551b',
}

function attempt<T>(run: () => T): T | null {
  try {
    return run()
  } catch {
    return null
  }
}

/**
 * Checks every supplied primitive against known answers (and that AES-GCM refuses a forged tag).
 * @throws {SyncCryptoError}
 */
export function checkSyncCrypto(crypto: unknown): asserts crypto is SyncCrypto {
  if (typeof crypto !== 'object' || crypto === null) throw new SyncCryptoError('crypto must be an object { hmac?, aesGcmDecrypt? }')
  const { hmac, aesGcmDecrypt } = crypto as Record<string, unknown>
  if (hmac !== undefined) {
    if (typeof hmac !== 'function') throw new SyncCryptoError('crypto.hmac must be a function (hash, key, data) => Uint8Array')
    const key = utf8Encode('Jefe')
    const data = utf8Encode('what do ya want for nothing?')
    for (const [hash, expected] of HMAC_VECTORS) {
      const actual = attempt(() => (hmac as SyncHmac)(hash, key, data))
      if (!(actual instanceof Uint8Array) || !equalBytesFixedLength(actual, hex(expected))) {
        throw new SyncCryptoError(`crypto.hmac does not compute HMAC-${hash} correctly`)
      }
    }
  }
  if (aesGcmDecrypt !== undefined) {
    if (typeof aesGcmDecrypt !== 'function') {
      throw new SyncCryptoError('crypto.aesGcmDecrypt must be a function (key, iv, data, additionalData) => Uint8Array')
    }
    const decrypt = aesGcmDecrypt as SyncAesGcmDecrypt
    const { key, iv, aad, plaintext, ciphertextAndTag } = GCM_VECTOR
    const opened = attempt(() => decrypt(hex(key), hex(iv), hex(ciphertextAndTag), hex(aad)))
    if (!(opened instanceof Uint8Array) || !equalBytesFixedLength(opened, hex(plaintext))) {
      throw new SyncCryptoError('crypto.aesGcmDecrypt does not decrypt AES-256-GCM correctly')
    }
    const forged = hex(ciphertextAndTag)
    forged[forged.length - 1] = forged[forged.length - 1]! ^ 1
    if (attempt(() => decrypt(hex(key), hex(iv), forged, hex(aad))) !== null) {
      throw new SyncCryptoError('crypto.aesGcmDecrypt accepts a forged authentication tag')
    }
  }
}
