import { AuthingCode, type RateLimitData } from '@mfa-kit/protocol'

/** A business error, answered as `{code, message, data}` (HTTP 200 unless `httpStatus` says otherwise). */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly code: number,
    message: string,
    readonly data: unknown = null,
    readonly httpStatus = 200,
    /** Extra top-level fields of the envelope (e.g. Guard's `apiCode`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

function rateLimitData(retryAfterMs: number): RateLimitData {
  const ms = Math.max(0, Math.ceil(retryAfterMs))
  return { retryAfterMs: ms, retryAfter: Math.ceil(ms / 1000) }
}

export const errors = {
  badRequest: (message: string) => new ApiError(AuthingCode.BAD_REQUEST, message),
  unauthenticated: () => new ApiError(AuthingCode.UNAUTHENTICATED, 'Not signed in: send a valid token in the authorization header'),
  loginExpired: () => new ApiError(AuthingCode.LOGIN_EXPIRED, 'The sign-in has expired or was revoked; sign in again'),
  mfaTokenInvalid: () => new ApiError(AuthingCode.MFA_TOKEN_INVALID, 'The MFA session is invalid, expired or used up; sign in again'),
  mfaTokenExhausted: () =>
    new ApiError(AuthingCode.MFA_TOKEN_EXHAUSTED, 'This sign-in has used up its verification attempts; sign in again'),
  recentLoginRequired: () =>
    new ApiError(
      AuthingCode.RECENT_LOGIN_REQUIRED,
      'This change needs a recent sign-in: verify a factor again (re-verification) or sign in again, then retry',
    ),
  locked: (retryAfterMs: number) =>
    new ApiError(AuthingCode.TOO_MANY_ATTEMPTS, 'Too many failed attempts; try again later', rateLimitData(retryAfterMs)),
  sendLimited: (retryAfterMs: number) =>
    new ApiError(
      AuthingCode.SEND_RATE_LIMITED,
      'Codes are being sent too often; wait before asking for another',
      rateLimitData(retryAfterMs),
      200,
      {
        apiCode: AuthingCode.SEND_RATE_LIMITED,
      },
    ),
  quotaExceeded: (retryAfterMs: number) =>
    new ApiError(AuthingCode.TOO_MANY_ATTEMPTS, 'Too many requests; try again later', rateLimitData(retryAfterMs)),
  invalidTotp: () => new ApiError(AuthingCode.INVALID_TOTP, 'Wrong security code, please re-enter'),
  invalidRecoveryCode: () => new ApiError(AuthingCode.INVALID_RECOVERY_CODE, 'Wrong recovery code, please re-enter'),
  invalidVerifyCode: () => new ApiError(AuthingCode.INVALID_VERIFY_CODE, 'Wrong verification code'),
  verifyCodeExpired: () => new ApiError(AuthingCode.VERIFY_CODE_EXPIRED, 'The verification code has expired; ask for a new one'),
  notBound: (what: string) => new ApiError(AuthingCode.NOT_BOUND, `${what} is not bound for this account`),
  alreadyBound: (what: string) => new ApiError(AuthingCode.ALREADY_BOUND, `${what} is already bound for this account`),
  factorDisabled: (what: string) => new ApiError(AuthingCode.FACTOR_DISABLED, `${what} is not available for this application`),
  deliveryFailed: () => new ApiError(AuthingCode.DELIVERY_FAILED, 'The code could not be delivered; try again later'),
  noBindingInProgress: () => new ApiError(AuthingCode.NOT_BOUND, 'No TOTP binding is in progress; start the binding again'),
  enrollmentNeedsSignIn: () =>
    new ApiError(
      AuthingCode.UNAUTHENTICATED,
      'This account already has a verified factor: verify with it first, then bind new factors from the signed-in account',
    ),
  contactUnavailable: (channel: 'sms' | 'email') =>
    new ApiError(
      AuthingCode.ALREADY_BOUND,
      channel === 'sms' ? 'This phone number cannot be bound to this account' : 'This email address cannot be bound to this account',
    ),
  invalidCredentials: () => new ApiError(AuthingCode.INVALID_CREDENTIALS, 'Wrong account or password'),
  invalidEmail: () => new ApiError(AuthingCode.INVALID_EMAIL, 'The email address is not valid'),
  invalidPhone: () => new ApiError(AuthingCode.INVALID_PHONE, 'The phone number is not valid'),
  registrationFailed: (minPasswordLength: number) =>
    new ApiError(
      AuthingCode.REGISTRATION_FAILED,
      `The account could not be created: the password must have at least ${minPasswordLength} characters (at most 4096 bytes), encrypted with the key from /.well-known`,
    ),
  registrationLimited: (retryAfterMs: number) =>
    new ApiError(AuthingCode.TOO_MANY_ATTEMPTS, 'Too many registrations; try again later', rateLimitData(retryAfterMs)),
  secondFactorUnavailable: () =>
    new ApiError(
      AuthingCode.FACTOR_DISABLED,
      'A code sent to this phone cannot be followed by another code to the same phone, and this application offers no other factor: sign in with a password',
    ),
  factorAlreadyUsed: (what: string) =>
    new ApiError(AuthingCode.FACTOR_DISABLED, `${what} was the first factor of this sign-in: verify with a different factor`),
  unsupportedMediaType: () =>
    new ApiError(AuthingCode.UNSUPPORTED_MEDIA_TYPE, 'Send the request body as JSON, with Content-Type: application/json', null, 415),
  notMultipart: () =>
    new ApiError(AuthingCode.UNSUPPORTED_MEDIA_TYPE, 'Send the photo as multipart/form-data, in a field named file', null, 415),
  faceNotDetected: () => new ApiError(AuthingCode.FACE_NOT_DETECTED, 'No face was found in the photo: face the camera in good light'),
  multipleFaces: () =>
    new ApiError(AuthingCode.FACE_MULTIPLE, 'More than one face is in the photo: only the account holder may be in view'),
  faceMismatch: () => new ApiError(AuthingCode.FACE_MISMATCH, 'The face does not match the face bound to this account'),
  facesDiffer: () => new ApiError(AuthingCode.FACE_MISMATCH, 'The two photos do not show the same face'),
  invalidImage: (maxBytes: number, maxDimension: number) =>
    new ApiError(
      AuthingCode.FACE_INVALID_IMAGE,
      `The photo could not be read: send a JPEG, PNG or WebP image of at most ${Math.floor(maxBytes / 1024)} KiB and ${maxDimension}×${maxDimension} pixels`,
    ),
  photoNotFound: () => new ApiError(AuthingCode.FACE_INVALID_IMAGE, 'The photo was not found or has expired: upload it again'),
  /** Every failure of an external photo (address, connection, time, size, type, content): one answer, so it is no port scanner. */
  photoUnavailable: () =>
    new ApiError(AuthingCode.FACE_INVALID_IMAGE, 'The photo could not be fetched from that URL as a JPEG, PNG or WebP image'),
  faceTurnedOff: () =>
    new ApiError(
      AuthingCode.FACTOR_DISABLED,
      'Face verification is turned off for this account after too many failed attempts: verify with another factor, then bind the face again',
    ),
  faceNeedsAnotherFactor: () =>
    new ApiError(
      AuthingCode.ANOTHER_FACTOR_REQUIRED,
      'Face verification never stands alone: bind an authenticator app, a phone or an email first',
    ),
  lastFactorBesideFace: () =>
    new ApiError(
      AuthingCode.ANOTHER_FACTOR_REQUIRED,
      'This is the last factor beside face verification: remove face verification first, or bind another factor',
    ),
  userExists: () => new ApiError(AuthingCode.USER_EXISTS, 'An account with these details already exists'),
  notFound: () => new ApiError(AuthingCode.NOT_FOUND, 'No such endpoint', null, 404),
  payloadTooLarge: (limit: number) =>
    new ApiError(AuthingCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${limit} bytes`, null, 413),
  secretUnreadable: () =>
    new ApiError(AuthingCode.INTERNAL, 'The stored factor cannot be read; ask an administrator to reset it', null, 500),
  internal: () => new ApiError(AuthingCode.INTERNAL, 'Internal server error', null, 500),
}
