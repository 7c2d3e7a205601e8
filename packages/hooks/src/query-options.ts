import { queryOptions } from './peer-query'
import type { MutationOptions } from '@tanstack/react-query'
import type {
  AssociateMfaAuthenticatorOptions,
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
  SendResult,
  SendSmsCodeOptions,
  TotpSource,
  User,
  UserWithRecoveryCode,
  VerifyAppEmailMfaOptions,
  VerifyAppSmsMfaOptions,
  VerifyTotpMfaOptions,
  VerifyTotpRecoveryCodeOptions,
} from '@mfa-kit/client'

/**
 * Query and mutation keys. Keys never contain a token or a code: those travel in the function
 * closures only. Invalidate or remove `mfaKeys.all` to touch everything MFA.
 */
export const mfaKeys = {
  all: ['mfa'] as const,
  authenticators: (source: TotpSource = 'SELF') => ['mfa', 'authenticators', source] as const,
  bindable: (target: { phone?: string; email?: string }) => ['mfa', 'bindable', target] as const,
  mutation: (name: string) => ['mfa', name] as const,
}

export interface MfaAuthenticatorsQueryInput {
  /** @default 'SELF' */
  source?: TotpSource
  /** Required for `APPLICATION`. */
  mfaToken?: string
}

/**
 * The authenticator list, for `useQuery`, `prefetchQuery` or `ensureQueryData`. No query retries:
 * the client already retries reads.
 */
export function mfaAuthenticatorsQueryOptions(client: MfaClient, { source = 'SELF', mfaToken }: MfaAuthenticatorsQueryInput = {}) {
  return queryOptions<MfaAuthenticators, MfaError>({
    queryKey: mfaKeys.authenticators(source),
    queryFn: ({ signal }) => client.mfa.getMfaAuthenticators({ type: 'totp', source, mfaToken, signal }),
    retry: false,
    networkMode: 'always',
  })
}

export interface MfaBindableQueryInput {
  mfaToken?: string
  phone?: string
  email?: string
}

/** Whether a phone or email can be bound. Answers are kept a minute: the server limits checks. */
export function mfaBindableQueryOptions(client: MfaClient, { mfaToken, phone, email }: MfaBindableQueryInput) {
  return queryOptions<boolean, MfaError>({
    queryKey: mfaKeys.bindable({ phone, email }),
    queryFn: ({ signal }) => client.mfa.phoneOrEmailBindable({ mfaToken, phone, email, signal }),
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
}

export type MfaMutationName = keyof MfaMutations

// Calls whose client method takes positional arguments; the rest take one options object.
const positional: Partial<Record<MfaMutationName, (client: MfaClient, v: never) => Promise<unknown>>> = {
  sendSmsCode: (c, { phone, ...o }: SendSmsVariables) => c.auth.sendSmsCode(phone, o),
  sendEmailCode: (c, { email, scene, ...o }: SendEmailVariables) => c.auth.sendEmailCode(email, scene, o),
  login: (c, { method, account, secret, options, ...call }: LoginVariables) => c.auth[method](account, secret, { ...options, ...call }),
}

/**
 * Mutation options for one MFA write, named after its client method, for `useMutation` in
 * your own components: `useMutation(mfaMutationOptions(client, 'verifyTotpMfa'))`. The
 * variables are the method's options (`sendSmsCode`: `{ phone, ...options }`; `login`: see
 * {@link LoginVariables}). Mutations never retry and are not kept once settled.
 */
export function mfaMutationOptions<N extends MfaMutationName>(
  client: MfaClient,
  name: N,
): MfaMutationOptions<MfaMutations[N][1], MfaMutations[N][0]> {
  const run = positional[name] ?? ((c: MfaClient, v: never) => (c.mfa[name as 'verifyTotpMfa'] as (v: never) => Promise<unknown>)(v))
  return {
    mutationKey: mfaKeys.mutation(name),
    mutationFn: (v) => run(client, v as never) as Promise<MfaMutations[N][1]>,
    retry: false,
    gcTime: 0,
    networkMode: 'always',
  }
}
