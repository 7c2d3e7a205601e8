/**
 * Password hashing with PBKDF2-HMAC-SHA256 from Web Crypto, following the OWASP Password Storage
 * Cheat Sheet: 600,000 iterations, a 16-byte random salt per password and a 32-byte derived key.
 * (Argon2id and scrypt are preferred by OWASP but are not available in Web Crypto; PBKDF2 is the
 * FIPS-approved option it lists with this iteration count.)
 *
 * Encoded form: `pbkdf2-sha256$<iterations>$<salt base64url>$<hash base64url>`. Because the cost is
 * part of the string, raising the default later still verifies old hashes, and
 * {@link needsRehash} tells the caller when to re-hash after a successful login.
 *
 * Passwords are normalised to Unicode NFKC first (NIST SP 800-63B-4 §3.1.1.2), so the same password
 * typed on different keyboards hashes the same way.
 */

import { equalBytesFixedLength } from './compare'
import { base64ToBytes, bytesToBase64Url, utf8Encode, type Bytes } from './encoding'
import { randomBytes } from './random'
import { subtle } from './subtle'

const SCHEME = 'pbkdf2-sha256'
export const PASSWORD_DEFAULT_ITERATIONS = 600_000
const SALT_BYTES = 16
const HASH_BYTES = 32
/** Refuse to run more than this many iterations, so a tampered hash string cannot pin a CPU. */
const MAX_ITERATIONS = 10_000_000
/** Longer inputs are refused: no real password is this long, and it bounds the work per attempt. */
export const PASSWORD_MAX_BYTES = 4096

export interface PasswordHashOptions {
  /** PBKDF2 iterations. Lower it only in tests. @default 600000 */
  iterations?: number
}

export class PasswordInputError extends RangeError {
  override readonly name = 'PasswordInputError'
}

function passwordBytes(password: string): Bytes | null {
  if (typeof password !== 'string') return null
  const bytes = utf8Encode(password.normalize('NFKC'))
  return bytes.length > PASSWORD_MAX_BYTES ? null : bytes
}

async function derive(password: Bytes, salt: Bytes, iterations: number): Promise<Bytes> {
  const api = subtle()
  const key = await api.importKey('raw', password, 'PBKDF2', false, ['deriveBits'])
  const bits = await api.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BYTES * 8)
  return new Uint8Array(bits)
}

function checkIterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new PasswordInputError(`iterations must be a whole number from 1 to ${MAX_ITERATIONS}`)
  }
}

/**
 * Hashes a password for storage.
 * @throws {PasswordInputError} for a non-string or a password longer than 4096 UTF-8 bytes.
 */
export async function hashPassword(password: string, options: PasswordHashOptions = {}): Promise<string> {
  const iterations = options.iterations ?? PASSWORD_DEFAULT_ITERATIONS
  checkIterations(iterations)
  const bytes = passwordBytes(password)
  if (bytes === null) throw new PasswordInputError(`password must be a string of at most ${PASSWORD_MAX_BYTES} bytes`)
  const salt = randomBytes(SALT_BYTES)
  const hash = await derive(bytes, salt, iterations)
  return `${SCHEME}$${iterations}$${bytesToBase64Url(salt)}$${bytesToBase64Url(hash)}`
}

interface ParsedHash {
  iterations: number
  salt: Bytes
  hash: Bytes
}

function parse(encoded: string): ParsedHash | null {
  if (typeof encoded !== 'string') return null
  const parts = encoded.split('$')
  if (parts.length !== 4 || parts[0] !== SCHEME || !/^[1-9][0-9]{0,7}$/.test(parts[1]!)) return null
  const iterations = Number(parts[1])
  const salt = base64ToBytes(parts[2]!)
  const hash = base64ToBytes(parts[3]!)
  if (iterations > MAX_ITERATIONS || salt === null || salt.length < 8 || hash === null || hash.length !== HASH_BYTES) return null
  return { iterations, salt, hash }
}

/**
 * Checks a password against an encoded hash. Returns false for a wrong password and for a
 * malformed or unsupported hash string; never throws for bad input. The final comparison runs in
 * constant time.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded)
  const bytes = passwordBytes(password)
  if (parsed === null || bytes === null) return false
  const actual = await derive(bytes, parsed.salt, parsed.iterations)
  return equalBytesFixedLength(actual, parsed.hash)
}

/**
 * True when a stored hash should be replaced by a fresh {@link hashPassword} result (after the user
 * next proves the password): a different scheme, fewer iterations than now configured, or a
 * malformed value.
 */
export function needsRehash(encoded: string, options: PasswordHashOptions = {}): boolean {
  const iterations = options.iterations ?? PASSWORD_DEFAULT_ITERATIONS
  const parsed = parse(encoded)
  return parsed === null || parsed.iterations < iterations || parsed.salt.length < SALT_BYTES
}
