import type { AuthingCodeValue } from './codes'

/** The REST envelope (`code === 200` is success). */
export interface Envelope<T> {
  code: number
  message: string
  data: T
  /** Only on `POST /api/v2/mfa/totp/recovery`: the newly issued recovery code. */
  recoveryCode?: string
  /** Guard's envelope (see {@link GuardFlowEndEnvelope}). */
  statusCode?: number
  apiCode?: number
}

export interface SuccessEnvelope<T> extends Envelope<T> {
  code: 200
}

/** Guard's flow-end reply to a successful MFA verification: `statusCode` 3xx and `apiCode` 1600. */
export interface GuardFlowEndEnvelope {
  code: 200
  statusCode: 302
  apiCode: 1600
  message: string
  data: { user: User }
}

export interface ErrorEnvelope<D = unknown> extends Envelope<D> {
  code: Exclude<AuthingCodeValue, 200> | number
}

/** GraphQL error as Authing sends it: `message` is an object, not a string. */
export interface GraphqlError<D = unknown> {
  message: { code: number; message: string; data?: D }
  locations?: unknown[]
  path?: string[]
  extensions?: Record<string, unknown>
}

export interface GraphqlResponse<T> {
  data?: T | null
  errors?: GraphqlError[]
}

/** `SELF`: a signed-in user manages their own factor. `APPLICATION`: binding during login with an mfaToken. */
export type TotpSource = 'SELF' | 'APPLICATION'

/** Application MFA factors as named in the 1636 trigger. */
export type MfaPolicy = 'SMS' | 'EMAIL' | 'OTP' | 'FACE' | 'PASSKEY'

export interface ApplicationMfaItem {
  mfaPolicy: MfaPolicy
  /** 1 = enabled. */
  status: 0 | 1
  sort: number
}

/** The user, as returned by logins and MFA verification. */
export interface User {
  id: string
  arn?: string | null
  userPoolId?: string
  status?: 'Suspended' | 'Resigned' | 'Activated' | 'Archived' | null
  username?: string | null
  email?: string | null
  emailVerified?: boolean | null
  phone?: string | null
  phoneVerified?: boolean | null
  phoneCountryCode?: string | null
  nickname?: string | null
  photo?: string | null
  name?: string | null
  /** The access token. Present on login and MFA success; persist it yourself if you need it. */
  token?: string | null
  tokenExpiredAt?: string | null
  loginsCount?: number | null
  lastLogin?: string | null
  signedUp?: string | null
  createdAt?: string | null
  updatedAt?: string | null
  [extra: string]: unknown
}

/** One entry of `GET /api/v2/mfa/authenticator`. The secret is never returned after binding. */
export interface MfaAuthenticator {
  id: string
  createdAt: string
  updatedAt: string
  userId: string
  enable: boolean
  /** Always empty: the reference server never reveals a bound secret. */
  secret: string
  authenticatorType: string
  /** Always empty: recovery codes are shown once. */
  recoveryCode: string
  /**
   * Kit extension, only in `type=all` listings: the masked phone or email of an `sms` or `email`
   * authenticator.
   */
  destination?: string
}

/**
 * Reply of `POST /api/v2/mfa/totp/associate`. The field names are snake_case on the wire, as in
 * authing-js-sdk's `IMfaAssociation`.
 */
export interface MfaAssociation {
  /** Always `'totp'`. */
  authenticator_type: string
  /** Base32 TOTP secret (no padding). Show it grouped for manual entry; never store it. */
  secret: string
  /** `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`, for the QR code. */
  qrcode_uri: string
  /** A PNG data URL of the QR code, or an empty string when the server leaves rendering to the client. */
  qrcode_data_url: string
  /** The recovery code, shown once after confirmation. */
  recovery_code: string
}

/** Fields shared by the 1635 and 1636 triggers. */
export interface MfaTriggerBase {
  mfaToken: string
  nickname?: string | null
  username?: string | null
  email?: string | null
  phone?: string | null
  phoneCountryCode?: string | null
  avatar?: string | null
}

