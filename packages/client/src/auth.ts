/**
 * Sign-in, registration and the session over Authing's GraphQL endpoint. Loaded on the first
 * `client.auth` call, so apps that only use `client.mfa` never download it; the RSA code for
 * passwords is a further chunk of its own.
 */
import { AuthingCode, paths, type EmailScene, type SendResult, type User } from '@mfa-kit/protocol'
import { hasToken, isObject, type ClientContext } from './context'
import { MfaError, isMfaError } from './errors'
import { checkPasswordStrength, encryptPassword } from './password'
import { errorFromPayload, unwrapEnvelope } from './envelope'
import { normalizeTrigger } from './trigger'
import type {
  CallOptions,
  LoginByPhoneCodeOptions,
  LoginByPhonePasswordOptions,
  LoginOptions,
  LoginResult,
  MfaTriggerCode,
  RegisterByPhoneCodeOptions,
  RegisterByPhoneCodeProfile,
  RegisterByUsernameProfile,
  RegisterOptions,
  RegisterProfile,
  RegisterResult,
  SendSmsCodeOptions,
} from './types'

const USER_FIELDS =
  'id arn userPoolId status username email emailVerified phone phoneVerified phoneCountryCode nickname photo name token tokenExpiredAt loginsCount lastLogin signedUp createdAt updatedAt'

/** `mutation loginByEmail($input: LoginByEmailInput!) { loginByEmail(input: $input) { …user } }` */
const mutationFor = (operation: string): string =>
  `mutation ${operation}($input: ${operation[0]?.toUpperCase()}${operation.slice(1)}Input!) { ${operation}(input: $input) { ${USER_FIELDS} } }`

/** Sends a GraphQL operation and returns `data[field]`. Authing's errors carry `{code, message, data}` as `message`. */
function graphql<T>(context: ClientContext, field: string, query: string, variables: object, call: CallOptions | undefined): Promise<T> {
  return context.transport.request(
    { method: 'POST', path: paths.graphql, body: { query, variables }, auth: context.getToken(), call },
    (body, response): T => {
      if (!isObject(body)) return unwrapEnvelope<T>(body, response)
      const firstError: unknown = Array.isArray(body.errors) ? body.errors[0] : undefined
      if (isObject(firstError)) {
        if (isObject(firstError.message)) throw errorFromPayload(firstError.message, response)
        throw new MfaError('unknown', String(firstError.message ?? 'GraphQL error'), { status: response.status, data: body.errors })
      }
      if (isObject(body.data) && field in body.data) return body.data[field] as T
      if (typeof body.code === 'number' && body.code !== AuthingCode.OK) throw errorFromPayload(body, response)
      throw new MfaError('bad_response', `Reply has no data.${field}`, { status: response.status, data: body })
    },
  )
}

/** Splits the per-call controls from the fields that go on the wire. */
function splitCallOptions<T extends CallOptions>(options: T | undefined): [CallOptions, Omit<T, keyof CallOptions>] {
  const { signal, timeoutMs, ...wireFields } = options ?? ({} as T)
  return [{ signal, timeoutMs }, wireFields]
}

const isMfaRequired = (error: unknown): error is MfaError & { authingCode: MfaTriggerCode } =>
  isMfaError(error) && (error.authingCode === AuthingCode.MFA_TOTP_REQUIRED || error.authingCode === AuthingCode.MFA_APP_REQUIRED)

/**
 * Runs a mutation that answers with a user. The MFA codes (1635, 1636) become an `mfa_required`
 * result; a user with a token signs in; a user without one must sign in.
 */
async function userMutation(
  context: ClientContext,
  operation: string,
  input: Record<string, unknown>,
  call: CallOptions,
): Promise<RegisterResult> {
  let user: unknown
  try {
    user = await graphql(context, operation, mutationFor(operation), { input }, call)
  } catch (error) {
    if (!isMfaRequired(error)) throw error
    const trigger = normalizeTrigger(error.authingCode, error.data)
    context.setPendingMfaToken(trigger.mfaToken)
    return { status: 'mfa_required', mfaToken: trigger.mfaToken, trigger }
  }
  if (hasToken(user)) return { status: 'authenticated', user: context.finish(user) }
  if (!isObject(user)) throw new MfaError('bad_response', `${operation} returned no user`, { data: user })
  return { status: 'sign_in_required', user: user as User }
}

