import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { useMfaAuthenticators } from '../authenticators/use-mfa-authenticators'
import { createKit, failOnConsole, settle, totpCode } from '../test-utils'
import type { Kit } from '../test-utils'
import { useMfaUnbind } from './use-mfa-unbind'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

/** An account with TOTP bound, signed in by verifying it: the client holds a fresh access token. */
async function signedInWithTotp() {
  const { client, mfaToken, secret } = await kit.signInWithTotp()
  await client.mfa.verifyTotpMfa({ totp: totpCode(secret, kit.clock.now()), mfaToken })
  return client
}

describe('useMfaUnbind', () => {
  it('asks for confirmation, then unbinds: idle → confirming → unbinding → done', async () => {
    const client = await signedInWithTotp()
    const onDone = vi.fn()
    const { result } = renderHook(
      () => ({ unbind: useMfaUnbind({ onDone }), list: useMfaAuthenticators() }),
      { wrapper: kit.wrapper(client) },
    )
    await settle(() => expect(result.current.list.data).toHaveLength(1))
    const listed = kit.requests()
    expect(result.current.unbind.getConfirmProps().disabled).toBe(true)
    // Confirming without the request step sends nothing.
    expect(await act(() => result.current.unbind.confirm())).toBe(false)
    expect(result.current.unbind.status).toBe('idle')

    act(() => result.current.unbind.request())
    expect(result.current.unbind.status).toBe('confirming')
    expect(kit.requests()).toBe(listed)
    let pending!: Promise<boolean>
    act(() => {
      pending = result.current.unbind.confirm()
    })
    expect(result.current.unbind.status).toBe('unbinding')
    expect(await act(() => pending)).toBe(true)
    expect(result.current.unbind.status).toBe('done')
    expect(onDone).toHaveBeenCalledOnce()
    // The list is refreshed.
    await settle(() => expect(result.current.list.data).toEqual([]))
  })

  it('goes back to idle when cancelled', async () => {
    const client = await signedInWithTotp()
    const { result } = renderHook(() => useMfaUnbind(), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    expect(result.current.getConfirmProps().disabled).toBe(false)
    act(() => result.current.cancel())
    expect(result.current.status).toBe('idle')
    expect(result.current.getConfirmProps().disabled).toBe(true)
  })

  it('reports not_bound and goes back to idle when nothing is bound', async () => {
    const client = await signedInWithTotp()
    await client.mfa.deleteMfaAuthenticator()
    const { result } = renderHook(() => useMfaUnbind(), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    await act(() => result.current.confirm())
    expect(result.current.status).toBe('idle')
    expect(result.current.error?.code).toBe('not_bound')
  })

  it('ends expired when the sign-in is too old for such a change', async () => {
    const client = await signedInWithTotp()
    kit.clock.advance(60 * 60_000)
    const onExpired = vi.fn()
    const { result } = renderHook(() => useMfaUnbind({ onExpired }), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    await act(() => result.current.confirm())
    expect(result.current.status).toBe('expired')
    expect(result.current.error?.code).toBe('unauthenticated')
    expect(onExpired).toHaveBeenCalledOnce()
  })

  it('ends expired without a signed-in user', async () => {
    const client = kit.newClient()
    const { result } = renderHook(() => useMfaUnbind(), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    await act(() => result.current.confirm())
    expect(result.current.status).toBe('expired')
    act(() => result.current.reset())
    expect(result.current.status).toBe('idle')
  })
})