/** `data` of code 1636: application-level MFA. */
export interface ApplicationMfaTriggerData extends MfaTriggerBase {
  /** Where SMS codes go; null means the user must bind a phone first. */
  mfaPhone: string | null
  mfaPhoneCountryCode?: string | null
  /** Where email codes go; null means the user must bind an email first. */
  mfaEmail: string | null
  /** A face is enrolled, so the UI verifies instead of binding. */
  faceMfaEnabled: boolean
  /** TOTP is bound, so the UI verifies instead of binding. */
  totpMfaEnabled: boolean
  applicationMfa: ApplicationMfaItem[]
  /** The preferred factor. */
  current?: MfaPolicy
  passkeyEnabled?: boolean
}

/** `data` of code 1635: the user's own TOTP. */
export type TotpMfaTriggerData = MfaTriggerBase

export type MfaTriggerData = ApplicationMfaTriggerData | TotpMfaTriggerData

// ---- request bodies -------------------------------------------------------------------------

export interface AuthenticatorsQuery {
  type?: 'totp'
  /** The name Authing's docs use for `type`. */
  authenticator_type?: 'totp'
  source?: TotpSource
}

export interface TotpAssociateBody {
  authenticator_type?: 'totp'
  source?: TotpSource
}

export interface TotpConfirmBody {
  authenticator_type?: 'totp'
  totp: string
  source?: TotpSource
}

export interface TotpVerifyBody {
  totp: string
}

export interface TotpRecoveryBody {
  recoveryCode: string
}

/** The new recovery code travels at the top level, next to `data`. */
export interface TotpRecoveryEnvelope extends SuccessEnvelope<User> {
  recoveryCode: string
}

export interface SmsVerifyBody {
  phone: string
  code: string
  phoneCountryCode?: string
}

export interface EmailVerifyBody {
  email: string
  code: string
}

export interface BindableCheckBody {
  phone?: string
  /** The calling code of `phone` (`+65`), unless the phone carries its own. */
  phoneCountryCode?: string
  email?: string
}

export interface FaceAssociateBody {
  photoA: string
  photoB: string
  isExternal?: boolean
  isExternalPhoto?: boolean
}

export interface FaceVerifyBody {
  photo: string
}

export interface UploadResult {
  key: string
  url: string
}

/** SMS scenes of `POST /api/v2/sms/send`. */
export type SmsScene = 'login' | 'register' | 'reset' | 'bind' | 'unbind' | 'mfa-bind' | 'mfa-verify' | 'mfa-unbind' | 'complete-phone'

export interface SmsSendBody {
  phone: string
  phoneCountryCode?: string
  scene?: SmsScene
}

/** Email scenes of `POST /api/v2/email/send` and GraphQL `sendEmail`. */
export type EmailScene =
  | 'MFA_VERIFY'
  | 'MFA_VERIFY_CODE'
  | 'VERIFY_CODE'
  | 'LOGIN_VERIFY_CODE'
  | 'REGISTER_VERIFY_CODE'
  | 'RESET_PASSWORD'
  | 'VERIFY_EMAIL'
  | 'CHANGE_EMAIL'

export interface EmailSendBody {
  email: string
  scene: EmailScene
}

/** `data` of `GET /api/v2/.well-known`. */
export interface WellKnown {
  /** PEM (SPKI) RSA public key for PKCS#1 v1.5 password encryption. */
  publicKey: string
}

/** `data` of a successful send. */
export interface SendResult {
  /** Milliseconds before the same destination can be sent another code. */
  resendAfterMs: number
  /** Milliseconds the code stays valid. */
  expiresInMs: number
}

// ---- kit extensions: session, re-verification, recovery-code regeneration, SELF binding ------

/** A factor a signed-in user can re-verify with. `destination` is masked. */
export type ReverificationFactor =
  | { type: 'totp' }
  | { type: 'sms'; destination: string }
  | { type: 'email'; destination: string }
  /** Only offered when the account has no second factor at all. */
  | { type: 'password' }

