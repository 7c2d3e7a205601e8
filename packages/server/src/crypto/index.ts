export { Base32Error, base32Decode, base32Encode, tryBase32Decode } from './base32'
export type { Base32EncodeOptions } from './base32'
export { equalBytesFixedLength, timingSafeEqual } from './compare'
export {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  bytesToHex,
  concatBytes,
  copyBytes,
  hexToBytes,
  utf8DecodeStrict,
  utf8Encode,
} from './encoding'
export type { Bytes } from './encoding'
export { createCodeHasher } from './hash'
export type { CodeHasher, CodeHasherOptions } from './hash'
export { SyncCryptoError, checkSyncCrypto } from './sync'
export type { HmacHash, SyncAesGcmDecrypt, SyncCrypto, SyncHmac } from './sync'
export {
  OTP_ALGORITHMS,
  OtpArgumentError,
  OtpauthUriError,
  TOTP_DEFAULTS,
  TotpConfigError,
  buildOtpauthUri,
  generateTotpSecret,
  hotp,
  normalizeOtpCode,
  resolveTotpConfig,
  totp,
  totpMatchStep,
  totpStep,
  validateTotpConfig,
} from './otp'
export type {
  HotpOptions,
  OtpAlgorithm,
  OtpauthUriOptions,
  ResolvedTotpConfig,
  TotpConfig,
  TotpConfigReport,
  TotpMatchOptions,
  TotpOptions,
  TotpWindow,
} from './otp'
export { PASSWORD_DEFAULT_ITERATIONS, PASSWORD_MAX_BYTES, PasswordInputError, hashPassword, needsRehash, verifyPassword } from './password'
export type { PasswordHashOptions } from './password'
export {
  MIN_TOKEN_BYTES,
  RECOVERY_CODE_BYTES,
  generateRecoveryCode,
  isRecoveryCodeShape,
  normalizeRecoveryCode,
  randomBytes,
  randomDigits,
  randomInt,
  randomToken,
} from './random'
export { RsaKeyError, createRsaDecryptor, generateRsaKeyPair, parseRsaPrivateJwk, rsaPublicKeyPem, serializeRsaPrivateJwk } from './rsa'
export type { RsaDecryptor, RsaKeyPair, RsaPrivateJwk } from './rsa'
export { SecretBoxError, createSecretBox, generateSecretBoxKeyMaterial, importSecretBoxKey, secretBoxKeyBytes } from './secretbox'
export type { SecretBox, SecretBoxErrorReason, SecretBoxKey, SecretBoxOptions, SecretContext } from './secretbox'
