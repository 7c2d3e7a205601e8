import type { Clock } from './clock'
import type { RsaPrivateJwk, SyncCrypto, TotpConfig } from './crypto'
import { PASSWORD_DEFAULT_ITERATIONS, resolveTotpConfig, type ResolvedTotpConfig } from './crypto'
import type { MessageSender } from './delivery/types'
import type { FaceMatcher } from './face/matcher'
import { canonicalPhotoOrigin, type PhotoFetcher } from './face/photo-url'
import type { Logger } from './logger'
import type { MfaStore } from './store/types'

/** Application MFA factors (the 1636 policy), in the order they are offered. */
export type ApplicationFactor = 'OTP' | 'SMS' | 'EMAIL' | 'FACE'

export const APPLICATION_FACTORS: readonly ApplicationFactor[] = ['OTP', 'SMS', 'EMAIL', 'FACE']

/** Throttles, lockouts and lifetimes. Every field has a safe default. */
export interface MfaLimits {
  /** Consecutive failures per account and factor before it locks. @default 5 */
  failureThreshold?: number
  /** First lock delay; it doubles with each further lockout. @default 30000 (30 s) */
  lockBaseMs?: number
  /** Longest lock delay. @default 3600000 (1 h) */
  lockMaxMs?: number
  /** Consecutive wrong passwords per account before it locks. @default 10 */
  passwordFailureThreshold?: number
  /** Lifetime of an mfaToken; at most 10 minutes. @default 600000 */
  mfaTokenTtlMs?: number
  /** Verification attempts one mfaToken may make before it is dead. @default 5 */
  mfaTokenMaxAttempts?: number
  /** Lifetime of an access token. @default 43200000 (12 h) */
  accessTokenTtlMs?: number
  /** How recent a sign-in must be to unbind a factor. @default 300000 (5 min) */
  recentAuthMs?: number
  /** Lifetime of a TOTP binding waiting for its first code; at most 10 minutes. @default 600000 */
  pendingBindingTtlMs?: number
  /** Lifetime of an SMS or email code; at most 10 minutes. @default 300000 (5 min) */
  oobCodeTtlMs?: number
  /** Digits of an SMS or email code, 6 to 10. @default 6 */
  oobCodeDigits?: number
  /** Minimum time between two codes to one destination. @default 60000 */
  sendCooldownMs?: number
  /** Codes per destination per hour. @default 10 */
  sendsPerDestinationPerHour?: number
  /** Codes per account per hour. @default 10 */
  sendsPerUserPerHour?: number
  /** Codes asked for by one client address per hour (SMS pumping). @default 20 */
  sendsPerClientPerHour?: number
  /** Codes sent by the whole server per hour, a ceiling on what a pumping attack can cost. @default 1000 */
  sendsPerHour?: number
  /** Registration attempts per client address per hour. @default 10 */
  registrationsPerClientPerHour?: number
  /** Registration attempts on the whole server per hour. @default 1000 */
  registrationsPerHour?: number
  /** Bindability checks per mfaToken. @default 5 */
  checksPerMfaToken?: number
  /** Bindability checks per account per hour. @default 20 */
  checksPerUserPerHour?: number
  /** Bindability checks per client address per hour, across accounts. @default 60 */
  checksPerClientPerHour?: number
  /**
   * Consecutive failed face verifications allowed before each further try must wait (at least
   * `lockBaseMs`, doubling each time). NIST SP 800-63B-4 §3.2.3 allows 5 without presentation
   * attack detection, which this server does not have. @default 5
   */
  faceFailureThreshold?: number
  /** Consecutive failed face verifications after which face is turned off until it is bound again. @default 50 */
  faceFailureLimit?: number
  /** Face bindings an account may attempt per hour (each analyses two photos). @default 10 */
  faceBindingsPerUserPerHour?: number
  /** Largest photo upload, in bytes; external photos are capped the same. @default 5242880 (5 MiB) */
  uploadMaxBytes?: number
  /** How long an uploaded photo waits to be used before it is wiped. @default 300000 (5 min) */
  uploadTtlMs?: number
  /** Photo uploads per client address per hour. @default 120 */
  uploadsPerClientPerHour?: number
  /** Photo uploads to the whole server per hour. @default 10000 */
  uploadsPerHour?: number
  /** Bytes of uploaded photos held in memory at once, waiting to be used. @default 67108864 (64 MiB) */
  uploadPendingMaxBytes?: number
  /** Largest width or height of a photo, declared in its header or decoded. @default 4096 */
  photoMaxDimension?: number
  /** Time allowed for fetching an external photo, from name resolution to the last byte. @default 5000 */
  photoFetchTimeoutMs?: number
}

