/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) on Web Crypto HMAC, plus the otpauth Key URI and the
 * configuration guardrails the server enforces.
 *
 * Codes are always strings of exactly `digits` characters: leading zeros are significant
 * ("07081804" is a valid RFC 6238 code) and never go through a number.
 *
 * Time is handled as a JavaScript number of milliseconds and the counter as a number or bigint and
 * written as a 64-bit big-endian integer, so steps past 2038 (and past 2^32) work. No value is
 * coerced through 32-bit bitwise operators.
 *
 * It stays hand-written on purpose: it is small and checked against every RFC vector, while the
 * libraries that do the same (otpauth, otplib) bring their own HMAC instead of the platform's and
 * leave replay and window rules to the caller. otpauth serves in the tests as an independent
 * reference instead.
 */

import { base32Decode, base32Encode } from './base32'
import { equalBytesFixedLength } from './compare'
import { copyBytes, utf8Encode, type Bytes } from './encoding'
import type { HmacHash, SyncHmac } from './sync'
import { randomBytes } from './random'
import { subtle } from './subtle'

export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512'

export const OTP_ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512']

const WEBCRYPTO_HASH: Record<OtpAlgorithm, HmacHash> = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' }

/** Interoperable defaults: every mainstream authenticator app supports exactly this set. */
export const TOTP_DEFAULTS = {
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  window: 1,
  secretBytes: 20,
} as const satisfies { algorithm: OtpAlgorithm; digits: number; period: number; window: number; secretBytes: number }

export interface HotpOptions {
  /** Code length, 6 to 8. @default 6 */
  digits?: number
  /** HMAC hash. @default 'SHA1' */
  algorithm?: OtpAlgorithm
}

export interface TotpOptions extends HotpOptions {
  /** Time step in seconds. @default 30 */
  period?: number
}

/** Thrown for arguments that no correct caller passes (a bad digit count, a negative counter). */
export class OtpArgumentError extends RangeError {
  override readonly name = 'OtpArgumentError'
}

const MAX_COUNTER = (1n << 64n) - 1n

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new OtpArgumentError('OTP digits must be 6, 7 or 8')
}

function checkAlgorithm(algorithm: string): asserts algorithm is OtpAlgorithm {
  if (!(OTP_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new OtpArgumentError('OTP algorithm must be SHA1, SHA256 or SHA512')
  }
}

function checkPeriod(period: number): void {
  if (!Number.isSafeInteger(period) || period < 1) throw new OtpArgumentError('TOTP period must be a positive whole number of seconds')
}

function counterBytes(counter: number | bigint): Bytes {
  let value: bigint
  if (typeof counter === 'bigint') {
    value = counter
  } else {
    if (!Number.isSafeInteger(counter)) throw new OtpArgumentError('HOTP counter must be a safe integer or a bigint')
    value = BigInt(counter)
  }
  if (value < 0n || value > MAX_COUNTER) throw new OtpArgumentError('HOTP counter must fit in an unsigned 64-bit integer')
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, value, false)
  return out
}

async function importHmacKey(secret: Uint8Array, algorithm: OtpAlgorithm): Promise<CryptoKey> {
  if (secret.length === 0) throw new OtpArgumentError('OTP secret must not be empty')
  return subtle().importKey('raw', copyBytes(secret), { name: 'HMAC', hash: WEBCRYPTO_HASH[algorithm] }, false, ['sign'])
}

/** RFC 4226 §5.3 dynamic truncation, rendered as a zero-padded decimal string. */
function truncate(mac: Uint8Array, digits: number): string {
  const offset = mac[mac.length - 1]! & 0x0f
  const binary = (mac[offset]! & 0x7f) * 0x1000000 + mac[offset + 1]! * 0x10000 + mac[offset + 2]! * 0x100 + mac[offset + 3]!
  return String(binary % 10 ** digits).padStart(digits, '0')
}

async function hotpWithKey(key: CryptoKey, counter: number | bigint, digits: number): Promise<string> {
  const mac = new Uint8Array(await subtle().sign('HMAC', key, counterBytes(counter)))
  return truncate(mac, digits)
}