async function login(context: ClientContext, operation: string, input: Record<string, unknown>, call: CallOptions): Promise<LoginResult> {
  if (typeof input.password === 'string') input.password = await encryptPassword(context, input.password, call)
  const result = await userMutation(context, operation, input, call)
  if (result.status === 'sign_in_required')
    throw new MfaError('bad_response', 'The server accepted the sign-in but sent no token', { data: result.user })
  return result
}

export const loginByEmail = (context: ClientContext, email: string, password: string, options?: LoginOptions): Promise<LoginResult> => {
  const [call, wireFields] = splitCallOptions(options)
  return login(context, 'loginByEmail', { email, password, ...wireFields }, call)
}

export const loginByUsername = (
  context: ClientContext,
  username: string,
  password: string,
  options?: LoginOptions,
): Promise<LoginResult> => {
  const [call, wireFields] = splitCallOptions(options)
  return login(context, 'loginByUsername', { username, password, ...wireFields }, call)
}

export const loginByPhonePassword = (
  context: ClientContext,
  phone: string,
  password: string,
  options?: LoginByPhonePasswordOptions,
): Promise<LoginResult> => {
  const [call, wireFields] = splitCallOptions(options)
  return login(context, 'loginByPhonePassword', { phone, password, ...wireFields }, call)
}

export const loginByPhoneCode = (
  context: ClientContext,
  phone: string,
  code: string,
  options?: LoginByPhoneCodeOptions,
): Promise<LoginResult> => {
  const [call, wireFields] = splitCallOptions(options)
  return login(context, 'loginByPhoneCode', { phone, code, ...wireFields }, call)
}

/** Registers: the password is checked locally, then encrypted; the answer is a {@link RegisterResult}. */
async function register(
  context: ClientContext,
  operation: string,
  input: Record<string, unknown>,
  options: RegisterOptions | undefined,
): Promise<RegisterResult> {
  const [call, wireFields] = splitCallOptions(options)
  if (typeof input.password === 'string') {
    checkPasswordStrength(context, input.password)
    input.password = await encryptPassword(context, input.password, call)
  }
  return userMutation(context, operation, { ...input, ...wireFields }, call)
}

export const registerByEmail = (
  context: ClientContext,
  email: string,
  password: string,
  profile?: RegisterProfile,
  options?: RegisterOptions,
): Promise<RegisterResult> => register(context, 'registerByEmail', { email, password, profile }, options)

export const registerByUsername = (
  context: ClientContext,
  username: string,
  password: string,
  profile?: RegisterByUsernameProfile,
  options?: RegisterOptions,
): Promise<RegisterResult> => register(context, 'registerByUsername', { username, password, profile }, options)

export const registerByPhoneCode = (
  context: ClientContext,
  phone: string,
  code: string,
  password?: string,
  profile?: RegisterByPhoneCodeProfile,
  options?: RegisterByPhoneCodeOptions,
): Promise<RegisterResult> => register(context, 'registerByPhoneCode', { phone, code, password, profile }, options)

export async function getCurrentUser(context: ClientContext, call?: CallOptions): Promise<User | null> {
  if (!context.getToken()) return null
  try {
    return await graphql<User | null>(context, 'user', `query user { user { ${USER_FIELDS} } }`, {}, call)
  } catch (error) {
    if (isMfaError(error, 'unauthenticated')) return null
    throw error
  }
}

export async function logout(context: ClientContext, call?: CallOptions): Promise<void> {
  const token = context.getToken()
  if (!token) return
  try {
    await context.transport.rest({ method: 'GET', path: paths.logout, query: { app_id: context.options.appId }, auth: token, call })
  } catch (error) {
    // A token the server no longer accepts is as signed out as a revoked one.
    if (!isMfaError(error, 'unauthenticated')) throw error
  } finally {
    // Only this token: a sign-in that finished meanwhile keeps its own.
    if (context.getToken() === token) context.setToken(null)
  }
}

export const sendSmsCode = (context: ClientContext, phone: string, options?: SendSmsCodeOptions): Promise<SendResult> =>
  context.transport
    .rest<SendResult>({
      method: 'POST',
      path: paths.smsSend,
      body: { phone, phoneCountryCode: options?.phoneCountryCode, scene: options?.scene ?? 'mfa-verify' },
      auth: context.getToken(),
      call: options,
    })
    .then((reply) => reply.data)

export const sendEmailCode = (
  context: ClientContext,
  email: string,
  scene: EmailScene = 'MFA_VERIFY_CODE',
  call?: CallOptions,
): Promise<SendResult> =>
  context.transport
    .rest<SendResult>({ method: 'POST', path: paths.emailSend, body: { email, scene }, auth: context.getToken(), call })
    .then((reply) => reply.data)
