import { paths, type User } from '@mfa-kit/protocol'
import { hasToken, type ClientContext } from './context'
import { MfaError } from './errors'
import { createTransport, type RestRequest } from './transport'
import type { AuthApi, MfaApi, MfaClient, MfaClientOptions, MfaTokenOptions, TokenListener, UserWithRecoveryCode } from './types'

type AuthModule = typeof import('./auth')
type AccountModule = typeof import('./account')
type FaceModule = typeof import('./face')
/** The functions of a lazily loaded module: each takes the client context first. */
type ContextFunctions<M> = {
  [K in keyof M]: M[K] extends (context: ClientContext, ...args: infer A) => infer R ? (...args: A) => R : never
}

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
  let pendingMfaToken: string | null = null

  const setToken = (next: string | null): void => {
    next ||= null
    if (next === token) return
    token = next
    for (const listener of listeners) {
      try {
        listener(next)
      } catch (error) {
        // A failing listener must not turn a completed sign-in into a failed call.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  /** A sign-in or verification succeeded: its user carries the new access token. */
  const finish = <U>(user: U): U & User => {
    if (!hasToken(user)) throw new MfaError('bad_response', 'The server accepted the request but sent no token', { data: user })
    pendingMfaToken = null
    setToken(user.token)
    return user
  }

  const context: ClientContext = {
    options,
    transport,
    getToken: () => token,
    setToken,
    setPendingMfaToken: (mfaToken) => {
      pendingMfaToken = mfaToken
    },
    finish,
    loginCredential: (call) => call?.mfaToken || pendingMfaToken || token,
    sourceCredential: (call) => call?.mfaToken || (call?.source === 'APPLICATION' && pendingMfaToken) || token,
  }

  const rest = async <T>(request: RestRequest): Promise<T> => (await transport.rest<T>(request)).data

  /** Finishes a login with a proof of the second factor: the user it answers with is signed in. */
  const verify = (path: string, input: MfaTokenOptions, body: object): Promise<User> =>
    rest<User>({ method: 'POST', path, body, auth: context.loginCredential(input), call: input }).then(finish)

  /**
   * A function of a module loaded on first use (`auth`, `account`), bound to this client. A failed
   * load rejects with `network`, and the next call tries again.
   */
  const lazily =
    <M>(load: () => Promise<M>, what: string) =>
    <K extends keyof M>(name: K): ContextFunctions<M>[K] =>
      ((...args: unknown[]) =>
        load().then(
          (module) => (module[name] as (context: ClientContext, ...rest: unknown[]) => unknown)(context, ...args),
          (cause: unknown) => {
            throw new MfaError('network', `Could not load ${what}`, { cause })
          },
        )) as ContextFunctions<M>[K]
  const fromAuth = lazily<AuthModule>(() => import('./auth'), 'the sign-in module')
  const fromAccount = lazily<AccountModule>(() => import('./account'), 'the account module')
  const fromFace = lazily<FaceModule>(() => import('./face'), 'the face module')

  const verifySms: MfaApi['verifyAppSmsMfa'] = (input) =>
    verify(paths.applicationSmsVerify, input, { phone: input.phone, code: input.code, phoneCountryCode: input.phoneCountryCode })

  const mfa: MfaApi = {
    getMfaAuthenticators: fromAccount('getMfaAuthenticators'),
    assosicateMfaAuthenticator: fromAccount('associateMfaAuthenticator'),
    associateMfaAuthenticator: fromAccount('associateMfaAuthenticator'),
    confirmAssosicateMfaAuthenticator: fromAccount('confirmAssociateMfaAuthenticator'),
    confirmAssociateMfaAuthenticator: fromAccount('confirmAssociateMfaAuthenticator'),
    deleteMfaAuthenticator: fromAccount('deleteMfaAuthenticator'),
    verifyTotpMfa: (input) => verify(paths.totpVerify, input, { totp: input.totp }),
    verifyTotpRecoveryCode: async (input) => {
      const { data, body } = await transport.rest<User>({
        method: 'POST',
        path: paths.totpRecovery,
        body: { recoveryCode: 'recoveryCode' in input ? input.recoveryCode : input.totp },
        auth: context.loginCredential(input),
        call: input,
      })
      const { recoveryCode } = body
      return Object.defineProperty(finish(data), 'recoveryCode', {
        value: typeof recoveryCode === 'string' ? recoveryCode : '',
      }) as UserWithRecoveryCode
    },
    verifyAppSmsMfa: verifySms,
    verifySmsMfa: verifySms,
    verifyAppEmailMfa: (input) => verify(paths.applicationEmailVerify, input, { email: input.email, code: input.code }),
    phoneOrEmailBindable: fromAccount('phoneOrEmailBindable'),
    getReverificationOptions: fromAccount('getReverificationOptions'),
    sendReverificationCode: fromAccount('sendReverificationCode'),
    reverify: fromAccount('reverify'),
    regenerateRecoveryCode: fromAccount('regenerateRecoveryCode'),
    associateSmsMfa: fromAccount('associateSmsMfa'),
    deleteSmsMfa: fromAccount('deleteSmsMfa'),
    associateEmailMfa: fromAccount('associateEmailMfa'),
    deleteEmailMfa: fromAccount('deleteEmailMfa'),
    associateFaceByUrl: fromFace('associateFaceByUrl'),
    associateFaceByBlob: fromFace('associateFaceByBlob'),
    associateFaceByLocalFile: fromFace('associateFaceByLocalFile'),
    verifyFaceMfa: (photo, mfaToken, call) => verify(paths.faceVerify, { ...call, mfaToken }, { photo }),
    uploadFace: fromFace('uploadFace'),
    deleteFaceMfa: fromAccount('deleteFaceMfa'),
  }

  const auth: AuthApi = {
    loginByEmail: fromAuth('loginByEmail'),
    loginByUsername: fromAuth('loginByUsername'),
    loginByPhonePassword: fromAuth('loginByPhonePassword'),
    loginByPhoneCode: fromAuth('loginByPhoneCode'),
    registerByEmail: fromAuth('registerByEmail'),
    registerByUsername: fromAuth('registerByUsername'),
    registerByPhoneCode: fromAuth('registerByPhoneCode'),
    getCurrentUser: fromAuth('getCurrentUser'),
    logout: fromAuth('logout'),
    sendSmsCode: fromAuth('sendSmsCode'),
    sendEmailCode: fromAuth('sendEmailCode'),
  }

  return {
    mfa,
    auth,
    getToken: () => token,
    setToken,
    onTokenChange: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}
