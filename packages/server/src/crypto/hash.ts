/**
 * Keyed hashing of one-time values for storage: recovery codes and SMS/email codes.
 *
 * Each value is stored as HMAC-SHA256(pepper, [purpose, ...context, value]). The pepper is derived
 * with HKDF from the server key, which lives outside the database, so a leaked database alone
 * gives an attacker nothing to test guesses against.
 *
 * Why a fast keyed hash rather than a slow password hash:
 * - Recovery codes carry 96 bits from the CSPRNG. NIST SP 800-63B-4 §3.1.2.2 asks for a salted
 *   password hash only below 112 bits because a slow hash adds a few bits of work; at 96 bits an
 *   offline search needs about 2^95 HMAC evaluations even with the pepper, far beyond reach, so the
 *   extra work factor buys nothing while making every verification and every parallel attempt far
 *   more expensive for the server. The context (purpose and user id) is hashed in, which gives
 *   every user a distinct "salt": equal codes of two users never share a hash, and one
 *   precomputed table cannot serve many accounts.
 * - SMS and email codes have only about 20 bits. No hash can protect them against someone who holds
 *   both the database and the server key, so hashing them only keeps them out of plain sight in the
 *   database for their few minutes of life (OWASP MFA Cheat Sheet); their real protection is the
 *   short lifetime, single use and the attempt limit. Binding the channel and destination into the
 *   context makes a code for one phone or request useless for another (ASVS 5 6.6.2).
 */

import { equalBytesFixedLength } from './compare'
import { base64ToBytes, bytesToBase64Url, copyBytes, utf8Encode } from './encoding'
import { checkSyncCrypto, type SyncHmac } from './sync'
import { subtle } from './subtle'

const HKDF_SALT = utf8Encode('mfa-kit.code-hash')
const HKDF_INFO = utf8Encode('mfa-kit.code-hash.pepper.v1')
const DIGEST_BYTES = 32

export interface CodeHasher {
  /**
   * Hash of `value` in a given purpose and context (e.g. `hash('recovery', [userId], code)`),
   * base64url, 43 characters.
   */
  hash(purpose: string, context: readonly string[], value: string): Promise<string>
  /** Constant-time check of `value` against a stored hash; false for malformed stored values. */
  verify(purpose: string, context: readonly string[], value: string, stored: string): Promise<boolean>
}

function message(purpose: string, context: readonly string[], value: string): Uint8Array<ArrayBuffer> {
  if (typeof purpose !== 'string' || typeof value !== 'string' || !Array.isArray(context) || context.some((c) => typeof c !== 'string')) {
    throw new TypeError('code hash inputs must be strings')
  }
  // JSON keeps the parts unambiguous: ["a", "bc"] and ["ab", "c"] hash differently.
  return utf8Encode(JSON.stringify([purpose, ...context, value]))
}

export interface CodeHasherOptions {
  /**
   * A synchronous HMAC (e.g. Node's `createHmac`) to use instead of Web Crypto's. The hashes are
   * the same either way. @default Web Crypto
   */
  hmac?: SyncHmac | undefined
}

/**
 * Creates a hasher whose pepper is derived (HKDF-SHA256) from the server key: 32 raw bytes or their
 * base64 form. The derived pepper is independent of other keys derived from or equal to that key.
 * The pepper is derived and imported once; each hash is then a single HMAC.
 */
export async function createCodeHasher(serverKey: Uint8Array | string, options: CodeHasherOptions = {}): Promise<CodeHasher> {
  const { hmac } = options
  if (hmac !== undefined) checkSyncCrypto({ hmac })
  const raw = typeof serverKey === 'string' ? base64ToBytes(serverKey.trim()) : copyBytes(serverKey)
  if (raw === null || raw.length < 32) throw new RangeError('the server key must be at least 32 bytes (raw or base64)')
  const api = subtle()
  const ikm = await api.importKey('raw', raw, 'HKDF', false, ['deriveBits'])
  raw.fill(0)
  // The same 256 bits that deriveKey(HKDF → HMAC-SHA256) would import, so hashes do not depend on
  // which HMAC computes them.
  const pepperBytes = new Uint8Array(await api.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: HKDF_INFO }, ikm, 256))

  let digest: (purpose: string, context: readonly string[], value: string) => Promise<Uint8Array>
  if (hmac !== undefined) {
    digest = async (purpose, context, value) => hmac('SHA-256', pepperBytes, message(purpose, context, value))
  } else {
    const pepper = await api.importKey('raw', pepperBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    pepperBytes.fill(0)
    digest = async (purpose, context, value) => new Uint8Array(await api.sign('HMAC', pepper, message(purpose, context, value)))
  }

  return {
    async hash(purpose, context, value) {
      return bytesToBase64Url(await digest(purpose, context, value))
    },
    async verify(purpose, context, value, stored) {
      const actual = await digest(purpose, context, value)
      const expected = typeof stored === 'string' ? base64ToBytes(stored) : null
      if (expected === null || expected.length !== DIGEST_BYTES) return false
      return equalBytesFixedLength(actual, expected)
    },
  }
}
