/**
 * Sign-in and registration over Authing's GraphQL endpoint. Loaded on the first `client.auth`
 * call, so apps that only use `client.mfa` never download it; the RSA code for passwords is a
 * further chunk of its own.
 */
import { paths, type User, type WellKnown } from '@mfa-kit/protocol'
import { MfaError, isMfaError } from './errors'
import type { ClientContext } from './context'
import { errorFromPayload, isObj, unwrapEnvelope } from './transport'
import { normalizeTrigger } from './trigger'
import type {
  CallOptions,
  LoginByPhoneCodeOptions,
  LoginByPhonePasswordOptions,
  LoginOptions,
  LoginResult,
  RegisterByUsernameProfile,
  RegisterOptions,
  RegisterProfile,
} from './types'

const USER_FIELDS =
  'id arn userPoolId status username email emailVerified phone phoneVerified phoneCountryCode nickname photo name token tokenExpiredAt loginsCount lastLogin signedUp createdAt updatedAt'

const mutation = (op: string): string =>
  `mutation ${op}($input: ${op[0]?.toUpperCase()}${op.slice(1)}Input!) { ${op}(input: $input) { ${USER_FIELDS} } }`

/** Sends a GraphQL operation and returns `data[field]`. Authing's errors carry `{code, message, data}` as `message`. */
function graphql<T>(c: ClientContext, field: string, query: string, variables: object, call: CallOptions | undefined): Promise<T> {
  return c.transport.request(
    { method: 'POST', path: paths.graphql, body: { query, variables }, auth: c.getToken(), call },
    (body, res): T => {
      if (!isObj(body)) return unwrapEnvelope<T>(body, res)
      const err: unknown = Array.isArray(body.errors) ? body.errors[0] : undefined
      if (isObj(err)) {
        if (isObj(err.message)) throw errorFromPayload(err.message, res)
        throw new MfaError('unknown', String(err.message ?? 'GraphQL error'), { status: res.status, data: body.errors })
      }
      if (isObj(body.data) && field in body.data) return body.data[field] as T
      if (typeof body.code === 'number' && body.code !== 200) throw errorFromPayload(body, res)
      throw new MfaError('bad_response', `Reply has no data.${field}`, { status: res.status, data: body })
    },
  )
}

/** Splits the per-call controls from the fields that go on the wire. */
function split<T extends CallOptions>(o: T | undefined): [CallOptions, Omit<T, keyof CallOptions>] {
  const { signal, timeoutMs, ...rest } = o ?? ({} as T)
  return [{ signal, timeoutMs }, rest]
}

const keys = new WeakMap<ClientContext, Promise<string>>()

/** Fetches (once per client) the public key and encrypts the password with RSA PKCS#1 v1.5. */
async function encrypt(c: ClientContext, password: string, call: CallOptions): Promise<string> {
  let key = keys.get(c)
  if (!key) {
    key = c.options.publicKey
      ? Promise.resolve(c.options.publicKey)
      : c.transport.rest<WellKnown>({ method: 'GET', path: paths.wellKnown, call }).then((r) => r.data.publicKey)
    keys.set(c, key)
  }
  const lib = import('./rsa').catch((cause: unknown) => {
    throw new MfaError('network', 'Could not load password encryption', { cause })
  })
  let pem: string
  try {
    pem = await key
  } catch (e) {
    if (keys.get(c) === key) keys.delete(c)
    throw e
  }
  const { encryptPassword } = await lib
  try {
    return encryptPassword(password, pem)
  } catch (cause) {
    if (cause instanceof RangeError) throw new MfaError('invalid_request', 'The password is too long', { cause })
    throw new MfaError('bad_response', 'The server sent an unusable password-encryption key', { cause })
  }
}

/** Runs a GraphQL login mutation; codes 1635 and 1636 become an `mfa_required` result. */
async function login(c: ClientContext, op: string, input: Record<string, unknown>, call: CallOptions): Promise<LoginResult> {
  if (typeof input.password === 'string') input.password = await encrypt(c, input.password, call)
  let user: unknown
  try {
    user = await graphql(c, op, mutation(op), { input }, call)
  } catch (e) {
    if (isMfaError(e) && (e.authingCode === 1635 || e.authingCode === 1636)) {
      const trigger = normalizeTrigger(e.authingCode, e.data)
      c.setPending(trigger.mfaToken)
      return { status: 'mfa_required', mfaToken: trigger.mfaToken, trigger }
    }
    throw e
  }
  return { status: 'authenticated', user: c.finish(user) }
}

export const loginByEmail = (c: ClientContext, email: string, password: string, o?: LoginOptions): Promise<LoginResult> => {
  const [call, extra] = split(o)
  return login(c, 'loginByEmail', { email, password, ...extra }, call)
}

export const loginByUsername = (c: ClientContext, username: string, password: string, o?: LoginOptions): Promise<LoginResult> => {
  const [call, extra] = split(o)
  return login(c, 'loginByUsername', { username, password, ...extra }, call)
}

export const loginByPhonePassword = (
  c: ClientContext,
  phone: string,
  password: string,
  o?: LoginByPhonePasswordOptions,
): Promise<LoginResult> => {
  const [call, extra] = split(o)
  return login(c, 'loginByPhonePassword', { phone, password, ...extra }, call)
}

export const loginByPhoneCode = (c: ClientContext, phone: string, code: string, o?: LoginByPhoneCodeOptions): Promise<LoginResult> => {
  const [call, extra] = split(o)
  return login(c, 'loginByPhoneCode', { phone, code, ...extra }, call)
}

async function register(c: ClientContext, op: string, input: Record<string, unknown>, o: RegisterOptions | undefined): Promise<User> {
  const [call, extra] = split(o)
  input.password = await encrypt(c, String(input.password), call)
  const user = await graphql<User | null>(c, op, mutation(op), { input: { ...input, ...extra } }, call)
  if (typeof user !== 'object' || user === null) throw new MfaError('bad_response', 'Registration returned no user', { data: user })
  if (typeof user.token === 'string' && user.token) c.setToken(user.token)
  return user
}

export const registerByEmail = (c: ClientContext, email: string, password: string, profile?: RegisterProfile, o?: RegisterOptions): Promise<User> =>
  register(c, 'registerByEmail', { email, password, profile }, o)

export const registerByUsername = (
  c: ClientContext,
  username: string,
  password: string,
  profile?: RegisterByUsernameProfile,
  o?: RegisterOptions,
): Promise<User> => register(c, 'registerByUsername', { username, password, profile }, o)

export async function getCurrentUser(c: ClientContext, call?: CallOptions): Promise<User | null> {
  const token = c.getToken()
  if (!token) return null
  try {
    return await graphql<User | null>(c, 'user', `query user { user { ${USER_FIELDS} } }`, {}, call)
  } catch (e) {
    if (isMfaError(e, 'unauthenticated')) return null
    throw e
  }
}
