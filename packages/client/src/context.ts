import type { User } from '@mfa-kit/protocol'
import type { Transport } from './transport'
import type { MfaClientOptions, MfaTokenOptions, TotpSourceOptions } from './types'

/** What the lazily loaded parts of a client share with it. Internal. */
export interface ClientContext {
  options: MfaClientOptions
  transport: Transport
  getToken(): string | null
  setToken(token: string | null): void
  /** Remembers the mfaToken of a login that answered `mfa_required`. */
  setPendingMfaToken(mfaToken: string | null): void
  /** Takes the token of a user who just signed in; throws when the reply carries none. */
  finish<U>(user: U): U & User
  /** The credential for a login-time call: the given mfaToken, the pending one, or the access token. */
  loginCredential(options: MfaTokenOptions | undefined): string | null
  /** The credential for a call that serves both sources: the pending mfaToken only for `APPLICATION`. */
  sourceCredential(options: TotpSourceOptions | undefined): string | null
}

/** True when `user` is a user object carrying a non-empty access token. */
export const hasToken = (user: unknown): user is User & { token: string } =>
  typeof user === 'object' && user !== null && typeof (user as User).token === 'string' && !!(user as User).token

export type Json = Record<string, unknown>

/** True for a plain object (not `null`, not an array). */
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