/** `data` of `GET /api/v2/mfa/reverification`. */
export interface ReverificationOptions {
  factors: ReverificationFactor[]
  /** When the session last proved a factor (ISO 8601). */
  authenticatedAt: string
  /** How long a proof counts as recent, in milliseconds. */
  recentAuthMs: number
}

/** Body of `POST /api/v2/mfa/reverification/send`. */
export interface ReverificationSendBody {
  channel: 'sms' | 'email'
}

/** Body of `POST /api/v2/mfa/reverification`. `password` is RSA-encrypted like a login's. */
export type ReverifyBody =
  | { type: 'totp'; code: string }
  | { type: 'sms'; code: string }
  | { type: 'email'; code: string }
  | { type: 'password'; password: string }

/** `data` of a successful re-verification. */
export interface ReverificationResult {
  /** The session's new time of last authentication (ISO 8601). */
  authenticatedAt: string
  /** Until when changes that need a recent sign-in are allowed (ISO 8601). */
  recentUntil: string
}

/** `data` of `POST /api/v2/mfa/totp/recovery/regenerate`. Shown once; the old code stops working. */
export interface RecoveryCodeRegenerated {
  recoveryCode: string
}

/** Body of `POST /api/v2/mfa/sms/associate`: a code sent to `phone` with scene `mfa-bind`. */
export interface SmsAssociateBody {
  phone: string
  phoneCountryCode?: string
  code: string
  /** Also make this phone a login identifier (sign-in with a phone and password or code). @default false */
  useForLogin?: boolean
}

/** Body of `POST /api/v2/mfa/email/associate`: a code sent to `email` with scene `MFA_VERIFY`. */
export interface EmailAssociateBody {
  email: string
  code: string
}

// ---- GraphQL ---------------------------------------------------------------------------------

export const graphqlOperations = [
  'registerByEmail',
  'registerByUsername',
  'loginByEmail',
  'loginByUsername',
  'loginByPhonePassword',
  'loginByPhoneCode',
  'registerByPhoneCode',
  'sendEmail',
  'user',
] as const

export type GraphqlOperation = (typeof graphqlOperations)[number]

export interface LoginByEmailInput {
  email: string
  /** RSA-encrypted (PKCS#1 v1.5, base64) unless the server allows plain passwords. */
  password: string
  autoRegister?: boolean
  captchaCode?: string
  clientIp?: string
}

export interface LoginByUsernameInput {
  username: string
  password: string
  autoRegister?: boolean
  captchaCode?: string
  clientIp?: string
}

export interface LoginByPhonePasswordInput {
  phone: string
  password: string
  phoneCountryCode?: string
  captchaCode?: string
  clientIp?: string
}

export interface LoginByPhoneCodeInput {
  phone: string
  code: string
  phoneCountryCode?: string
  clientIp?: string
}

export interface RegisterByEmailInput {
  email: string
  password: string
  profile?: { nickname?: string; username?: string; phone?: string }
  forceLogin?: boolean
  clientIp?: string
}

export interface RegisterByUsernameInput {
  username: string
  password: string
  profile?: { nickname?: string; email?: string; phone?: string }
  forceLogin?: boolean
  clientIp?: string
}

export interface RegisterByPhoneCodeInput {
  phone: string
  /** A code sent to `phone` with scene `register`. */
  code: string
  phoneCountryCode?: string
  /** RSA-encrypted like a login's; optional (the account then signs in with phone codes only). */
  password?: string
  profile?: { nickname?: string }
  forceLogin?: boolean
  clientIp?: string
}

// ---- reference server dev outbox -------------------------------------------------------------

export interface OutboxMessage {
  channel: 'sms' | 'email'
  to: string
  /** The one-time code, or null for a notice (a factor changed, a recovery code was replaced). */
  code: string | null
  text: string
  /** ISO 8601. */
  sentAt: string
}
