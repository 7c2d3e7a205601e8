import type {
  AuthingCode,
  ApplicationMfaItem,
  EmailScene,
  MfaAssociation,
  MfaAuthenticator,
  MfaPolicy,
  RecoveryCodeRegenerated,
  ReverificationOptions,
  ReverificationResult,
  ReverifyBody,
  SendResult,
  SmsScene,
  TotpSource,
  User,
} from '@mfa-kit/protocol'

/** Per-call controls accepted by every method. */
export interface CallOptions {
  /** Cancels the call. The promise then rejects with an `aborted` {@link MfaError}. */
  signal?: AbortSignal
  /**
   * Overrides the client's `timeoutMs` for this call. It covers the whole call, retries
   * included. `0` disables the timeout.
   */
  timeoutMs?: number
}

/** Any function that answers a `Request`: the global `fetch`, or the reference server's `fetch`. */
export type FetchFunction = (request: Request) => Promise<Response>

/** Languages Authing understands in `x-authing-lang`. */
export type MfaLang = 'zh-CN' | 'en-US' | 'zh-TW' | 'ja-JP'

/** Called with the new access token, or `null` when it is cleared. */
export type TokenListener = (token: string | null) => void

export interface MfaClientOptions {
  /** Sent as `x-authing-app-id`. */
  appId: string
  /** Base URL of the Authing app or of a reference server, for example `https://example.authing.cn`. */
  appHost: string
  /** Sent as `x-authing-userpool-id`. */
  userPoolId?: string
  /** Sent as `x-authing-app-tenant-id`. */
  tenantId?: string
  /** Sent as `x-authing-lang`. Defaults to `zh-CN`, as authing-js-sdk does. */
  lang?: MfaLang
  /** Defaults to the global `fetch`. Pass the reference server's `fetch` to run in-process. */
  fetch?: FetchFunction
  /** Timeout of each call in milliseconds, retries included. Defaults to 30000; `0` disables it. */
  timeoutMs?: number
  /**
   * How often an idempotent read (a `GET`) is retried after a network failure or a 5xx reply,
   * with capped exponential backoff. Defaults to 2. Writes are never retried.
   */
  retries?: number
  /** Extra headers for every request. They override the defaults of the same name. */
  headers?: Record<string, string>
  /** An access token to start with, for example one the app persisted itself. */
  token?: string | null
  /** The PEM public key for password encryption. Without it the client fetches `/api/v2/.well-known` once. */
  publicKey?: string
  /** Called whenever the access token changes. The client itself never persists it. */
  onTokenChange?: TokenListener
  /**
   * The shortest password registration accepts, in characters. Checked here, before the password
   * is encrypted, because the server answers every password problem with one uniform error.
   * @default 8
   */
  minPasswordLength?: number
}

// ---- client.mfa ------------------------------------------------------------------------------

/** Options of the methods that can act for a signed-in user (`SELF`) or during login (`APPLICATION`). */
export interface TotpSourceOptions extends CallOptions {
  /**
   * The mfaToken of the login in progress. When left out and `source` is `APPLICATION`, the client
   * uses the mfaToken of its last login that answered `mfa_required`; otherwise it sends the access token.
   */
  mfaToken?: string
  /** `SELF` (the default on the server): the signed-in user; `APPLICATION`: during login. */
  source?: TotpSource
}

export interface GetMfaAuthenticatorsOptions extends TotpSourceOptions {
  /**
   * `'totp'` lists TOTP authenticators (what Authing knows). `'all'`, a reference-server
   * extension, also lists the bound phone and email, as entries with `authenticatorType` and `id`
   * `'sms'` or `'email'` and a masked `destination`.
   */
  type?: 'totp' | 'all' | (string & {})
}

export interface AssociateMfaAuthenticatorOptions extends TotpSourceOptions {
  /** Only `'totp'` exists. Defaults to `'totp'`. */
  authenticatorType?: 'totp' | (string & {})
}

export interface ConfirmAssociateMfaAuthenticatorOptions extends AssociateMfaAuthenticatorOptions {
  /** The 6-digit code the authenticator app shows for the new secret. */
  totp: string
}

