/** REST paths, relative to `appHost`. Numbers refer to the endpoint table of the wire spec. */
export const paths = {
  /** GET, query `type`/`authenticator_type` and `source`. */
  authenticators: '/api/v2/mfa/authenticator',
  /** POST starts a TOTP binding; DELETE unbinds TOTP. */
  totpAssociate: '/api/v2/mfa/totp/associate',
  totpAssociateConfirm: '/api/v2/mfa/totp/associate/confirm',
  totpVerify: '/api/v2/mfa/totp/verify',
  /** Guard's variant of TOTP verify; answers with the flow-end envelope for Guard callers. */
  applicationTotpVerify: '/api/v2/applications/mfa/totp/verify',
  totpRecovery: '/api/v2/mfa/totp/recovery',
  applicationSmsVerify: '/api/v2/applications/mfa/sms/verify',
  applicationEmailVerify: '/api/v2/applications/mfa/email/verify',
  applicationCheck: '/api/v2/applications/mfa/check',
  faceAssociate: '/api/v2/mfa/face/associate',
  faceVerify: '/api/v2/mfa/face/verify',
  applicationFaceVerify: '/api/v2/applications/mfa/face/verify',
  upload: '/api/v2/upload',
  smsSend: '/api/v2/sms/send',
  emailSend: '/api/v2/email/send',
  wellKnown: '/api/v2/.well-known',
  graphql: '/graphql/v2',
  /** GET ends the session of the access token sent (authing-js-sdk's `logout()`). */
  logout: '/api/v2/logout',

  // ---- kit extensions: the reference server's own endpoints beside the v2 paths ----
  /**
   * GET lists the factors a signed-in user can re-verify with; POST verifies one and refreshes the
   * session's time of last authentication (see {@link ReverifyBody}).
   */
  reverification: '/api/v2/mfa/reverification',
  /** POST `{ channel }` sends a code to the signed-in user's bound phone or email, for re-verification. */
  reverificationSend: '/api/v2/mfa/reverification/send',
  /** POST replaces the recovery code (needs a recent authentication); the new code is in `data`. */
  recoveryCodeRegenerate: '/api/v2/mfa/totp/recovery/regenerate',
  /** POST binds a phone as the SMS factor from a signed-in session; DELETE unbinds it. */
  smsAssociate: '/api/v2/mfa/sms/associate',
  /** POST binds an email as the email factor from a signed-in session; DELETE unbinds it. */
  emailAssociate: '/api/v2/mfa/email/associate',

  /** Reference server only, with the dev outbox enabled. */
  devOutbox: '/api/dev/outbox',
} as const

export type MfaPath = (typeof paths)[keyof typeof paths]

/** Header names sent by authing-js-sdk and Guard. */
export const headers = {
  appId: 'x-authing-app-id',
  userPoolId: 'x-authing-userpool-id',
  tenantId: 'x-authing-app-tenant-id',
  requestFrom: 'x-authing-request-from',
  sdkVersion: 'x-authing-sdk-version',
  lang: 'x-authing-lang',
  authorization: 'authorization',
} as const

/** The SDK version string authing-js-sdk 4.x sends (the constant was never bumped). */
export const AUTHING_SDK_VERSION_HEADER = 'js:4.21.8'

/** Requests whose `x-authing-request-from` starts with this get Guard's flow-end envelope. */
export const GUARD_REQUEST_FROM_PREFIX = 'Guard@'