/** Face verification (see the server README, "Face"). */
export interface FaceOptions {
  /**
   * Finds and describes faces. Without one the face endpoints answer 6005, and the FACE policy is
   * refused. `startServer` supplies `createNodeFaceMatcher()`. @default none
   */
  matcher?: FaceMatcher
  /**
   * Largest distance between two face descriptors that counts as the same person. 0.5 accepted no
   * impostor pair on the measured sets; 0.55 rejects fewer genuine pairs and accepted 0.23 % of
   * impostors; 0.6 (face-api's usual figure) accepted 3 %. @default 0.5
   */
  threshold?: number
  /**
   * Fetches external photos (`isExternal`). Without one, only uploaded photos are used. `startServer`
   * supplies `createNodePhotoFetcher()`; pass null to refuse external photos. @default none
   */
  fetcher?: PhotoFetcher | null
  /**
   * Origins of the deployment's own image hosts (`https://img.example.com`, `http://10.0.0.7:8080`),
   * which may be fetched on another port and from a private address. @default none
   */
  photoOrigins?: readonly string[]
  /** Fetch external photos from `photoOrigins` only. @default false */
  photoOriginsOnly?: boolean
  /** Allow external photos on loopback addresses: tests and local development only. @default false */
  allowLoopbackPhotos?: boolean
}

export interface MfaServerOptions {
  /** Where accounts, factors, tokens and counters live. @default a new memory store */
  store?: MfaStore
  /** @default the system clock */
  clock?: Clock
  /** Application MFA policy: when non-empty, every password login must pass one of these. @default [] */
  factors?: readonly ApplicationFactor[]
  /** Issuer shown in authenticator apps. @default 'mfa-kit' */
  issuer?: string
  /** TOTP parameters. The defaults (SHA1, 6 digits, 30 s, ±1 step) work with every authenticator app. */
  totp?: TotpConfig
  /** Delivery of SMS and email codes. */
  senders?: { sms?: MessageSender; email?: MessageSender }
  /**
   * 32-byte key (raw bytes or base64) that seals TOTP secrets and peppers code hashes. Keep it
   * outside the database. @default a random key per process, usable only with a memory store
   */
  encryptionKey?: Uint8Array | string
  /** Structured logger; it never receives secrets, codes or tokens. @default silent */
  logger?: Logger
  /** Enables the dev outbox (`GET /api/dev/outbox`), which shows every code sent. Never in production. */
  dev?: boolean
  /** PBKDF2 iterations for new password hashes. Lower it only in tests. @default 600000 */
  passwordIterations?: number
  /** Accept passwords that are not RSA-encrypted (test clients). @default false */
  allowPlainPasswords?: boolean
  /** Shortest accepted password when registering. @default 8 */
  minPasswordLength?: number
  /** RSA private key (JWK) for password decryption. @default generated on first use */
  rsaPrivateKey?: RsaPrivateJwk
  limits?: MfaLimits
  /**
   * Let several accounts use the same phone or email as an MFA destination. The bindability check
   * then answers true for every well-formed value, so it reveals nothing. @default false
   */
  sharedDevicesAllowed?: boolean
  /**
   * Who may bind a new factor with only an mfaToken (during sign-in): `first-factor` allows it only
   * while the account has no verified factor; `any` always allows it. @default 'first-factor'
   */
  enrollmentDuringLogin?: 'first-factor' | 'any'
  /**
   * Host of the web app for the origin-bound last line of SMS texts (`@host #code`), which lets
   * browsers autofill the code on that site only. Without it the line is left out: it is never
   * taken from a request, which a phishing site could forge. @default none
   */
  smsOriginHost?: string
  /**
   * Web origins (`https://app.example.com`) whose pages may call the server from a browser (CORS).
   * Other origins get no CORS headers. @default none; with `dev`, the playground and Storybook on
   * localhost (`http://localhost:5173`, `http://127.0.0.1:5173`, `:6006`)
   */
  allowedOrigins?: readonly string[]
  /**
   * Country calling code for phone numbers sent without one (`13800138000`). Every phone number is
   * kept in E.164 form (`+8613800138000`). @default '+86'
   */
  defaultPhoneCountryCode?: string
  /** `userPoolId` reported on users. @default 'mfa-kit' */
  userPoolId?: string
  /**
   * Synchronous primitives to use instead of Web Crypto's asynchronous ones: `hmac` for token and
   * code hashes and TOTP codes, `aesGcmDecrypt` for opening sealed TOTP seeds. The results are the
   * same; they are only faster. `startServer` passes Node's (`nodeCrypto`). Each is checked against
   * published test vectors when the server is created. @default Web Crypto only
   */
  crypto?: SyncCrypto
  /** Face verification: the matcher, the match threshold and external photo fetching. */
  face?: FaceOptions
}