/** Options of the calls that finish a login in progress. */
export interface MfaTokenOptions extends CallOptions {
  /**
   * The mfaToken from the `mfa_required` login result. When left out, the client uses the
   * mfaToken of its last login that answered `mfa_required`.
   */
  mfaToken?: string
}

export interface VerifyTotpMfaOptions extends MfaTokenOptions {
  totp: string
  /** Accepted for compatibility; only `'totp'` exists. */
  authenticatorType?: 'totp' | (string & {})
}

export type VerifyTotpRecoveryCodeOptions = MfaTokenOptions & {
  /** Accepted for compatibility; only `'totp'` exists. */
  authenticatorType?: 'totp' | (string & {})
} & (
    | { recoveryCode: string }
    | {
        /** The recovery code, under the name Authing's documentation uses. Prefer `recoveryCode`. */
        totp: string
      }
  )

export interface VerifyAppSmsMfaOptions extends MfaTokenOptions {
  phone: string
  code: string
  /** For example `+86`. */
  phoneCountryCode?: string
}

export interface VerifyAppEmailMfaOptions extends MfaTokenOptions {
  email: string
  code: string
}

export interface PhoneOrEmailBindableOptions extends MfaTokenOptions {
  phone?: string
  /** The calling code of `phone` (`+65`); the server's default when left out. */
  phoneCountryCode?: string
  email?: string
}

/** The list `GET /api/v2/mfa/authenticator` answers with (authing-js-sdk: `IMfaAuthenticators`). */
export type MfaAuthenticators = MfaAuthenticator[]

/**
 * What the confirm call resolves to (authing-js-sdk: `IMfaConfirmAssociation`). When the server
 * finished a login with it (`source: 'APPLICATION'`), `user` holds the signed-in user and the client
 * holds the user's token.
 */
export interface MfaConfirmAssociation {
  code: 200
  message: string
  user?: User
}

/** What `deleteMfaAuthenticator` resolves to (authing-js-sdk: `IMfaDeleteAssociation`). */
export interface MfaDeleteAssociation {
  code: 200
  message: string
}

/**
 * The user after a recovery-code login. `recoveryCode` is the newly issued code that replaces the
 * one just used: show it once. It is not enumerable, so `JSON.stringify(user)` and spreading leave it out.
 */
export type UserWithRecoveryCode = User & { readonly recoveryCode: string }

/** Options of {@link MfaApi.sendReverificationCode}. */
export interface SendReverificationCodeOptions extends CallOptions {
  /** Where the code goes: the signed-in user's bound phone or email. */
  channel: 'sms' | 'email'
}

/**
 * Options of {@link MfaApi.reverify}: a code from a bound factor, or (for an account with no
 * second factor) the password, which the client encrypts like a login's.
 */
export type ReverifyOptions = CallOptions & ReverifyBody

/** Options of {@link MfaApi.associateSmsMfa}. */
export interface AssociateSmsMfaOptions extends CallOptions {
  phone: string
  /** For example `+86`. */
  phoneCountryCode?: string
  /** The code sent by `auth.sendSmsCode(phone, { scene: 'mfa-bind' })`. */
  code: string
  /** Also make this phone a login identifier. @default false */
  useForLogin?: boolean
}

/** Options of {@link MfaApi.associateEmailMfa}. */
export interface AssociateEmailMfaOptions extends CallOptions {
  email: string
  /** The code sent by `auth.sendEmailCode(email, 'MFA_VERIFY')`. */
  code: string
}

/** How much of an upload has been sent, in bytes. */
export interface UploadProgress {
  loaded: number
  total: number
}

/** Options of the calls that upload photos. */
export interface FaceUploadOptions extends CallOptions {
  /**
   * Called as the photo is sent. In a browser with the global `fetch` (no `fetch` option), the
   * upload goes through `XMLHttpRequest` and reports as it goes; otherwise it reports 0 when the
   * upload starts and everything once the server has the photo.
   */
  onProgress?: (progress: UploadProgress) => void
}

/**
 * Options of {@link MfaApi.uploadFace}. The upload is made with the credential of the call that
 * will use it: the server lets only that token use the photo.
 */
export interface UploadFaceOptions extends FaceUploadOptions {
  /**
   * The mfaToken of the login in progress, for a photo that will finish it. Without it the access
   * token is sent, else the mfaToken of the client's last login that answered `mfa_required`.
   */
  mfaToken?: string
}

