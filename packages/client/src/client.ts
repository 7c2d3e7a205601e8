import { paths, type EmailScene, type MfaAssociation, type SendResult, type User } from '@mfa-kit/protocol'
import type { ClientContext } from './context'
import { MfaError } from './errors'
import { createTransport, type RestRequest } from './transport'
import type {
  AuthApi,
  MfaApi,
  MfaAuthenticators,
  MfaClient,
  MfaClientOptions,
  MfaConfirmAssociation,
  MfaTokenOptions,
  TokenListener,
  TotpSourceOptions,
  UserWithRecoveryCode,
} from './types'

const hasToken = (u: unknown): u is User & { token: string } =>
  typeof u === 'object' && u !== null && typeof (u as User).token === 'string' && !!(u as User).token

type AuthModule = typeof import('./auth')

/**
 * Creates a client for Authing's MFA protocol. It holds the access token in memory only; use
 * `onTokenChange` to persist it yourself if you need to.
 */
export function createMfaClient(options: MfaClientOptions): MfaClient {
  if (!options || typeof options.appHost !== 'string' || !options.appHost) {
    throw new MfaError('invalid_request', 'createMfaClient needs an appHost')
  }
  const transport = createTransport(options)
  const listeners = new Set<TokenListener>()
  if (options.onTokenChange) listeners.add(options.onTokenChange)
  let token: string | null = options.token || null
  /** mfaToken of the last login that answered `mfa_required`, in memory until it is used. */
  let pending: string | null = null

  const setToken = (next: string | null): void => {
    next ||= null
    if (next === token) return
    token = next
    for (const l of listeners) {
      try {
        l(next)
      } catch (e) {
        // A failing listener must not turn a completed sign-in into a failed call.
        queueMicrotask(() => {
          throw e
        })
      }
    }
  }

  /** A sign-in or verification succeeded: its user carries the new access token. */
  const finish = <U>(user: U): U & User => {
    if (!hasToken(user)) throw new MfaError('bad_response', 'The server accepted the request but sent no token', { data: user })
    pending = null
    setToken(user.token)
    return user
  }

  const ctx: ClientContext = {
    options,
    transport,
    getToken: () => token,
    setToken,
    setPending: (t) => void (pending = t),
    finish,
  }

  const rest = async <T>(req: RestRequest): Promise<T> => (await transport.rest<T>(req)).data

  /** The credential for a login-time call: the given mfaToken, the pending one, or the access token. */
  const mfaAuth = (o: MfaTokenOptions | undefined): string | null => o?.mfaToken || pending || token
  const sourceAuth = (o: TotpSourceOptions | undefined): string | null =>
    o?.mfaToken || (o?.source === 'APPLICATION' && pending) || token

  const verify = (path: string, o: MfaTokenOptions, body: object): Promise<User> =>
    rest<User>({ method: 'POST', path, body, auth: mfaAuth(o), call: o }).then(finish)

  const associate: MfaApi['assosicateMfaAuthenticator'] = (o = { authenticatorType: 'totp', source: 'SELF' }) =>
    rest<MfaAssociation>({
      method: 'POST',
      path: paths.totpAssociate,
      body: { authenticator_type: o.authenticatorType ?? 'totp', source: o.source },
      auth: sourceAuth(o),
      call: o,
    })

  const confirm: MfaApi['confirmAssosicateMfaAuthenticator'] = async (o) => {
    const { data, body } = await transport.rest<unknown>({
      method: 'POST',
      path: paths.totpAssociateConfirm,
      body: { authenticator_type: o.authenticatorType ?? 'totp', totp: o.totp, source: o.source },
      auth: sourceAuth(o),
      call: o,
    })
    const result: MfaConfirmAssociation = { code: 200, message: String(body.message ?? '') }
    if (hasToken(data)) result.user = finish(data)
    return result
  }

  const verifySms: MfaApi['verifyAppSmsMfa'] = (o) =>
    verify(paths.applicationSmsVerify, o, { phone: o.phone, code: o.code, phoneCountryCode: o.phoneCountryCode })

  const mfa: MfaApi = {
    getMfaAuthenticators: (o = { type: 'totp', source: 'SELF' }) =>
      rest<MfaAuthenticators>({
        method: 'GET',
        path: paths.authenticators,
        query: { type: o.type, source: o.source },
        auth: sourceAuth(o),
        call: o,
      }),
    assosicateMfaAuthenticator: associate,
    associateMfaAuthenticator: associate,
    confirmAssosicateMfaAuthenticator: confirm,
    confirmAssociateMfaAuthenticator: confirm,
    deleteMfaAuthenticator: async (call) => {
      const { body } = await transport.rest<unknown>({ method: 'DELETE', path: paths.totpAssociate, auth: token, call })
      return { code: 200, message: String(body.message ?? '') }
    },
    verifyTotpMfa: (o) => verify(paths.totpVerify, o, { totp: o.totp }),
    verifyTotpRecoveryCode: async (o) => {
      const { data, body } = await transport.rest<User>({
        method: 'POST',
        path: paths.totpRecovery,
        body: { recoveryCode: 'recoveryCode' in o ? o.recoveryCode : o.totp },
        auth: mfaAuth(o),
        call: o,
      })
      const code = body.recoveryCode
      return Object.defineProperty(finish(data), 'recoveryCode', { value: typeof code === 'string' ? code : '' }) as UserWithRecoveryCode
    },
    verifyAppSmsMfa: verifySms,
    verifySmsMfa: verifySms,
    verifyAppEmailMfa: (o) => verify(paths.applicationEmailVerify, o, { email: o.email, code: o.code }),
    phoneOrEmailBindable: (o) =>
      rest<boolean>({ method: 'POST', path: paths.applicationCheck, body: { phone: o.phone, email: o.email }, auth: mfaAuth(o), call: o }),
  }

  /** A `client.auth` method that loads the sign-in module on first use. */
  const lazy =
    <K extends Exclude<keyof AuthApi, 'sendSmsCode' | 'sendEmailCode'>>(
      k: K,
    ): AuthApi[K] =>
    ((...args: unknown[]) =>
      import('./auth').then(
        (m: AuthModule) => (m[k] as (c: ClientContext, ...a: unknown[]) => unknown)(ctx, ...args),
        (cause: unknown) => {
          throw new MfaError('network', 'Could not load the sign-in module', { cause })
        },
      )) as AuthApi[K]

  const auth: AuthApi = {
    loginByEmail: lazy('loginByEmail'),
    loginByUsername: lazy('loginByUsername'),
    loginByPhonePassword: lazy('loginByPhonePassword'),
    loginByPhoneCode: lazy('loginByPhoneCode'),
    registerByEmail: lazy('registerByEmail'),
    registerByUsername: lazy('registerByUsername'),
    getCurrentUser: lazy('getCurrentUser'),
    sendSmsCode: (phone, o) =>
      rest<SendResult>({
        method: 'POST',
        path: paths.smsSend,
        body: { phone, phoneCountryCode: o?.phoneCountryCode, scene: o?.scene ?? 'mfa-verify' },
        auth: token,
        call: o,
      }),
    sendEmailCode: (email, scene: EmailScene = 'MFA_VERIFY_CODE', call) =>
      rest<SendResult>({ method: 'POST', path: paths.emailSend, body: { email, scene }, auth: token, call }),
  }

  return {
    mfa,
    auth,
    getToken: () => token,
    setToken,
    onTokenChange: (l) => {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
  }
}
