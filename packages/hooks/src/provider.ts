import { createElement, useContext, useEffect, useMemo, useRef } from './peer'
import type { ReactNode } from 'react'
import { QueryClient, QueryClientContext } from './peer-query'
import type { MfaClient } from '@mfa-kit/client'
import { MfaContext } from './context'
import type { MfaContextValue } from './context'
import { mfaKeys } from './query-options'

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
  children?: ReactNode
}

/**
 * Makes an {@link MfaClient} available to the hooks. MFA queries are dropped from the cache
 * whenever the client's access token changes (sign-in, sign-out), so no user sees another's data.
 */
export function MfaProvider({ client, queryClient, now = Date.now, children }: MfaProviderProps): ReactNode {
  const ambient = useContext(QueryClientContext)
  const own = useRef<QueryClient | null>(null)
  const qc = queryClient ?? ambient ?? (own.current ??= new QueryClient())

  useEffect(() => {
    qc.mount()
    const off = client.onTokenChange(() => qc.removeQueries({ queryKey: mfaKeys.all }))
    return () => {
      off()
      qc.unmount()
    }
  }, [qc, client])

  const value = useMemo<MfaContextValue>(() => ({ client, queryClient: qc, now }), [client, qc, now])
  return createElement(MfaContext.Provider, { value }, children)
}

/** The provider's client, QueryClient and clock. Throws outside `<MfaProvider>`. */
export function useMfaContext(): MfaContextValue {
  const ctx = useContext(MfaContext)
  if (!ctx) throw new Error('MFA hooks need an <MfaProvider client> above them')
  return ctx
}

/** The {@link MfaClient} of the nearest `<MfaProvider>`. Throws a clear error outside one. */
export function useMfaClient(): MfaClient {
  return useMfaContext().client
}