/** Options of {@link MfaApi.associateFaceByUrl}. */
export interface AssociateFaceByUrlOptions extends CallOptions {
  /** The first photo: a URL the server fetches (or an upload key). */
  baseFace: string
  /** The second photo of the same face. */
  compareFace: string
  /**
   * The mfaToken, when binding during a login (the binding then finishes it). Without it the
   * signed-in user binds, with the access token.
   */
  mfaToken?: string
}

/** Options of {@link MfaApi.associateFaceByBlob}. */
export interface AssociateFaceByBlobOptions extends FaceUploadOptions {
  /** The first photo (a JPEG, PNG or WebP `Blob` or `File`). */
  baseFace: Blob
  /** The second photo of the same face. Without it the first photo is bound alone, as authing-js-sdk does. */
  compareFace?: Blob
  /** As in {@link AssociateFaceByUrlOptions.mfaToken}. */
  mfaToken?: string
}

/** Options of {@link MfaApi.associateFaceByLocalFile}. */
export interface AssociateFaceByLocalFileOptions extends FaceUploadOptions {
  /** The file types the picker offers. @default 'image/jpeg,image/png,image/webp' */
  accept?: string
}

/** `client.mfa`: authing-js-sdk's `authenticationClient.mfa`, with the same names and arguments. */
export interface MfaApi {
  /** `GET /api/v2/mfa/authenticator`. Never includes a secret. */
  getMfaAuthenticators(options?: GetMfaAuthenticatorsOptions): Promise<MfaAuthenticators>
  /** Starts a TOTP binding: a new secret, its otpauth URI and the recovery code. The name's misspelling is authing-js-sdk's. */
  assosicateMfaAuthenticator(options?: AssociateMfaAuthenticatorOptions): Promise<MfaAssociation>
  /** Correctly spelled alias of {@link MfaApi.assosicateMfaAuthenticator}. */
  associateMfaAuthenticator(options?: AssociateMfaAuthenticatorOptions): Promise<MfaAssociation>
  /** Confirms the binding with a code from the app. Unlike authing-js-sdk, the mfaToken is sent. */
  confirmAssosicateMfaAuthenticator(options: ConfirmAssociateMfaAuthenticatorOptions): Promise<MfaConfirmAssociation>
  /** Correctly spelled alias of {@link MfaApi.confirmAssosicateMfaAuthenticator}. */
  confirmAssociateMfaAuthenticator(options: ConfirmAssociateMfaAuthenticatorOptions): Promise<MfaConfirmAssociation>
  /** Unbinds TOTP for the signed-in user. */
  deleteMfaAuthenticator(options?: CallOptions): Promise<MfaDeleteAssociation>
  /** Finishes a login with a TOTP code. The user's token goes to the token holder. */
  verifyTotpMfa(options: VerifyTotpMfaOptions): Promise<User>
  /** Finishes a login with a recovery code; the result also carries the new recovery code. */
  verifyTotpRecoveryCode(options: VerifyTotpRecoveryCodeOptions): Promise<UserWithRecoveryCode>
  /** Finishes a login with an SMS code. The user's token goes to the token holder. */
  verifyAppSmsMfa(options: VerifyAppSmsMfaOptions): Promise<User>
  /** The name Authing's documentation uses for {@link MfaApi.verifyAppSmsMfa}. */
  verifySmsMfa(options: VerifyAppSmsMfaOptions): Promise<User>
  /** Finishes a login with an email code. The user's token goes to the token holder. */
  verifyAppEmailMfa(options: VerifyAppEmailMfaOptions): Promise<User>
  /** Whether a phone number or email can be bound as the user's MFA destination. */
  phoneOrEmailBindable(options: PhoneOrEmailBindableOptions): Promise<boolean>

  // Kit extensions for a signed-in user (reference server). Loaded on first use.

