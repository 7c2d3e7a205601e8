import { renderHook } from '@testing-library/react'
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { MfaProvider, useMfaClient, useMfaContext } from './provider'
import { mfaKeys } from './query-options'
import { createKit, failOnConsole } from './harness.testing'
import type { Kit } from './harness.testing'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

describe('MfaProvider', () => {
  it('hands its client to useMfaClient', () => {
    const client = kit.newClient()
    const { result } = renderHook(() => useMfaClient(), {
      wrapper: ({ children }) => <MfaProvider client={client}>{children}</MfaProvider>,
    })
    expect(result.current).toBe(client)
  })

  it('makes useMfaClient throw a clear error outside the provider', () => {
    function Probe() {
      useMfaClient()
      return null
    }
    expect(() => renderToString(<Probe />)).toThrow('MFA hooks need an <MfaProvider client> above them')
  })

  it("uses the app's QueryClient when one is provided above it, and leaves the app's context alone", () => {
    const app = new QueryClient()
    const client = kit.newClient()
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <QueryClientProvider client={app}>
        <MfaProvider client={client}>{children}</MfaProvider>
      </QueryClientProvider>
    )
    const { result } = renderHook(() => ({ mfa: useMfaContext().queryClient, app: useQueryClient() }), { wrapper })
    expect(result.current.mfa).toBe(app)
    expect(result.current.app).toBe(app)
  })

  it('prefers the queryClient prop, without replacing the app context', () => {
    const app = new QueryClient()
    const own = new QueryClient()
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <QueryClientProvider client={app}>
        <MfaProvider client={kit.newClient()} queryClient={own}>
          {children}
        </MfaProvider>
      </QueryClientProvider>
    )
    const { result } = renderHook(() => ({ mfa: useMfaContext().queryClient, app: useQueryClient() }), { wrapper })
    expect(result.current.mfa).toBe(own)
    expect(result.current.app).toBe(app)
  })

  it('makes one QueryClient of its own when there is none, and keeps it across renders', () => {
    const client = kit.newClient()
    const { result, rerender } = renderHook(() => useMfaContext().queryClient, {
      wrapper: ({ children }) => <MfaProvider client={client}>{children}</MfaProvider>,
    })
    const first = result.current
    expect(first).toBeInstanceOf(QueryClient)
    rerender()
    expect(result.current).toBe(first)
  })

  it('drops MFA queries when the access token changes, and only those', () => {
    const client = kit.newClient()
    const queryClient = new QueryClient()
    queryClient.setQueryData(mfaKeys.authenticators('SELF'), [{ id: 'a' }])
    queryClient.setQueryData(['app', 'profile'], { name: 'x' })
    renderHook(() => null, { wrapper: kit.wrapper(client, { queryClient }) })
    client.setToken('another-user')
    expect(queryClient.getQueryData(mfaKeys.authenticators('SELF'))).toBeUndefined()
    expect(queryClient.getQueryData(['app', 'profile'])).toEqual({ name: 'x' })
  })
})
