import type { MfaError, User } from '@mfa-kit/client'
import { on, transition } from '../utils/machine'
import type { Transitions } from '../utils/machine'

/**
 * `restoring`: a stored token is being checked (or the server could not be reached to check it;
 * `error` says so); `signed_in` with `user`; `signed_out`.
 */
export type MfaSessionStatus = 'restoring' | 'signed_in' | 'signed_out'

export interface MfaSessionState {
  status: MfaSessionStatus
  /** The signed-in user, when `signed_in`. */
  user: User | null
  /** Why the last restore or sign-out did not fully succeed, if it did not. */
  error: MfaError | null
}

export type MfaSessionEvent =
  | { type: 'restore' }
  | { type: 'restored'; user: User }
  | { type: 'restore_failed'; error: MfaError }
  | { type: 'sign_in'; user: User }
  | { type: 'sign_out'; error: MfaError | null }

export const signedOut: MfaSessionState = { status: 'signed_out', user: null, error: null }

const ANY = ['restoring', 'signed_in', 'signed_out'] as const

const transitions: Transitions<MfaSessionState, MfaSessionEvent> = {
  restore: on(ANY, 'restoring'),
  restored: on('restoring', 'signed_in'),
  restore_failed: on('restoring'),
  sign_in: on(ANY, 'signed_in'),
  sign_out: on(ANY, 'signed_out', (_, e) => ({ user: null, error: e.error })),
}

/**
 * The session machine: `restoring` while a stored token is checked, then `signed_in` or
 * `signed_out`; `sign_in` and `sign_out` apply in every status.
 */
export function mfaSessionReducer(state: MfaSessionState, event: MfaSessionEvent): MfaSessionState {
  return transition(transitions, state, event)
}