  /** The factors the signed-in user can re-verify with, and when the session last proved one. */
  getReverificationOptions(options?: CallOptions): Promise<ReverificationOptions>
  /** Sends a re-verification code to the signed-in user's bound phone or email. */
  sendReverificationCode(options: SendReverificationCodeOptions): Promise<SendResult>
  /**
   * Proves a factor again, which refreshes the session's time of last authentication, so calls
   * that failed with `reauthentication_required` can be retried. The access token stays the same.
   */
  reverify(options: ReverifyOptions): Promise<ReverificationResult>
  /** Replaces the recovery code; the old one stops working. Needs a recent authentication. */
  regenerateRecoveryCode(options?: CallOptions): Promise<RecoveryCodeRegenerated>
  /** Binds a phone as the signed-in user's SMS factor. Needs a recent authentication. */
  associateSmsMfa(options: AssociateSmsMfaOptions): Promise<MfaConfirmAssociation>
  /** Unbinds the signed-in user's SMS factor. Needs a recent authentication. */
  deleteSmsMfa(options?: CallOptions): Promise<MfaDeleteAssociation>
  /** Binds an email as the signed-in user's email factor. Needs a recent authentication. */
  associateEmailMfa(options: AssociateEmailMfaOptions): Promise<MfaConfirmAssociation>
  /** Unbinds the signed-in user's email factor. Needs a recent authentication. */
  deleteEmailMfa(options?: CallOptions): Promise<MfaDeleteAssociation>

  // Face. Loaded on first use, except `verifyFaceMfa`.

  /**
   * Binds a face from two photos the server fetches (`isExternal`). With an mfaToken the binding
   * finishes the login and the client holds the user's token.
   */
  associateFaceByUrl(options: AssociateFaceByUrlOptions): Promise<User>
  /** Uploads one or two photos, then binds the face in them. */
  associateFaceByBlob(options: AssociateFaceByBlobOptions): Promise<User>
  /**
   * Lets the user pick one photo, uploads it and binds the face in it. Browsers only: elsewhere it
   * fails with `invalid_request`; a picker closed without a file fails with `aborted`.
   */
  associateFaceByLocalFile(mfaToken?: string, options?: AssociateFaceByLocalFileOptions): Promise<User>
  /**
   * Finishes a login with a photo: `photo` is the key {@link MfaApi.uploadFace} resolved to (made
   * with the same mfaToken). The user's token goes to the token holder.
   */
  verifyFaceMfa(photo: string, mfaToken?: string, options?: CallOptions): Promise<User>
  /** Uploads a photo (`POST /api/v2/upload`) and resolves to its key, for one binding or verification. */
  uploadFace(photo: Blob, options?: UploadFaceOptions): Promise<string>
  /** Removes the signed-in user's face (reference server). Needs a recent authentication. */
  deleteFaceMfa(options?: CallOptions): Promise<MfaDeleteAssociation>
}

// ---- client.auth -----------------------------------------------------------------------------

/** The codes of Authing's two "MFA required" replies: 1635 (the user's own TOTP) and 1636 (application MFA). */
export type MfaTriggerCode = typeof AuthingCode.MFA_TOTP_REQUIRED | typeof AuthingCode.MFA_APP_REQUIRED

/** Who is signing in, as the 1635 or 1636 reply describes them, in one shape. */
export interface MfaTrigger {
  /** 1635: the user's own TOTP. 1636: application MFA. */
  authingCode: MfaTriggerCode
  mfaToken: string
  nickname: string | null
  username: string | null
  email: string | null
  phone: string | null
  phoneCountryCode: string | null
  avatar: string | null
  /** Where SMS codes go; `null` means a phone must be bound first. */
  mfaPhone: string | null
  mfaPhoneCountryCode: string | null
  /** Where email codes go; `null` means an email must be bound first. */
  mfaEmail: string | null
  /** TOTP is bound, so verify rather than bind. Always true for 1635. */
  totpMfaEnabled: boolean
  /** A face is enrolled, so verify rather than bind. */
  faceMfaEnabled: boolean
  passkeyEnabled: boolean
  /** The factors the application offers, as sent. For 1635 this is OTP alone. */
  applicationMfa: ApplicationMfaItem[]
  /** The preferred factor, if the server named one. For 1635 this is `'OTP'`. */
  current: MfaPolicy | null
}

export interface AuthenticatedResult {
  status: 'authenticated'
  user: User
}

export interface MfaRequiredResult {
  status: 'mfa_required'
  mfaToken: string
  trigger: MfaTrigger
}

