import { useSyncExternalStore } from '../peer'
import type { MfaError, User } from '@mfa-kit/client'
import { useMfaContext } from '../provider'
import type { MfaSessionState, MfaSessionStatus } from './session.reducer'

/** The session in one status, with `data.user` narrowed to match. */
export type MfaSessionSnapshot =
  | { status: 'signed_in'; error: null; data: { user: User } }
  | { status: Exclude<MfaSessionStatus, 'signed_in'>; error: MfaError | null; data: { user: null } }

export type UseMfaSessionResult = MfaSessionSnapshot & {
  /**
   * Records a signed-in user. The login, sign-up, challenge and factor hooks call it when they
   * finish; call it yourself only for a sign-in that happened outside them.
   */
  signIn: (user: User) => void
  /** Revokes the token on the server, forgets it here, and resolves to the new snapshot. */
  signOut: () => Promise<MfaSessionSnapshot>
  /** Reads the current user again, e.g. to retry a restore that could not reach the server. */
  refresh: () => Promise<MfaSessionSnapshot>
}

const snapshotOf = ({ status, error, user }: MfaSessionState) => ({ status, error, data: { user } }) as MfaSessionSnapshot

/**
 * The signed-in user, in one place: `restoring` while a stored token is checked (see the
 * provider's `tokenStore`), then `signed_in` with `data.user`, or `signed_out`.
 */
export function useMfaSession(): UseMfaSessionResult {
  const { session } = useMfaContext()
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot)
  return {
    ...snapshotOf(state),
    signIn: session.signIn,
    signOut: () => session.signOut().then(snapshotOf),
    refresh: () => session.refresh().then(snapshotOf),
  }
}
