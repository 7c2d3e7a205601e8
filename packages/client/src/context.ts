import type { User } from '@mfa-kit/protocol'
import type { Transport } from './transport'
import type { MfaClientOptions } from './types'

/** What the lazily loaded parts of a client share with it. Internal. */
export interface ClientContext {
  options: MfaClientOptions
  transport: Transport
  getToken(): string | null
  setToken(token: string | null): void
  /** Remembers the mfaToken of a login that answered `mfa_required`. */
  setPending(mfaToken: string | null): void
  /** Takes the token of a user who just signed in; throws when the reply carries none. */
  finish<U>(user: U): U & User
}
