import { queryOptions } from './peer-query'
import type { MutationOptions } from '@tanstack/react-query'
import type {
  AssociateEmailMfaOptions,
  AssociateMfaAuthenticatorOptions,
  AssociateSmsMfaOptions,
  CallOptions,
  ConfirmAssociateMfaAuthenticatorOptions,
  EmailScene,
  LoginByPhoneCodeOptions,
  LoginByPhonePasswordOptions,
  LoginOptions,
  LoginResult,
  MfaAssociation,
  MfaAuthenticators,
  MfaClient,
  MfaConfirmAssociation,
  MfaDeleteAssociation,
  MfaError,
  RecoveryCodeRegenerated,
  RegisterByPhoneCodeOptions,
  RegisterByPhoneCodeProfile,
  RegisterByUsernameProfile,
  RegisterOptions,
  RegisterProfile,
  RegisterResult,
  ReverificationOptions,
  ReverificationResult,
  ReverifyOptions,
  SendResult,
  SendReverificationCodeOptions,
  SendSmsCodeOptions,
  TotpSource,
  User,
  UserWithRecoveryCode,
  VerifyAppEmailMfaOptions,
  VerifyAppSmsMfaOptions,
  VerifyTotpMfaOptions,
  VerifyTotpRecoveryCodeOptions,
} from '@mfa-kit/client'

/** Which authenticators a list holds: TOTP only (Authing), or also the bound phone and email (`all`). */
export type AuthenticatorsType = 'totp' | 'all'

/**
 * Query and mutation keys. Keys never contain a token or a code: those travel in the function
 * closures only. Invalidate or remove `mfaKeys.all` to touch everything MFA.
 */
export const mfaKeys = {
  all: ['mfa'] as const,
  /** Every authenticator list, whatever its source and type. */
  authenticatorLists: ['mfa', 'authenticators'] as const,
  authenticators: (source: TotpSource = 'SELF', type: AuthenticatorsType = 'totp') => ['mfa', 'authenticators', source, type] as const,
  bindable: (target: { phone?: string; phoneCountryCode?: string; email?: string }) => ['mfa', 'bindable', target] as const,
  mutation: (name: string) => ['mfa', name] as const,
}

export interface MfaAuthenticatorsQueryInput {
  /** @default 'SELF' */
  source?: TotpSource
  /** Required for `APPLICATION`. */
  mfaToken?: string
  /** @default 'totp' */
  type?: AuthenticatorsType
}

/**
 * The authenticator list, for `useQuery`, `prefetchQuery` or `ensureQueryData`. No query retries:
 * the client already retries reads.
 */
export function mfaAuthenticatorsQueryOptions(
  client: MfaClient,
  { source = 'SELF', mfaToken, type = 'totp' }: MfaAuthenticatorsQueryInput = {},
) {
  return queryOptions<MfaAuthenticators, MfaError>({
    queryKey: mfaKeys.authenticators(source, type),
    queryFn: ({ signal }) => client.mfa.getMfaAuthenticators({ type, source, mfaToken, signal }),
    retry: false,
    networkMode: 'always',
  })
}

export interface MfaBindableQueryInput {
  mfaToken?: string
  phone?: string
  /** The calling code of `phone` (`+65`); the server's default when left out. */
  phoneCountryCode?: string
  email?: string
}

/** Whether a phone or email can be bound. Answers are kept a minute: the server limits checks. */
export function mfaBindableQueryOptions(client: MfaClient, { mfaToken, phone, phoneCountryCode, email }: MfaBindableQueryInput) {
  return queryOptions<boolean, MfaError>({
    queryKey: mfaKeys.bindable({ phone, phoneCountryCode, email }),
    queryFn: ({ signal }) => client.mfa.phoneOrEmailBindable({ mfaToken, phone, phoneCountryCode, email, signal }),
    retry: false,
    networkMode: 'always',
    staleTime: 60_000,
  })
}

/** Options for one MFA mutation: no retries, and nothing kept in the cache once it settles. */
export type MfaMutationOptions<R, V> = MutationOptions<R, MfaError, V> & {
  mutationKey: readonly unknown[]
  mutationFn: (variables: V) => Promise<R>
}

/**
 * Which login call, and its two arguments: `account` is the email, username or phone;
 * `secret` is the password, or the SMS code for `loginByPhoneCode`.
 */
export type LoginVariables = CallOptions & { account: string; secret: string } & (
    | { method: 'loginByEmail' | 'loginByUsername'; options?: LoginOptions }
    | { method: 'loginByPhonePassword'; options?: LoginByPhonePasswordOptions }
    | { method: 'loginByPhoneCode'; options?: LoginByPhoneCodeOptions }
  )

/**
 * Which registration call, and its arguments: `account` is the email, username or phone; `secret`
 * is the password, or the SMS code for `registerByPhoneCode` (whose password is then optional).
 */
