/**
 * Numeric `code` values on the wire. Authing's own codes keep their Authing meaning; codes Authing
 * never documented (not bound, already bound, payload too large) are the kit's and stay stable.
 */
export const AuthingCode = {
  OK: 200,
  /** Malformed JSON, wrong types or missing fields. */
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  /** `apiCode` of Guard's flow-end envelope: the user is in `data.user`. */
  FLOW_END: 1600,
  /** Login needs the user's own TOTP; `data` is the 1635 trigger. */
  MFA_TOTP_REQUIRED: 1635,
  /** Login needs application MFA; `data` is the 1636 trigger. */
  MFA_APP_REQUIRED: 1636,
  FACE_NOT_DETECTED: 1700,
  FACE_MISMATCH: 1701,
  FACE_INVALID_IMAGE: 1702,
  /** More than one face in the photo: binding and verification need exactly one. */
  FACE_MULTIPLE: 1703,
  /** Wrong SMS or email verification code. */
  INVALID_VERIFY_CODE: 2001,
  /** Too many failures: the factor is locked for `data.retryAfterMs`. */
  TOO_MANY_ATTEMPTS: 2057,
  /** No valid credential on the request. */
  UNAUTHENTICATED: 2020,
  /** The mfaToken is unknown, expired, already used or exhausted: start a new login. */
  MFA_TOKEN_INVALID: 2021,
  USER_EXISTS: 2026,
  /** Sending codes too often; `data.retryAfterMs` says when to try again. */
  SEND_RATE_LIMITED: 2080,
  /** The access token has expired. */
  LOGIN_EXPIRED: 2206,
  /** Wrong account or password (one code for both, so accounts cannot be enumerated). */
  INVALID_CREDENTIALS: 2333,
  /** A verification code that has expired. */
  VERIFY_CODE_EXPIRED: 2300,
  /** Wrong TOTP security code. */
  INVALID_TOTP: 6001,
  /** Wrong recovery code. */
  INVALID_RECOVERY_CODE: 6002,
  /** The factor is not bound for this user. */
  NOT_BOUND: 6003,
  /** The factor is already bound; its secret is never shown again. */
  ALREADY_BOUND: 6004,
  /** The application does not offer this factor. */
  FACTOR_DISABLED: 6005,
  /** Changing MFA settings needs a sign-in from the last few minutes; sign in again and retry. */
  RECENT_LOGIN_REQUIRED: 6006,
  /** The code could not be delivered (no sender configured, or the provider failed). */
  DELIVERY_FAILED: 6007,
  /**
   * The mfaToken has used up its verification attempts: the sign-in must start again. Distinct from
   * {@link AuthingCode.MFA_TOKEN_INVALID} (expired, used or unknown) so a UI can say which.
   */
  MFA_TOKEN_EXHAUSTED: 6008,
  /**
   * Registration could not be completed. One answer for every password problem (undecryptable,
   * too short, too long, not UTF-8), so the reply never tells a bad RSA padding from a weak password.
   */
  REGISTRATION_FAILED: 6009,
  /** The email address is not well formed. */
  INVALID_EMAIL: 6010,
  /** The phone number is not a valid number (checked in E.164 form). */
  INVALID_PHONE: 6011,
  /**
   * Face verification never stands alone: binding a face needs another second factor first (TOTP,
   * or a proven phone or email), and the last of those cannot be removed while a face is bound.
   */
  ANOTHER_FACTOR_REQUIRED: 6012,
  /** A JSON endpoint got a body whose Content-Type is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 415,
} as const

export type AuthingCodeValue = (typeof AuthingCode)[keyof typeof AuthingCode]

/** The kit's stable string error codes, carried by every `MfaError`. */
export const mfaErrorCodes = [
  'invalid_code',
  'invalid_recovery_code',
  'code_expired',
  'rate_limited',
  'mfa_token_expired',
  'too_many_attempts',
  'unauthenticated',
  'reauthentication_required',
  'invalid_credentials',
  'user_exists',
  'registration_failed',
  'weak_password',
  'invalid_email',
  'invalid_phone',
  'not_bound',
  'already_bound',
  'factor_disabled',
  'face_not_detected',
  'multiple_faces',
  'another_factor_required',
  'face_mismatch',
  'invalid_image',
  'invalid_request',
  'payload_too_large',
  'not_found',
  'server_error',
  'network',
  'timeout',
  'aborted',
  'bad_response',
  'unknown',
] as const

export type MfaErrorCode = (typeof mfaErrorCodes)[number]

const byAuthingCode: Readonly<Record<number, MfaErrorCode>> = {
  [AuthingCode.BAD_REQUEST]: 'invalid_request',
  [AuthingCode.NOT_FOUND]: 'not_found',
  [AuthingCode.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [AuthingCode.INTERNAL]: 'server_error',
  [AuthingCode.FACE_NOT_DETECTED]: 'face_not_detected',
  [AuthingCode.FACE_MISMATCH]: 'face_mismatch',
  [AuthingCode.FACE_INVALID_IMAGE]: 'invalid_image',
  [AuthingCode.FACE_MULTIPLE]: 'multiple_faces',
  [AuthingCode.ANOTHER_FACTOR_REQUIRED]: 'another_factor_required',
  [AuthingCode.INVALID_VERIFY_CODE]: 'invalid_code',
  [AuthingCode.TOO_MANY_ATTEMPTS]: 'rate_limited',
  [AuthingCode.UNAUTHENTICATED]: 'unauthenticated',
  [AuthingCode.MFA_TOKEN_INVALID]: 'mfa_token_expired',
  [AuthingCode.USER_EXISTS]: 'user_exists',
  [AuthingCode.SEND_RATE_LIMITED]: 'rate_limited',
  [AuthingCode.LOGIN_EXPIRED]: 'unauthenticated',
  [AuthingCode.INVALID_CREDENTIALS]: 'invalid_credentials',
  [AuthingCode.VERIFY_CODE_EXPIRED]: 'code_expired',
  [AuthingCode.INVALID_TOTP]: 'invalid_code',
  [AuthingCode.INVALID_RECOVERY_CODE]: 'invalid_recovery_code',
  [AuthingCode.NOT_BOUND]: 'not_bound',
  [AuthingCode.ALREADY_BOUND]: 'already_bound',
  [AuthingCode.FACTOR_DISABLED]: 'factor_disabled',
  [AuthingCode.RECENT_LOGIN_REQUIRED]: 'reauthentication_required',
  [AuthingCode.DELIVERY_FAILED]: 'server_error',
  [AuthingCode.MFA_TOKEN_EXHAUSTED]: 'too_many_attempts',
  [AuthingCode.REGISTRATION_FAILED]: 'registration_failed',
  [AuthingCode.INVALID_EMAIL]: 'invalid_email',
  [AuthingCode.INVALID_PHONE]: 'invalid_phone',
  [AuthingCode.UNSUPPORTED_MEDIA_TYPE]: 'invalid_request',
  // Authing codes seen from its cloud that mean the same things.
  2000: 'invalid_request',
  2005: 'rate_limited',
  2207: 'unauthenticated',
  1002: 'rate_limited',
  502: 'face_mismatch',
  422: 'rate_limited',
}

/** Maps a wire `code` (or Guard `apiCode`) to the kit's string code. */
export function mfaErrorCodeFor(code: number | undefined): MfaErrorCode {
  if (code === undefined) return 'unknown'
  return byAuthingCode[code] ?? 'unknown'
}

/** `data` of a throttled reply (`TOO_MANY_ATTEMPTS`, `SEND_RATE_LIMITED`). */
export interface RateLimitData {
  /** Milliseconds until the next attempt is accepted. */
  retryAfterMs: number
  /** The same, in whole seconds (rounded up), for clients that show seconds. */
  retryAfter: number
}