/** A login either signs the user in or asks for a second factor; it never throws for MFA. */
export type LoginResult = AuthenticatedResult | MfaRequiredResult

/** The account exists, but the server did not sign the user in: sign in to continue. */
export interface SignInRequiredResult {
  status: 'sign_in_required'
  user: User
}

/**
 * A registration signs the user in (`authenticated`), asks for a second factor (`mfa_required`),
 * or leaves signing in to the user (`sign_in_required`); it never throws for MFA.
 */
export type RegisterResult = LoginResult | SignInRequiredResult

export interface LoginOptions extends CallOptions {
  autoRegister?: boolean
  captchaCode?: string
  /** The end user's IP, when calling from a server. */
  clientIp?: string
}

export interface LoginByPhonePasswordOptions extends LoginOptions {
  phoneCountryCode?: string
}

export interface LoginByPhoneCodeOptions extends CallOptions {
  phoneCountryCode?: string
  clientIp?: string
}

export interface RegisterProfile {
  nickname?: string
  username?: string
  phone?: string
}

export interface RegisterByUsernameProfile {
  nickname?: string
  email?: string
  phone?: string
}

export interface RegisterByPhoneCodeProfile {
  nickname?: string
}

export interface RegisterOptions extends CallOptions {
  /** Sign the user in right away; the token then goes to the token holder. */
  forceLogin?: boolean
  clientIp?: string
}

export interface RegisterByPhoneCodeOptions extends RegisterOptions {
  /** For example `+86`. */
  phoneCountryCode?: string
}

export interface SendSmsCodeOptions extends CallOptions {
  phoneCountryCode?: string
  /** Defaults to `'mfa-verify'`. */
  scene?: SmsScene
}

export interface AuthApi {
  loginByEmail(email: string, password: string, options?: LoginOptions): Promise<LoginResult>
  loginByUsername(username: string, password: string, options?: LoginOptions): Promise<LoginResult>
  loginByPhonePassword(phone: string, password: string, options?: LoginByPhonePasswordOptions): Promise<LoginResult>
  loginByPhoneCode(phone: string, code: string, options?: LoginByPhoneCodeOptions): Promise<LoginResult>
  /** Registers; a password shorter than `minPasswordLength` fails with `weak_password` before anything is sent. */
  registerByEmail(email: string, password: string, profile?: RegisterProfile, options?: RegisterOptions): Promise<RegisterResult>
  registerByUsername(
    username: string,
    password: string,
    profile?: RegisterByUsernameProfile,
    options?: RegisterOptions,
  ): Promise<RegisterResult>
  /**
   * Registers with a code sent by `sendSmsCode(phone, { scene: 'register' })`. The password is
   * optional: without one, the account signs in with phone codes.
   */
  registerByPhoneCode(
    phone: string,
    code: string,
    password?: string,
    profile?: RegisterByPhoneCodeProfile,
    options?: RegisterByPhoneCodeOptions,
  ): Promise<RegisterResult>
  /**
   * Ends the session on the server (`GET /api/v2/logout`, as authing-js-sdk's `logout()`), and
   * clears the access token here whatever the server answers. A token the server no longer
   * accepts counts as signed out; other failures reject after the token is cleared.
   */
  logout(options?: CallOptions): Promise<void>
  /** Sends an SMS code (`POST /api/v2/sms/send`). */
  sendSmsCode(phone: string, options?: SendSmsCodeOptions): Promise<SendResult>
  /** Sends an email code (`POST /api/v2/email/send`). `scene` defaults to `'MFA_VERIFY_CODE'`. */
  sendEmailCode(email: string, scene?: EmailScene, options?: CallOptions): Promise<SendResult>
  /** The signed-in user, or `null` without a token or when the server no longer accepts it. */
  getCurrentUser(options?: CallOptions): Promise<User | null>
}

export interface MfaClient {
  readonly mfa: MfaApi
  readonly auth: AuthApi
  /** The access token held in memory, or `null`. */
  getToken(): string | null
  /** Replaces the access token (`null` signs out locally). Listeners hear about real changes only. */
  setToken(token: string | null): void
  /** Subscribes to token changes; returns the unsubscribe function. */
  onTokenChange(listener: TokenListener): () => void
}