export type RegisterVariables = CallOptions & { account: string; secret: string } & (
    | { method: 'registerByEmail'; profile?: RegisterProfile; options?: RegisterOptions }
    | { method: 'registerByUsername'; profile?: RegisterByUsernameProfile; options?: RegisterOptions }
    | { method: 'registerByPhoneCode'; password?: string; profile?: RegisterByPhoneCodeProfile; options?: RegisterByPhoneCodeOptions }
  )

export type SendSmsVariables = SendSmsCodeOptions & { phone: string }
export type SendEmailVariables = CallOptions & { email: string; scene?: EmailScene }

/** The client calls that change something, by the name of their client method. */
export interface MfaMutations {
  associateMfaAuthenticator: [AssociateMfaAuthenticatorOptions, MfaAssociation]
  confirmAssociateMfaAuthenticator: [ConfirmAssociateMfaAuthenticatorOptions, MfaConfirmAssociation]
  deleteMfaAuthenticator: [CallOptions, MfaDeleteAssociation]
  verifyTotpMfa: [VerifyTotpMfaOptions, User]
  verifyTotpRecoveryCode: [VerifyTotpRecoveryCodeOptions, UserWithRecoveryCode]
  verifyAppSmsMfa: [VerifyAppSmsMfaOptions, User]
  verifyAppEmailMfa: [VerifyAppEmailMfaOptions, User]
  sendSmsCode: [SendSmsVariables, SendResult]
  sendEmailCode: [SendEmailVariables, SendResult]
  login: [LoginVariables, LoginResult]
  register: [RegisterVariables, RegisterResult]
  logout: [CallOptions, undefined]
  sendReverificationCode: [SendReverificationCodeOptions, SendResult]
  reverify: [ReverifyOptions, ReverificationResult]
  regenerateRecoveryCode: [CallOptions, RecoveryCodeRegenerated]
  associateSmsMfa: [AssociateSmsMfaOptions, MfaConfirmAssociation]
  deleteSmsMfa: [CallOptions, MfaDeleteAssociation]
  associateEmailMfa: [AssociateEmailMfaOptions, MfaConfirmAssociation]
  deleteEmailMfa: [CallOptions, MfaDeleteAssociation]
}

export type MfaMutationName = keyof MfaMutations

/**
 * The options every MFA call a flow makes runs with: named for devtools, never retried (the client
 * retries reads itself), and not kept once settled.
 */
export function callOptions<V, R>(name: string, run: (variables: V) => Promise<R>): MfaMutationOptions<R, V> {
  return { mutationKey: mfaKeys.mutation(name), mutationFn: run, retry: false, gcTime: 0, networkMode: 'always' }
}

type Runner = (client: MfaClient, variables: never) => Promise<unknown>

// Calls whose client method is not `client.mfa[name](options)`.
const runners: Partial<Record<MfaMutationName, Runner>> = {
  sendSmsCode: (c, { phone, ...o }: SendSmsVariables) => c.auth.sendSmsCode(phone, o),
  sendEmailCode: (c, { email, scene, ...o }: SendEmailVariables) => c.auth.sendEmailCode(email, scene, o),
  login: (c, { method, account, secret, options, ...call }: LoginVariables) => c.auth[method](account, secret, { ...options, ...call }),
  register: (c, { method, account, secret, profile, options, signal, timeoutMs, ...phone }: RegisterVariables & { password?: string }) =>
    (c.auth[method] as (...args: unknown[]) => Promise<RegisterResult>)(
      account,
      secret,
      ...(method === 'registerByPhoneCode' ? [phone.password] : []),
      profile,
      { ...options, signal, timeoutMs },
    ),
  logout: (c, call: CallOptions) => c.auth.logout(call),
}

/**
 * Mutation options for one MFA write, named after its client method, for `useMutation` in
 * your own components: `useMutation(mfaMutationOptions(client, 'verifyTotpMfa'))`. The
 * variables are the method's options (`sendSmsCode`: `{ phone, ...options }`; `login`: see
 * {@link LoginVariables}; `register`: see {@link RegisterVariables}). Mutations never retry and
 * are not kept once settled.
 */
export function mfaMutationOptions<N extends MfaMutationName>(
  client: MfaClient,
  name: N,
): MfaMutationOptions<MfaMutations[N][1], MfaMutations[N][0]> {
  const run: Runner = runners[name] ?? ((c, variables) => (c.mfa[name as 'verifyTotpMfa'] as (v: never) => Promise<unknown>)(variables))
  return callOptions(name, (variables) => run(client, variables as never) as Promise<MfaMutations[N][1]>)
}

/** What the signed-in user can re-verify with; read fresh at each challenge, never cached. */
export const reverificationOptionsCall = (client: MfaClient) =>
  callOptions<CallOptions, ReverificationOptions>('getReverificationOptions', (call) => client.mfa.getReverificationOptions(call))