export interface ResolvedLimits {
  failureThreshold: number
  lockBaseMs: number
  lockMaxMs: number
  passwordFailureThreshold: number
  mfaTokenTtlMs: number
  mfaTokenMaxAttempts: number
  accessTokenTtlMs: number
  recentAuthMs: number
  pendingBindingTtlMs: number
  oobCodeTtlMs: number
  oobCodeDigits: number
  sendCooldownMs: number
  sendsPerDestinationPerHour: number
  sendsPerUserPerHour: number
  sendsPerClientPerHour: number
  sendsPerHour: number
  registrationsPerClientPerHour: number
  registrationsPerHour: number
  checksPerMfaToken: number
  checksPerUserPerHour: number
  checksPerClientPerHour: number
  faceFailureThreshold: number
  faceFailureLimit: number
  faceBindingsPerUserPerHour: number
  uploadMaxBytes: number
  uploadTtlMs: number
  uploadsPerClientPerHour: number
  uploadsPerHour: number
  uploadPendingMaxBytes: number
  photoMaxDimension: number
  photoFetchTimeoutMs: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const MIB = 1024 * 1024

export const DEFAULT_LIMITS: Readonly<ResolvedLimits> = Object.freeze({
  failureThreshold: 5,
  lockBaseMs: 30_000,
  lockMaxMs: HOUR,
  passwordFailureThreshold: 10,
  mfaTokenTtlMs: 10 * MINUTE,
  mfaTokenMaxAttempts: 5,
  accessTokenTtlMs: 12 * HOUR,
  recentAuthMs: 5 * MINUTE,
  pendingBindingTtlMs: 10 * MINUTE,
  oobCodeTtlMs: 5 * MINUTE,
  oobCodeDigits: 6,
  sendCooldownMs: MINUTE,
  sendsPerDestinationPerHour: 10,
  sendsPerUserPerHour: 10,
  sendsPerClientPerHour: 20,
  sendsPerHour: 1000,
  registrationsPerClientPerHour: 10,
  registrationsPerHour: 1000,
  checksPerMfaToken: 5,
  checksPerUserPerHour: 20,
  checksPerClientPerHour: 60,
  faceFailureThreshold: 5,
  faceFailureLimit: 50,
  faceBindingsPerUserPerHour: 10,
  uploadMaxBytes: 5 * MIB,
  uploadTtlMs: 5 * MINUTE,
  uploadsPerClientPerHour: 120,
  uploadsPerHour: 10_000,
  uploadPendingMaxBytes: 64 * MIB,
  photoMaxDimension: 4096,
  photoFetchTimeoutMs: 5000,
})

/** Bounds of each limit: [min, max]. Values outside are refused at start-up. */
const LIMIT_BOUNDS: Record<keyof ResolvedLimits, [number, number]> = {
  failureThreshold: [1, 100],
  lockBaseMs: [1000, 24 * HOUR],
  lockMaxMs: [1000, 7 * 24 * HOUR],
  passwordFailureThreshold: [1, 100],
  mfaTokenTtlMs: [10_000, 10 * MINUTE],
  mfaTokenMaxAttempts: [1, 20],
  accessTokenTtlMs: [MINUTE, 30 * 24 * HOUR],
  recentAuthMs: [10_000, HOUR],
  pendingBindingTtlMs: [MINUTE, 10 * MINUTE],
  oobCodeTtlMs: [10_000, 10 * MINUTE],
  oobCodeDigits: [6, 10],
  sendCooldownMs: [0, HOUR],
  sendsPerDestinationPerHour: [1, 1000],
  sendsPerUserPerHour: [1, 1000],
  sendsPerClientPerHour: [1, 100_000],
  sendsPerHour: [1, 10_000_000],
  registrationsPerClientPerHour: [1, 100_000],
  registrationsPerHour: [1, 10_000_000],
  checksPerMfaToken: [1, 100],
  checksPerUserPerHour: [1, 1000],
  checksPerClientPerHour: [1, 100_000],
  faceFailureThreshold: [1, 10],
  faceFailureLimit: [1, 100],
  faceBindingsPerUserPerHour: [1, 1000],
  uploadMaxBytes: [64 * 1024, 20 * MIB],
  uploadTtlMs: [10_000, 10 * MINUTE],
  uploadsPerClientPerHour: [1, 100_000],
  uploadsPerHour: [1, 10_000_000],
  uploadPendingMaxBytes: [MIB, 1024 * MIB],
  photoMaxDimension: [256, 8192],
  photoFetchTimeoutMs: [500, 30_000],
}

/** The options are unsafe or inconsistent; `problems` lists each one. */
export class MfaConfigError extends Error {
  override readonly name = 'MfaConfigError'
  constructor(readonly problems: readonly string[]) {
    super(`Invalid MFA server configuration: ${problems.join('; ')}`)
  }
}

export interface ResolvedConfig {
  factors: ApplicationFactor[]
  issuer: string
  totp: ResolvedTotpConfig
  limits: ResolvedLimits
  dev: boolean
  passwordIterations: number
  allowPlainPasswords: boolean
  minPasswordLength: number
  sharedDevicesAllowed: boolean
  enrollmentDuringLogin: 'first-factor' | 'any'
  smsOriginHost: string | null
  /** Exact origins allowed by CORS. */
  allowedOrigins: readonly string[]
  /** Without the `+`, e.g. `86`. */
  defaultCallingCode: string
  userPoolId: string
  face: ResolvedFaceConfig
  warnings: string[]
}

interface ResolvedFaceConfig {
  threshold: number
  photoOrigins: readonly string[]
  photoOriginsOnly: boolean
  allowLoopbackPhotos: boolean
}

/** The factors that prove possession of something (an app, a phone, a mailbox); face needs one beside it. */
const POSSESSION_FACTORS: readonly ApplicationFactor[] = ['OTP', 'SMS', 'EMAIL']

function resolveFaceConfig(options: FaceOptions, factors: readonly ApplicationFactor[], problems: string[]): ResolvedFaceConfig {
  const threshold = options.threshold ?? 0.5
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0 || threshold > 2) {
    problems.push('face.threshold must be a number above 0 and at most 2')
  }
  const photoOrigins: string[] = []
  for (const origin of options.photoOrigins ?? []) {
    const canonical = canonicalPhotoOrigin(origin)
    if (canonical === null)
      problems.push(`face.photoOrigins: ${JSON.stringify(origin)} is not an http(s) origin like https://img.example.com`)
    else if (!photoOrigins.includes(canonical)) photoOrigins.push(canonical)
  }
  if (options.photoOriginsOnly === true && photoOrigins.length === 0) problems.push('face.photoOriginsOnly needs face.photoOrigins')
  if (factors.includes('FACE')) {
    if (!options.matcher) problems.push('factors include FACE but no face.matcher is configured (startServer supplies one)')
    // FACE-03: a face proves only that someone holds a photo; it never stands alone.
    if (!factors.some((factor) => POSSESSION_FACTORS.includes(factor))) {
      problems.push('FACE cannot be the only factor of the policy: add OTP, SMS or EMAIL, which face verification needs beside it')
    }
  }
  return {
    threshold,
    photoOrigins,
    photoOriginsOnly: options.photoOriginsOnly === true,
    allowLoopbackPhotos: options.allowLoopbackPhotos === true,
  }
}