/** HOTP value for `counter` (RFC 4226). */
export async function hotp(secret: Uint8Array, counter: number | bigint, options: HotpOptions = {}): Promise<string> {
  const digits = options.digits ?? TOTP_DEFAULTS.digits
  const algorithm = options.algorithm ?? TOTP_DEFAULTS.algorithm
  checkDigits(digits)
  checkAlgorithm(algorithm)
  return hotpWithKey(await importHmacKey(secret, algorithm), counter, digits)
}

/** RFC 6238 time step T = floor(unixSeconds / period), with T0 = 0. */
export function totpStep(nowMs: number, period: number = TOTP_DEFAULTS.period): number {
  checkPeriod(period)
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new OtpArgumentError('time must be a non-negative number of milliseconds')
  return Math.floor(nowMs / (period * 1000))
}

/** TOTP value at `nowMs` (milliseconds since the Unix epoch). */
export async function totp(secret: Uint8Array, nowMs: number, options: TotpOptions = {}): Promise<string> {
  return hotp(secret, totpStep(nowMs, options.period), options)
}

/** The code a user typed, trimmed, if it is exactly `digits` ASCII digits; otherwise null. */
export function normalizeOtpCode(input: unknown, digits: number = TOTP_DEFAULTS.digits): string | null {
  if (typeof input !== 'string') return null
  const trimmed = input.trim()
  if (trimmed.length !== digits || !/^[0-9]+$/.test(trimmed)) return null
  return trimmed
}

/** How many steps before and after the current one are accepted. */
export interface TotpWindow {
  past: number
  future: number
}

export interface TotpMatchOptions extends TotpOptions {
  /**
   * Accepted steps around the current one: a number n means -n..+n; an object sets each side.
   * RFC 6238 §5.2 recommends at most one step. @default 1
   */
  window?: number | TotpWindow
  /**
   * The last step this factor accepted. Only later steps can match, which is how a replayed code,
   * or a code from an earlier step after a success, is rejected (RFC 6238 §5.2).
   */
  lastAcceptedStep?: number | null
  /**
   * A synchronous HMAC (e.g. Node's `createHmac`) to use instead of Web Crypto's; same results.
   * Check it once with `checkSyncCrypto`. @default Web Crypto
   */
  hmac?: SyncHmac | undefined
}

function resolveWindow(window: number | TotpWindow | undefined): TotpWindow {
  const w = window ?? TOTP_DEFAULTS.window
  const resolved = typeof w === 'number' ? { past: w, future: w } : w
  for (const side of [resolved.past, resolved.future]) {
    if (!Number.isSafeInteger(side) || side < 0 || side > 10) throw new OtpArgumentError('TOTP window sides must be 0..10 steps')
  }
  return resolved
}

/**
 * Checks `code` against the steps around `nowMs` and returns the matching time step, or null.
 *
 * The caller must store the returned step as the factor's last accepted step and refuse any step
 * at or before it, atomically (a compare-and-set), so that each code works once. Passing
 * `lastAcceptedStep` makes this function ignore those steps already. Every candidate in the window
 * is computed and compared in constant time, whatever matches.
 */
export async function totpMatchStep(
  secret: Uint8Array,
  code: unknown,
  nowMs: number,
  options: TotpMatchOptions = {},
): Promise<number | null> {
  const digits = options.digits ?? TOTP_DEFAULTS.digits
  const algorithm = options.algorithm ?? TOTP_DEFAULTS.algorithm
  const period = options.period ?? TOTP_DEFAULTS.period
  checkDigits(digits)
  checkAlgorithm(algorithm)
  const window = resolveWindow(options.window)
  const current = totpStep(nowMs, period)

  const normalized = normalizeOtpCode(code, digits)
  const steps: number[] = []
  for (let step = current - window.past; step <= current + window.future; step++) if (step >= 0) steps.push(step)
  let macs: Uint8Array[]
  const { hmac } = options
  if (hmac) {
    if (secret.length === 0) throw new OtpArgumentError('OTP secret must not be empty')
    const hash = WEBCRYPTO_HASH[algorithm]
    macs = steps.map((step) => hmac(hash, secret, counterBytes(step)))
  } else {
    // One key import, and the window's HMACs computed concurrently.
    const key = await importHmacKey(secret, algorithm)
    const api = subtle()
    macs = await Promise.all(steps.map(async (step) => new Uint8Array(await api.sign('HMAC', key, counterBytes(step)))))
  }
  const typed = utf8Encode(normalized ?? '\0'.repeat(digits))
  const floor = options.lastAcceptedStep ?? -1
  let matched: number | null = null
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!
    const same = equalBytesFixedLength(utf8Encode(truncate(macs[i]!, digits)), typed)
    if (same && matched === null && step > floor) matched = step
  }
  return normalized === null ? null : matched
}

