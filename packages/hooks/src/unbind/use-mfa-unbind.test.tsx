import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { QueryClient } from '@tanstack/react-query'
import type { MfaAuthenticator, MfaClient } from '@mfa-kit/client'
import { mfaKeys } from '../query-options'
import { useMfaAuthenticators } from '../authenticators/use-mfa-authenticators'
import { createKit, failOnConsole, settle, totpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useMfaUnbind } from './use-mfa-unbind'
import type { UseMfaUnbindOptions } from './use-mfa-unbind'

failOnConsole()

const HOUR = 60 * 60_000

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

/** The unbind hook beside the `type: 'all'` list, for the authenticator `id` picks from it. */
function renderUnbind(client: MfaClient, pick: (ids: string[]) => string | undefined, options: Partial<UseMfaUnbindOptions> = {}) {
  return renderHook(
    () => {
      const list = useMfaAuthenticators({ type: 'all' })
      const ids = list.data.authenticators.map((a) => a.id)
      const unbind = useMfaUnbind({ authenticatorId: pick(ids) ?? 'none', ...options })
      return { list, unbind }
    },
    { wrapper: kit.wrapper(client) },
  )
}

const totpEntry = (ids: string[]) => ids.find((id) => id !== 'sms' && id !== 'email')

describe('useMfaUnbind', () => {
  it('asks for confirmation, then unbinds TOTP: idle → confirming → unbinding → done, and refreshes the list', async () => {
    const { client } = await kit.signedInWithTotp()
    const onDone = vi.fn()
    const { result } = renderUnbind(client, totpEntry, { onDone })
    await settle(() => expect(result.current.list.data.authenticators).toHaveLength(1))
    const listed = kit.requests()
    expect(result.current.unbind.data.authenticatorId).toBe(result.current.list.data.authenticators[0]!.id)
    expect(result.current.unbind.getConfirmProps().disabled).toBe(true)
    // Confirming without the request step sends nothing.
    expect(await act(() => result.current.unbind.confirm())).toMatchObject({ status: 'idle' })
    expect(kit.requests()).toBe(listed)

    act(() => result.current.unbind.request())
    expect(result.current.unbind.status).toBe('confirming')
    expect(kit.requests()).toBe(listed)
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.unbind.confirm()
    })
    expect(result.current.unbind.status).toBe('unbinding')
    expect(await act(() => pending)).toMatchObject({ status: 'done' })
    expect(onDone).toHaveBeenCalledOnce()
    await settle(() => expect(result.current.list.data.authenticators).toEqual([]))
  })

  it('unbinds a phone by its authenticator id, sms', async () => {
    const phone = '13800138100'
    const { client } = await kit.signedInWithTotp()
    await client.auth.sendSmsCode(phone, { scene: 'mfa-bind' })
    await client.mfa.associateSmsMfa({ phone, code: await kit.lastCode(phone) })
    const { result } = renderUnbind(client, (ids) => ids.find((id) => id === 'sms'))
    await settle(() => expect(result.current.list.data.authenticators.map((a) => a.id)).toContain('sms'))
    act(() => result.current.unbind.request())
    await act(() => result.current.unbind.confirm())
    expect(result.current.unbind.status).toBe('done')
    await settle(() => expect(result.current.list.data.authenticators.map((a) => a.id)).not.toContain('sms'))
  })

  it('goes back to idle when cancelled', async () => {
    const { client } = await kit.signedInWithTotp()
    const { result } = renderHook(() => useMfaUnbind({ authenticatorId: 'totp' }), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    expect(result.current.getConfirmProps().disabled).toBe(false)
    act(() => result.current.cancel())
    expect(result.current.status).toBe('idle')
    expect(result.current.getConfirmProps().disabled).toBe(true)
  })

  it('reports not_bound and goes back to idle when nothing is bound', async () => {
    const { client } = await kit.signedInWithTotp()
    const { result } = renderHook(() => useMfaUnbind({ authenticatorId: 'email' }), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    await act(() => result.current.confirm())
    expect(result.current.status).toBe('idle')
    expect(result.current.error?.code).toBe('not_bound')
  })

  it('asks for a fresh proof in place when the sign-in is too old, then completes the unbind', async () => {
    const { client, secret } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const onExpired = vi.fn()
    const { result } = renderUnbind(client, totpEntry, { onExpired })
    await settle(() => expect(result.current.list.data.authenticators).toHaveLength(1))
    act(() => result.current.unbind.request())
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.unbind.confirm()
    })
    // The session is fine: the hook does not end expired, it asks for a proof.
    await settle(() => expect(result.current.unbind.reverification.status).toBe('awaiting_proof'))
    expect(result.current.unbind.status).toBe('reverifying')
    expect(result.current.unbind.reverification.data.factors).toEqual([{ type: 'totp' }])
    expect(result.current.unbind.reverification.data.factor).toEqual({ type: 'totp' })
    expect(onExpired).not.toHaveBeenCalled()

    act(() => result.current.unbind.reverification.code.setValue(totpCode(secret, kit.clock.now())))
    expect(await act(() => pending)).toMatchObject({ status: 'done' })
    expect(result.current.unbind.status).toBe('done')
    await settle(() => expect(result.current.list.data.authenticators).toEqual([]))
  })

  it('goes back to idle with reauthentication_required when the proof is given up', async () => {
    const { client } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const { result } = renderHook(() => useMfaUnbind({ authenticatorId: 'totp' }), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.confirm()
    })
    await settle(() => expect(result.current.status).toBe('reverifying'))
    await settle(() => expect(result.current.reverification.status).toBe('awaiting_proof'))
    act(() => result.current.reverification.cancel())
    expect(await act(() => pending)).toMatchObject({ status: 'idle', error: { code: 'reauthentication_required' } })
  })

  it('ends expired without a signed-in user', async () => {
    const client = kit.newClient()
    const onExpired = vi.fn()
    const { result } = renderHook(() => useMfaUnbind({ authenticatorId: 'totp', onExpired }), { wrapper: kit.wrapper(client) })
    act(() => result.current.request())
    await act(() => result.current.confirm())
    expect(result.current.status).toBe('expired')
    expect(result.current.error?.code).toBe('unauthenticated')
    expect(onExpired).toHaveBeenCalledOnce()
    act(() => result.current.reset())
    expect(result.current.status).toBe('idle')
  })

  it('removes a face listed by its random id with the face call, never TOTP', async () => {
    const { client } = await kit.signedInWithTotp()
    const deleteFace = vi.spyOn(client.mfa, 'deleteFaceMfa').mockResolvedValue({ code: 200, message: '' })
    const deleteTotp = vi.spyOn(client.mfa, 'deleteMfaAuthenticator')
    const { result } = renderUnbind(client, (ids) => ids.find((id) => id !== 'sms' && id !== 'email'))
    await settle(() => expect(result.current.list.status).toBe('success'))
    const [totp] = result.current.list.data.authenticators
    // As the reference server lists a bound face beside TOTP.
    const face = { ...totp!, id: 'f7c1d2', authenticatorType: 'face' }
    const { result: picked } = renderHook(
      () => {
        const list = useMfaAuthenticators({ type: 'all' })
        return { list, unbind: useMfaUnbind({ authenticatorId: face.id }) }
      },
      { wrapper: kit.wrapper(client, { queryClient: seeded([totp!, face]) }) },
    )
    act(() => picked.current.unbind.request())
    await act(() => picked.current.unbind.confirm())
    expect(picked.current.unbind.status).toBe('done')
    expect(deleteFace).toHaveBeenCalledOnce()
    expect(deleteTotp).not.toHaveBeenCalled()
  })
})

/** A QueryClient whose `type: 'all'` list already holds `authenticators`. */
function seeded(authenticators: MfaAuthenticator[]): QueryClient {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } } })
  queryClient.setQueryData(mfaKeys.authenticators('SELF', 'all'), authenticators)
  return queryClient
}
