export { createMfaClient } from './client'
export { MfaError, isMfaError } from './errors'
export type { MfaErrorInit } from './errors'
export type {
  AssociateEmailMfaOptions,
  AssociateFaceByBlobOptions,
  AssociateFaceByLocalFileOptions,
  AssociateFaceByUrlOptions,
  AssociateMfaAuthenticatorOptions,
  AssociateSmsMfaOptions,
  AuthApi,
  AuthenticatedResult,
  CallOptions,
  ConfirmAssociateMfaAuthenticatorOptions,
  FaceUploadOptions,
  FetchFunction,
  GetMfaAuthenticatorsOptions,
  LoginByPhoneCodeOptions,
  LoginByPhonePasswordOptions,
  LoginOptions,
  LoginResult,
  MfaApi,
  MfaAuthenticators,
  MfaClient,
  MfaClientOptions,
  MfaConfirmAssociation,
  MfaDeleteAssociation,
  MfaLang,
  MfaRequiredResult,
  MfaTokenOptions,
  MfaTrigger,
  MfaTriggerCode,
  PhoneOrEmailBindableOptions,
  RegisterByPhoneCodeOptions,
  RegisterByPhoneCodeProfile,
  RegisterByUsernameProfile,
  RegisterOptions,
  RegisterProfile,
  RegisterResult,
  ReverifyOptions,
  SendReverificationCodeOptions,
  SendSmsCodeOptions,
  SignInRequiredResult,
  TokenListener,
  TotpSourceOptions,
  UploadFaceOptions,
  UploadProgress,
  UserWithRecoveryCode,
  VerifyAppEmailMfaOptions,
  VerifyAppSmsMfaOptions,
  VerifyTotpMfaOptions,
  VerifyTotpRecoveryCodeOptions,
} from './types'
export type {
  ApplicationMfaItem,
  EmailScene,
  MfaAssociation,
  MfaAuthenticator,
  MfaErrorCode,
  MfaPolicy,
  RecoveryCodeRegenerated,
  ReverificationFactor,
  ReverificationOptions,
  ReverificationResult,
  SendResult,
  SmsScene,
  TotpSource,
  User,
} from '@mfa-kit/protocol'

import type { MfaAssociation, MfaAuthenticator } from '@mfa-kit/protocol'
import type { MfaConfirmAssociation, MfaDeleteAssociation } from './types'
/** authing-js-sdk's names, for code that imports its types. */
export type IMfaAuthenticators = MfaAuthenticator[]
/** authing-js-sdk's name for {@link MfaAssociation}: snake_case fields, as on the wire. */
export type IMfaAssociation = MfaAssociation
export type IMfaConfirmAssociation = MfaConfirmAssociation
export type IMfaDeleteAssociation = MfaDeleteAssociation
