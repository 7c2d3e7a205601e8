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