/** A fresh TOTP secret from the CSPRNG: 20 bytes (160 bits, RFC 4226 R6) encode to 32 base32 characters. */
export function generateTotpSecret(bytes: number = TOTP_DEFAULTS.secretBytes): { bytes: Bytes; base32: string } {
  if (!Number.isSafeInteger(bytes) || bytes < 16 || bytes > 1024) throw new OtpArgumentError('TOTP secrets must be 16 to 1024 bytes')
  const secret = randomBytes(bytes)
  return { bytes: secret, base32: base32Encode(secret, { padding: false }) }
}

export interface TotpConfig {
  algorithm?: string
  digits?: number
  period?: number
  window?: number | TotpWindow
  /** Length of generated secrets in bytes. @default 20 */
  secretBytes?: number
  /** Allow a window wider than one step on either side (up to 10). Off by default. */
  allowWideWindow?: boolean
}

export interface ResolvedTotpConfig {
  algorithm: OtpAlgorithm
  digits: number
  period: number
  window: TotpWindow
  secretBytes: number
}

export interface TotpConfigReport {
  /** Unsafe or unsupported values; the configuration must be refused when any are present. */
  errors: string[]
  /** Safe but not interoperable with every authenticator app. */
  warnings: string[]
}

/** Checks a TOTP configuration against the security bar and reports app-compatibility concerns. */
export function validateTotpConfig(config: TotpConfig): TotpConfigReport {
  const errors: string[] = []
  const warnings: string[] = []
  const algorithm = config.algorithm ?? TOTP_DEFAULTS.algorithm
  const digits = config.digits ?? TOTP_DEFAULTS.digits
  const period = config.period ?? TOTP_DEFAULTS.period
  const secretBytes = config.secretBytes ?? TOTP_DEFAULTS.secretBytes
  const rawWindow = config.window ?? TOTP_DEFAULTS.window
  const window = typeof rawWindow === 'number' ? { past: rawWindow, future: rawWindow } : rawWindow

  if (!(OTP_ALGORITHMS as readonly string[]).includes(algorithm)) {
    errors.push('algorithm must be SHA1, SHA256 or SHA512')
  } else if (algorithm !== 'SHA1') {
    warnings.push(`algorithm ${algorithm}: Microsoft Authenticator, Authy and Duo silently use SHA1 and will produce wrong codes`)
  }
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) {
    errors.push('digits must be 6, 7 or 8')
  } else if (digits !== 6) {
    warnings.push(`digits ${digits}: Microsoft Authenticator and some Google Authenticator versions support only 6 digits`)
  }
  if (!Number.isSafeInteger(period) || period < 1 || period > 120) {
    errors.push('period must be a whole number of seconds from 1 to 120')
  } else if (period !== 30) {
    warnings.push(`period ${period}: Google Authenticator and Microsoft Authenticator support only 30 seconds`)
  }
  if (!Number.isSafeInteger(secretBytes) || secretBytes < 16 || secretBytes > 1024) {
    errors.push('secretBytes must be from 16 to 1024 (at least 128 bits)')
  }
  const sides = [window?.past, window?.future]
  if (sides.some((side) => typeof side !== 'number' || !Number.isSafeInteger(side) || side < 0)) {
    errors.push('window must be a non-negative whole number of steps')
  } else if (sides.some((side) => side! > 10)) {
    errors.push('window must not exceed 10 steps on either side')
  } else if (sides.some((side) => side! > 1) && config.allowWideWindow !== true) {
    errors.push('window wider than one step on either side needs allowWideWindow: true')
  }
  return { errors, warnings }
}

