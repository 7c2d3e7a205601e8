import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createKit, failOnConsole, PASSWORD, renderWithStatuses, totpCode } from '../harness.testing'
import { useSelfTotpBinding } from './use-self-totp-binding'

failOnConsole()

describe('useSelfTotpBinding', () => {
  it('asks a signed-in user whose sign-in is too old for a fresh proof in place, then binds', async () => {
    const kit = createKit({ factors: [] })
    const client = kit.newClient()
    await client.auth.registerByEmail('stale@example.com', PASSWORD)
    await client.auth.loginByEmail('stale@example.com', PASSWORD)
    kit.clock.advance(60 * 60_000)
    const { result, statuses } = renderWithStatuses(useSelfTotpBinding, {}, kit.wrapper(client))
    await waitFor(() => expect(result.current.reverification.status).toBe('awaiting_proof'))
    expect(result.current.status).toBe('reverifying')
    // An account without a factor proves its password.
    expect(result.current.reverification.data.factors).toEqual([{ type: 'password' }])
    await act(() => result.current.reverification.verify(PASSWORD))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    await act(() => result.current.confirm(totpCode(result.current.data.secret!, kit.clock.now())))
    expect(result.current.status).toBe('showing_recovery_code')
    expect(statuses.slice(0, 5)).toEqual(['idle', 'loading_secret', 'reverifying', 'loading_secret', 'awaiting_code'])
  })

  it('binds at once for a recent sign-in, asking for no proof', async () => {
    const kit = createKit({ factors: [] })
    const client = kit.newClient()
    await client.auth.registerByEmail('fresh@example.com', PASSWORD)
    await client.auth.loginByEmail('fresh@example.com', PASSWORD)
    const { result } = renderHook(() => useSelfTotpBinding({ autoStart: false }), { wrapper: kit.wrapper(client) })
    expect(result.current.status).toBe('idle')
    await act(() => result.current.start())
    expect(result.current.status).toBe('awaiting_code')
    expect(result.current.reverification.data.factors).toEqual([])
    await act(() => result.current.confirm(totpCode(result.current.data.secret!, kit.clock.now())))
    expect(result.current.data.user).toBeNull()
    expect(await client.mfa.getMfaAuthenticators({ source: 'SELF' })).toHaveLength(1)
  })
})
