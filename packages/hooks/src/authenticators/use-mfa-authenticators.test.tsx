import { renderHook } from '@testing-library/react'
import { QueryClient } from '@tanstack/react-query'
import { beforeAll, describe, expect, it } from 'vitest'
import { mfaKeys } from '../query-options'
import { createKit, failOnConsole, settle } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useMfaAuthenticators } from './use-mfa-authenticators'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

describe('useMfaAuthenticators', () => {
  it('loads the bound authenticator of a login in progress, without its secret', async () => {
    const { client, mfaToken } = await kit.signInWithTotp()
    const { result } = renderHook(() => useMfaAuthenticators({ source: 'APPLICATION', mfaToken }), { wrapper: kit.wrapper(client) })
    expect(result.current).toMatchObject({ status: 'loading', error: null, data: { authenticators: [] } })
    await settle(() => expect(result.current.status).toBe('success'))
    expect(result.current.data.authenticators).toHaveLength(1)
    expect(result.current.data.authenticators[0]).toMatchObject({ authenticatorType: 'totp', enable: true, secret: '', recoveryCode: '' })
  })

  it('is empty for an account without one', async () => {
    const { client, mfaToken } = await kit.signIn()
    const { result } = renderHook(() => useMfaAuthenticators({ source: 'APPLICATION', mfaToken }), { wrapper: kit.wrapper(client) })
    await settle(() => expect(result.current.status).toBe('success'))
    expect(result.current.data.authenticators).toEqual([])
  })

  it('is expired with a dead mfaToken', async () => {
    const { client, mfaToken } = await kit.signIn()
    kit.clock.advance(10 * 60_000 + 1)
    const { result } = renderHook(() => useMfaAuthenticators({ source: 'APPLICATION', mfaToken }), { wrapper: kit.wrapper(client) })
    await settle(() => expect(result.current.status).toBe('expired'))
    expect(result.current.error?.code).toBeTruthy()
  })

  it('reports a failure that is not about the session as error', async () => {
    const { client, mfaToken } = await kit.signIn()
    kit.tamper(() => 'not an envelope')
    try {
      const { result } = renderHook(() => useMfaAuthenticators({ source: 'APPLICATION', mfaToken }), { wrapper: kit.wrapper(client) })
      await settle(() => expect(result.current.status).toBe('error'))
      expect(result.current.error?.name).toBe('MfaError')
    } finally {
      kit.tamper(null)
    }
  })

  it('waits while disabled', async () => {
    const { client, mfaToken } = await kit.signIn()
    const before = kit.requests()
    const { result } = renderHook(() => useMfaAuthenticators({ source: 'APPLICATION', mfaToken, enabled: false }), {
      wrapper: kit.wrapper(client),
    })
    expect(result.current.status).toBe('loading')
    expect(kit.requests()).toBe(before)
  })

  it('keeps its data under mfaKeys.authenticators, with no token in the key', async () => {
    const { client, mfaToken } = await kit.signInWithTotp()
    const queryClient = new QueryClient()
    const { result } = renderHook(() => useMfaAuthenticators({ source: 'APPLICATION', mfaToken }), {
      wrapper: kit.wrapper(client, { queryClient }),
    })
    await settle(() => expect(result.current.status).toBe('success'))
    expect(queryClient.getQueryData(mfaKeys.authenticators('APPLICATION', 'totp'))).toEqual(result.current.data.authenticators)
    expect(
      JSON.stringify(
        queryClient
          .getQueryCache()
          .getAll()
          .map((q) => q.queryKey),
      ),
    ).not.toContain(mfaToken)
  })
})
