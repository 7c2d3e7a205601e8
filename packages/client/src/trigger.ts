import { AuthingCode, type ApplicationMfaTriggerData } from '@mfa-kit/protocol'
import { MfaError } from './errors'
import type { MfaTrigger, MfaTriggerCode } from './types'

/**
 * Turns the `data` of a 1635 (the user's own TOTP) or 1636 (application MFA) reply into one
 * shape. A 1635 payload carries only the mfaToken and a few profile fields; it means "verify TOTP".
 */
export function normalizeTrigger(authingCode: MfaTriggerCode, data: unknown): MfaTrigger {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Partial<ApplicationMfaTriggerData>
  if (typeof d.mfaToken !== 'string' || !d.mfaToken) {
    throw new MfaError('bad_response', 'MFA is required but the reply has no mfaToken', { authingCode, data })
  }
  const totp = authingCode === AuthingCode.MFA_TOTP_REQUIRED
  return {
    nickname: null,
    username: null,
    email: null,
    phone: null,
    phoneCountryCode: null,
    avatar: null,
    mfaPhone: null,
    mfaPhoneCountryCode: null,
    mfaEmail: null,
    totpMfaEnabled: totp,
    faceMfaEnabled: false,
    passkeyEnabled: false,
    applicationMfa: totp ? [{ mfaPolicy: 'OTP', status: 1, sort: 0 }] : [],
    current: totp ? 'OTP' : null,
    ...(d as Partial<MfaTrigger>),
    authingCode,
    mfaToken: d.mfaToken,
  }
}
