import { describe, expect, it } from 'vitest'
import { AuthingCode, mfaErrorCodeFor, mfaErrorCodes } from './codes'

describe('mfaErrorCodeFor', () => {
  it.each([
    [AuthingCode.INVALID_TOTP, 'invalid_code'],
    [AuthingCode.INVALID_VERIFY_CODE, 'invalid_code'],
    [AuthingCode.INVALID_RECOVERY_CODE, 'invalid_recovery_code'],
    [AuthingCode.VERIFY_CODE_EXPIRED, 'code_expired'],
    [AuthingCode.TOO_MANY_ATTEMPTS, 'rate_limited'],
    [AuthingCode.SEND_RATE_LIMITED, 'rate_limited'],
    [AuthingCode.MFA_TOKEN_INVALID, 'mfa_token_expired'],
    [AuthingCode.UNAUTHENTICATED, 'unauthenticated'],
    [AuthingCode.LOGIN_EXPIRED, 'unauthenticated'],
    [AuthingCode.NOT_BOUND, 'not_bound'],
    [AuthingCode.ALREADY_BOUND, 'already_bound'],
    [AuthingCode.FACE_NOT_DETECTED, 'face_not_detected'],
    [AuthingCode.FACE_MISMATCH, 'face_mismatch'],
    [AuthingCode.BAD_REQUEST, 'invalid_request'],
    [AuthingCode.PAYLOAD_TOO_LARGE, 'payload_too_large'],
    [AuthingCode.RECENT_LOGIN_REQUIRED, 'reauthentication_required'],
    [AuthingCode.MFA_TOKEN_EXHAUSTED, 'too_many_attempts'],
    [AuthingCode.REGISTRATION_FAILED, 'registration_failed'],
    [AuthingCode.INVALID_EMAIL, 'invalid_email'],
    [AuthingCode.INVALID_PHONE, 'invalid_phone'],
    [AuthingCode.UNSUPPORTED_MEDIA_TYPE, 'invalid_request'],
    [AuthingCode.FACE_MULTIPLE, 'multiple_faces'],
    [AuthingCode.ANOTHER_FACTOR_REQUIRED, 'another_factor_required'],
  ] as const)('maps wire code %i to %s', (code, expected) => {
    expect(mfaErrorCodeFor(code)).toBe(expected)
  })

  it('maps unknown and missing codes to unknown', () => {
    expect(mfaErrorCodeFor(123456)).toBe('unknown')
    expect(mfaErrorCodeFor(undefined)).toBe('unknown')
  })

  it('only ever yields a declared string code', () => {
    for (const code of Object.values(AuthingCode)) {
      expect(mfaErrorCodes).toContain(mfaErrorCodeFor(code === 200 ? undefined : code))
    }
  })
})