/** The origins `dev` allows when none are configured: the playground (Vite) and Storybook on this machine. */
const DEV_ORIGINS: readonly string[] = ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:6006', 'http://127.0.0.1:6006']

/** `scheme://host[:port]` of an http(s) origin, as browsers send it in `Origin`; null for anything else. */
function canonicalOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/$/, '').toLowerCase()) return null
    return url.origin
  } catch {
    return null
  }
}

/** Validates the options (REL-05 guardrails) and fills in defaults. @throws {MfaConfigError} */
export function resolveConfig(options: MfaServerOptions): ResolvedConfig {
  const problems: string[] = []
  const warnings: string[] = []

  const factors: ApplicationFactor[] = []
  const rawFactors: unknown = options.factors ?? []
  if (!Array.isArray(rawFactors)) {
    problems.push('factors must be an array')
  } else {
    for (const factor of rawFactors) {
      if (!APPLICATION_FACTORS.includes(factor as ApplicationFactor)) problems.push(`unknown factor ${JSON.stringify(factor)}`)
      else if (!factors.includes(factor as ApplicationFactor)) factors.push(factor as ApplicationFactor)
    }
  }

  const limits = { ...DEFAULT_LIMITS }
  for (const [name, value] of Object.entries(options.limits ?? {})) {
    if (value === undefined) continue
    if (!(name in LIMIT_BOUNDS)) {
      problems.push(`unknown limit ${name}`)
      continue
    }
    const key = name as keyof ResolvedLimits
    const [min, max] = LIMIT_BOUNDS[key]
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`limits.${name} must be a whole number from ${min} to ${max}`)
      continue
    }
    limits[key] = value
  }
  if (limits.lockMaxMs < limits.lockBaseMs) problems.push('limits.lockMaxMs must not be below limits.lockBaseMs')
  if (limits.faceFailureLimit < limits.faceFailureThreshold)
    problems.push('limits.faceFailureLimit must not be below limits.faceFailureThreshold')
  if (limits.uploadPendingMaxBytes < limits.uploadMaxBytes)
    problems.push('limits.uploadPendingMaxBytes must not be below limits.uploadMaxBytes')

  let totp: ResolvedTotpConfig = {
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    window: { past: 1, future: 1 },
    secretBytes: 20,
  }
  try {
    const resolved = resolveTotpConfig(options.totp ?? {})
    warnings.push(...resolved.warnings)
    const { warnings: _ignored, ...rest } = resolved
    totp = rest
  } catch (error) {
    problems.push(error instanceof Error ? error.message : 'invalid TOTP configuration')
  }

  const passwordIterations = options.passwordIterations ?? PASSWORD_DEFAULT_ITERATIONS
  if (!Number.isSafeInteger(passwordIterations) || passwordIterations < 1 || passwordIterations > 10_000_000) {
    problems.push('passwordIterations must be a whole number from 1 to 10000000')
  } else if (passwordIterations < PASSWORD_DEFAULT_ITERATIONS) {
    warnings.push(
      `passwordIterations ${passwordIterations} is below the OWASP figure of ${PASSWORD_DEFAULT_ITERATIONS}; use it only in tests`,
    )
  }

  const minPasswordLength = options.minPasswordLength ?? 8
  if (!Number.isSafeInteger(minPasswordLength) || minPasswordLength < 1 || minPasswordLength > 128) {
    problems.push('minPasswordLength must be a whole number from 1 to 128')
  }

  const issuer = options.issuer ?? 'mfa-kit'
  if (typeof issuer !== 'string' || issuer.trim() === '' || issuer.length > 128 || issuer.includes(':')) {
    problems.push('issuer must be 1 to 128 characters without ":"')
  }

  const enrollment = options.enrollmentDuringLogin ?? 'first-factor'
  if (enrollment !== 'first-factor' && enrollment !== 'any') problems.push("enrollmentDuringLogin must be 'first-factor' or 'any'")

  if (options.smsOriginHost !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(options.smsOriginHost)) {
    problems.push('smsOriginHost must be a host name, optionally with a port')
  }

  const dev = options.dev === true
  const allowedOrigins: string[] = []
  for (const origin of options.allowedOrigins ?? (dev ? DEV_ORIGINS : [])) {
    const canonical = canonicalOrigin(origin)
    if (canonical === null) problems.push(`allowedOrigins: ${JSON.stringify(origin)} is not an http(s) origin like https://app.example.com`)
    else if (!allowedOrigins.includes(canonical)) allowedOrigins.push(canonical)
  }

  const defaultCountryCode = options.defaultPhoneCountryCode ?? '+86'
  if (typeof defaultCountryCode !== 'string' || !/^\+?[1-9][0-9]{0,3}$/.test(defaultCountryCode.trim())) {
    problems.push('defaultPhoneCountryCode must look like +86')
  }

  const face = resolveFaceConfig(options.face ?? {}, factors, problems)

  if (problems.length > 0) throw new MfaConfigError(problems)
  return {
    factors,
    issuer: issuer.trim(),
    totp,
    limits,
    dev,
    passwordIterations,
    allowPlainPasswords: options.allowPlainPasswords === true,
    minPasswordLength,
    sharedDevicesAllowed: options.sharedDevicesAllowed === true,
    enrollmentDuringLogin: enrollment,
    smsOriginHost: options.smsOriginHost ?? null,
    allowedOrigins,
    defaultCallingCode: defaultCountryCode.trim().replace(/^\+/, ''),
    userPoolId: options.userPoolId ?? 'mfa-kit',
    face,
    warnings,
  }
}

/**
 * Chance that an attacker guesses a TOTP within one lockout round (RFC 4226 §6 bound
 * s·v / 10^digits): accepted steps per guess times guesses per round over the code space.
 */
export function totpGuessBound(config: Pick<ResolvedConfig, 'totp' | 'limits'>): number {
  const steps = config.totp.window.past + config.totp.window.future + 1
  return (steps * config.limits.failureThreshold) / 10 ** config.totp.digits
}