export class TotpConfigError extends Error {
  override readonly name = 'TotpConfigError'
  readonly code = 'invalid_totp_config' as const
  constructor(readonly problems: readonly string[]) {
    super(`Invalid TOTP configuration: ${problems.join('; ')}`)
  }
}

/** Validates and fills in defaults. @throws {TotpConfigError} when the configuration is unsafe. */
export function resolveTotpConfig(config: TotpConfig = {}): ResolvedTotpConfig & { warnings: string[] } {
  const { errors, warnings } = validateTotpConfig(config)
  if (errors.length > 0) throw new TotpConfigError(errors)
  const window = config.window ?? TOTP_DEFAULTS.window
  return {
    algorithm: (config.algorithm ?? TOTP_DEFAULTS.algorithm) as OtpAlgorithm,
    digits: config.digits ?? TOTP_DEFAULTS.digits,
    period: config.period ?? TOTP_DEFAULTS.period,
    window: typeof window === 'number' ? { past: window, future: window } : { ...window },
    secretBytes: config.secretBytes ?? TOTP_DEFAULTS.secretBytes,
    warnings,
  }
}

export class OtpauthUriError extends Error {
  override readonly name = 'OtpauthUriError'
  readonly code = 'invalid_otpauth_parameters' as const
}

export interface OtpauthUriOptions {
  /** Service name shown in the authenticator app, e.g. "Acme". */
  issuer: string
  /** Account name shown under the issuer, e.g. an email address. */
  account: string
  /** Raw secret bytes, or a base32 string (re-encoded canonically, without padding). */
  secret: Uint8Array | string
  algorithm?: OtpAlgorithm
  digits?: number
  period?: number
}

/**
 * Neither label part may contain a colon (it separates issuer from account); colons are replaced by
 * spaces, as Keycloak does, and runs of whitespace are collapsed.
 */
function labelPart(value: string, what: string): string {
  if (typeof value !== 'string') throw new OtpauthUriError(`${what} must be a string`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to find control characters
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new OtpauthUriError(`${what} must not contain control characters`)
  const cleaned = value
    .replace(/[:\uff1a]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (cleaned.length === 0) throw new OtpauthUriError(`${what} must not be empty`)
  if (cleaned.length > 256) throw new OtpauthUriError(`${what} must be at most 256 characters`)
  return cleaned
}

/**
 * `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`
 * (Google's Key URI format). Every component is percent-encoded with `encodeURIComponent`, so a
 * space is `%20` (never `+`), and `&`, `#`, `?`, `/` and non-ASCII text cannot break the URI.
 */
export function buildOtpauthUri(options: OtpauthUriOptions): string {
  const issuer = labelPart(options.issuer, 'issuer')
  const account = labelPart(options.account, 'account')
  const algorithm = options.algorithm ?? TOTP_DEFAULTS.algorithm
  const digits = options.digits ?? TOTP_DEFAULTS.digits
  const period = options.period ?? TOTP_DEFAULTS.period
  checkAlgorithm(algorithm)
  checkDigits(digits)
  checkPeriod(period)
  let secretBytes: Uint8Array
  if (typeof options.secret === 'string') {
    try {
      secretBytes = base32Decode(options.secret)
    } catch {
      throw new OtpauthUriError('secret is not valid base32')
    }
  } else {
    secretBytes = options.secret
  }
  if (secretBytes.length === 0) throw new OtpauthUriError('secret must not be empty')
  const e = encodeURIComponent
  return (
    `otpauth://totp/${e(issuer)}:${e(account)}` +
    `?secret=${base32Encode(secretBytes, { padding: false })}` +
    `&issuer=${e(issuer)}&algorithm=${algorithm}&digits=${digits}&period=${period}`
  )
}
