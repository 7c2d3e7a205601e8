import type { MfaClient, MfaError, User } from '@mfa-kit/client'
import { toMfaError } from '../utils/flow'
import { mfaSessionReducer, signedOut } from './session.reducer'
import type { MfaSessionEvent, MfaSessionState } from './session.reducer'

/**
 * Where the provider keeps the access token between page loads: anything with `get` and `set`,
 * e.g. the place the app already keeps its sessions. Only the access token is ever stored; the
 * mfaToken of a login in progress never is.
 */
export interface TokenStore {
  /** The stored token, or `null`. Read once, after the provider mounts. */
  get(): string | null
  /** Called with each new token, and with `null` on sign-out. */
  set(token: string | null): void
}

/** A store that keeps the token in memory only: a reload signs the user out. The default. */
export function memoryTokenStore(): TokenStore {
  let token: string | null = null
  return {
    get: () => token,
    set: (next) => {
      token = next
    },
  }
}

export interface SessionStore {
  getSnapshot(): MfaSessionState
  subscribe(listener: () => void): () => void
  /** Records that `user` is signed in (its token, when it has one, goes to the client). */
  signIn(user: User): void
  /** Ends the session on the server and here; resolves once both are done. */
  signOut(): Promise<MfaSessionState>
  /** Reads the current user again (after a reload, or to retry a restore that could not reach the server). */
  refresh(): Promise<MfaSessionState>
  /**
   * Starts following the client: restores the session from `tokenStore` (or the client's own
   * token), persists every new token there, and signs out when the token is cleared. Returns
   * the function that stops.
   */
  connect(tokenStore: TokenStore | undefined): () => void
}

/** The one place that knows who is signed in, for `useMfaSession()`. */
export function createSessionStore(client: MfaClient, hasTokenStore: boolean): SessionStore {
  // Without a store and without a token there is nothing to restore: signed out from the first render.
  let state: MfaSessionState = hasTokenStore || client.getToken() ? { status: 'restoring', user: null, error: null } : signedOut
  const listeners = new Set<() => void>()
  const dispatch = (event: MfaSessionEvent): MfaSessionState => {
    const next = mfaSessionReducer(state, event)
    if (next !== state) {
      state = next
      for (const listener of listeners) listener()
    }
    return state
  }

  let inFlight: { token: string; done: Promise<MfaSessionState> } | null = null

  /** Reads the current user for the client's token; one request per token at a time. */
  function refresh(): Promise<MfaSessionState> {
    const token = client.getToken()
    if (!token) return Promise.resolve(dispatch({ type: 'sign_out', error: null }))
    if (inFlight?.token === token) return inFlight.done
    if (state.status !== 'signed_in') dispatch({ type: 'restore' })
    const done = client.auth.getCurrentUser().then(
      (user) => {
        // A sign-in or sign-out that happened meanwhile wins.
        if (client.getToken() !== token) return state
        if (!user) {
          // The server no longer accepts the token: forget it.
          client.setToken(null)
          return dispatch({ type: 'sign_out', error: null })
        }
        return dispatch(state.status === 'restoring' ? { type: 'restored', user } : { type: 'sign_in', user })
      },
      (error: unknown) => dispatch({ type: 'restore_failed', error: toMfaError(error) }),
    )
    inFlight = { token, done }
    void done.finally(() => {
      if (inFlight?.done === done) inFlight = null
    })
    return done
  }

  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    signIn(user) {
      if (user.token) client.setToken(user.token)
      dispatch({ type: 'sign_in', user })
    },
    async signOut() {
      let error: MfaError | null = null
      try {
        await client.auth.logout()
      } catch (e) {
        // The token is gone here whatever the server said; the error tells the app it may still be valid there.
        error = toMfaError(e)
      }
      return dispatch({ type: 'sign_out', error })
    },
    refresh,
    connect(tokenStore) {
      const stopPersisting = tokenStore ? client.onTokenChange((token) => tokenStore.set(token)) : () => {}
      const stopFollowing = client.onTokenChange((token) => {
        if (!token && state.status !== 'signed_out') dispatch({ type: 'sign_out', error: null })
      })
      const stored = tokenStore?.get()
      if (stored && !client.getToken()) client.setToken(stored)
      if (state.status === 'restoring' || (state.status === 'signed_out' && client.getToken())) void refresh()
      return () => {
        stopPersisting()
        stopFollowing()
      }
    },
  }
}
