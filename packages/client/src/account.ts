/**
 * Binding and managing factors: the TOTP binding calls, the authenticator list and the
 * bindability check (during a login or for a signed-in user), and the reference server's
 * extensions for a signed-in user (re-verification, recovery-code regeneration, binding a phone
 * or email, removing a phone, an email or a face). Loaded on the first such call, so a page that only finishes logins never downloads it.
 */
import {
  paths,
  type BindableCheckBody,
  type MfaAssociation,
  type RecoveryCodeRegenerated,
  type ReverificationOptions,
  type ReverificationResult,
  type SendResult,
} from '@mfa-kit/protocol'
import { hasToken, type ClientContext } from './context'
import { encryptPassword } from './password'
import type { RestRequest } from './transport'
import type {
  AssociateEmailMfaOptions,
  AssociateMfaAuthenticatorOptions,
  AssociateSmsMfaOptions,
  CallOptions,
  ConfirmAssociateMfaAuthenticatorOptions,
  GetMfaAuthenticatorsOptions,
  MfaAuthenticators,
  MfaConfirmAssociation,
  MfaDeleteAssociation,
  PhoneOrEmailBindableOptions,
  ReverifyOptions,
  SendReverificationCodeOptions,
} from './types'

const dataOf = async <T>(context: ClientContext, request: RestRequest): Promise<T> => (await context.transport.rest<T>(request)).data

/** A request with the signed-in user's access token. */
const asSignedInUser = <T>(context: ClientContext, request: Omit<RestRequest, 'auth'>): Promise<T> =>
  dataOf(context, { ...request, auth: context.getToken() })

/** A change acknowledged with `{ code: 200, message }`, as authing-js-sdk reports it. */
async function acknowledged(context: ClientContext, request: RestRequest): Promise<MfaConfirmAssociation & MfaDeleteAssociation> {
  const { body } = await context.transport.rest<unknown>(request)
  return { code: 200, message: String(body.message ?? '') }
}

// ---- authing-js-sdk's binding calls -----------------------------------------------------------

export const getMfaAuthenticators = (
  context: ClientContext,
  options: GetMfaAuthenticatorsOptions = { type: 'totp', source: 'SELF' },
): Promise<MfaAuthenticators> =>
  dataOf(context, {
    method: 'GET',
    path: paths.authenticators,
    query: { type: options.type, source: options.source },
    auth: context.sourceCredential(options),
    call: options,
  })

export const associateMfaAuthenticator = (
  context: ClientContext,
  options: AssociateMfaAuthenticatorOptions = { authenticatorType: 'totp', source: 'SELF' },
): Promise<MfaAssociation> =>
  dataOf(context, {
    method: 'POST',
    path: paths.totpAssociate,
    body: { authenticator_type: options.authenticatorType ?? 'totp', source: options.source },
    auth: context.sourceCredential(options),
    call: options,
  })

export async function confirmAssociateMfaAuthenticator(
  context: ClientContext,
  options: ConfirmAssociateMfaAuthenticatorOptions,
): Promise<MfaConfirmAssociation> {
  const { data, body } = await context.transport.rest<unknown>({
    method: 'POST',
    path: paths.totpAssociateConfirm,
    body: { authenticator_type: options.authenticatorType ?? 'totp', totp: options.totp, source: options.source },
    auth: context.sourceCredential(options),
    call: options,
  })
  const result: MfaConfirmAssociation = { code: 200, message: String(body.message ?? '') }
  // Confirming during a login (APPLICATION) finishes it: the reply is the signed-in user.
  if (hasToken(data)) result.user = context.finish(data)
  return result
}

export const deleteMfaAuthenticator = (context: ClientContext, call?: CallOptions): Promise<MfaDeleteAssociation> =>
  acknowledged(context, { method: 'DELETE', path: paths.totpAssociate, auth: context.getToken(), call })

export const phoneOrEmailBindable = (context: ClientContext, options: PhoneOrEmailBindableOptions): Promise<boolean> =>
  dataOf(context, {
    method: 'POST',
    path: paths.applicationCheck,
    body: { phone: options.phone, phoneCountryCode: options.phoneCountryCode, email: options.email } satisfies BindableCheckBody,
    auth: context.loginCredential(options),
    call: options,
  })

// ---- kit extensions for a signed-in user --------------------------------------------------------

export const getReverificationOptions = (context: ClientContext, call?: CallOptions): Promise<ReverificationOptions> =>
  asSignedInUser(context, { method: 'GET', path: paths.reverification, call })

export const sendReverificationCode = (context: ClientContext, { channel, ...call }: SendReverificationCodeOptions): Promise<SendResult> =>
  asSignedInUser(context, { method: 'POST', path: paths.reverificationSend, body: { channel }, call })

export async function reverify(context: ClientContext, options: ReverifyOptions): Promise<ReverificationResult> {
  const { signal, timeoutMs, ...proof } = options
  const call = { signal, timeoutMs }
  const body = proof.type === 'password' ? { type: 'password', password: await encryptPassword(context, proof.password, call) } : proof
  return asSignedInUser(context, { method: 'POST', path: paths.reverification, body, call })
}

export const regenerateRecoveryCode = (context: ClientContext, call?: CallOptions): Promise<RecoveryCodeRegenerated> =>
  asSignedInUser(context, { method: 'POST', path: paths.recoveryCodeRegenerate, body: {}, call })

export const associateSmsMfa = (
  context: ClientContext,
  { phone, phoneCountryCode, code, useForLogin, ...call }: AssociateSmsMfaOptions,
): Promise<MfaConfirmAssociation> =>
  acknowledged(context, {
    method: 'POST',
    path: paths.smsAssociate,
    body: { phone, phoneCountryCode, code, useForLogin },
    auth: context.getToken(),
    call,
  })

export const deleteSmsMfa = (context: ClientContext, call?: CallOptions): Promise<MfaDeleteAssociation> =>
  acknowledged(context, { method: 'DELETE', path: paths.smsAssociate, auth: context.getToken(), call })

export const associateEmailMfa = (
  context: ClientContext,
  { email, code, ...call }: AssociateEmailMfaOptions,
): Promise<MfaConfirmAssociation> =>
  acknowledged(context, { method: 'POST', path: paths.emailAssociate, body: { email, code }, auth: context.getToken(), call })

export const deleteEmailMfa = (context: ClientContext, call?: CallOptions): Promise<MfaDeleteAssociation> =>
  acknowledged(context, { method: 'DELETE', path: paths.emailAssociate, auth: context.getToken(), call })

export const deleteFaceMfa = (context: ClientContext, call?: CallOptions): Promise<MfaDeleteAssociation> =>
  acknowledged(context, { method: 'DELETE', path: paths.faceAssociate, auth: context.getToken(), call })
