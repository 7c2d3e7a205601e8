import { createElement, useContext, useEffect, useMemo, useRef } from './peer'
import type { ReactNode } from 'react'
import { QueryClient, QueryClientContext } from './peer-query'
import type { MfaClient } from '@mfa-kit/client'
import { MfaContext } from './context'
import type { MfaContextValue } from './context'
import { mfaKeys } from './query-options'
import { createSessionStore } from './session/session-store'
import type { TokenStore } from './session/session-store'
import { warnOnce } from './utils/dev'

export interface MfaProviderProps {
  /** The client every hook below talks through. */
  client: MfaClient
  /**
   * The QueryClient to keep MFA queries in. Defaults to the one of a surrounding
   * `<QueryClientProvider>`, else one the provider makes. Either way the provider never
   * replaces your app's QueryClient for the components below it.
   */
  queryClient?: QueryClient
  /** The clock countdowns read, in epoch ms. Tests pass a fake one. @default Date.now */
  now?: () => number
  /**
   * Where to keep the access token between page loads. With one, a reload restores the user
   * through the current-user query. Pass the same object on every render. @default memory only
   */
  tokenStore?: TokenStore
  children?: ReactNode
}

/**
 * Makes an {@link MfaClient} available to the hooks and holds the session. MFA queries are dropped
 * from the cache whenever the client's access token changes (sign-in, sign-out), so no user sees
 * another's data.
 */
export function MfaProvider({ client, queryClient, now = Date.now, tokenStore, children }: MfaProviderProps): ReactNode {
  const ambient = useContext(QueryClientContext)
  const own = useRef<QueryClient | null>(null)
  if (!queryClient && !ambient && !own.current) own.current = new QueryClient()
  const qc = queryClient ?? ambient ?? own.current!
  const hasTokenStore = !!tokenStore
  const session = useMemo(() => createSessionStore(client, hasTokenStore), [client, hasTokenStore])

  const latestTokenStore = useRef(tokenStore)
  latestTokenStore.current = tokenStore
  const firstClient = useRef(client)
  if (process.env.NODE_ENV !== 'production' && firstClient.current !== client) {
    firstClient.current = client
    warnOnce('<MfaProvider> got a new client. Create the client once, outside the component, or every render starts over.')
  }

  useEffect(() => {
    qc.mount()
    const off = client.onTokenChange(() => qc.removeQueries({ queryKey: mfaKeys.all }))
    // Read once per client: a new object for the same store must not restore again.
    const disconnect = session.connect(latestTokenStore.current)
    return () => {
      disconnect()
      off()
      qc.unmount()
    }
  }, [qc, client, session])

  const value = useMemo<MfaContextValue>(() => ({ client, queryClient: qc, now, session }), [client, qc, now, session])
  return createElement(MfaContext.Provider, { value }, children)
}

/** The provider's client, QueryClient, clock and session. Throws outside `<MfaProvider>`. */
export function useMfaContext(): MfaContextValue {
  const ctx = useContext(MfaContext)
  if (!ctx) throw new Error('MFA hooks need an <MfaProvider client> above them')
  return ctx
}

/** The {@link MfaClient} of the nearest `<MfaProvider>`. Throws a clear error outside one. */
export function useMfaClient(): MfaClient {
  return useMfaContext().client
}
