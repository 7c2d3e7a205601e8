import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, failOnConsole, PASSWORD, renderWithStatuses, settle, totpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useRecoveryCodeRegenerate } from './use-recovery-code-regenerate'
import type { UseRecoveryCodeRegenerateOptions, UseRecoveryCodeRegenerateResult } from './use-recovery-code-regenerate'

failOnConsole()

const HOUR = 60 * 60_000

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

/** Whether `recoveryCode` still signs the TOTP account of `account` in. */
async function signsIn(account: Parameters<Kit['signIn']>[0], recoveryCode: string) {
  const { client, mfaToken } = await kit.signIn(account)
  return client.mfa.verifyTotpRecoveryCode({ recoveryCode, mfaToken }).then(
    () => true,
    () => false,
  )
}

describe('useRecoveryCodeRegenerate', () => {
  it('walks idle → regenerating → showing_recovery_code → done; the old code stops working, the new one signs in', async () => {
    const { client, account, recoveryCode: old } = await kit.signedInWithTotp()
    const onDone = vi.fn()
    const { result, statuses } = renderWithStatuses<UseRecoveryCodeRegenerateOptions, UseRecoveryCodeRegenerateResult>(
      useRecoveryCodeRegenerate,
      { onDone },
      kit.wrapper(client),
    )
    expect(result.current).toMatchObject({ status: 'idle', data: { recoveryCode: null } })
    let pending!: Promise<Awaited<ReturnType<UseRecoveryCodeRegenerateResult['regenerate']>>>
    act(() => {
      pending = result.current.regenerate()
    })
    expect(result.current.status).toBe('regenerating')
    const outcome = await act(() => pending)
    if (outcome.status !== 'showing_recovery_code') throw new Error(`expected the new code, got ${outcome.status}`)
    const fresh = outcome.data.recoveryCode
    expect(fresh).not.toBe(old)
    expect(result.current.data.recoveryCode).toBe(fresh)

    expect(result.current.getFinishProps().disabled).toBe(true)
    act(() => result.current.getAcknowledgeProps().onChange({ currentTarget: { checked: true } } as never))
    act(() => result.current.getFinishProps().onClick())
    expect(result.current).toMatchObject({ status: 'done', data: { recoveryCode: null } })
    expect(onDone).toHaveBeenCalledOnce()
    expect(statuses).toEqual(['idle', 'regenerating', 'showing_recovery_code', 'done'])

    kit.clock.advance(60_000)
    expect(await signsIn(account, old)).toBe(false)
    expect(await signsIn(account, fresh)).toBe(true)
  })

  it('asks for a fresh proof in place when the sign-in is too old, then shows the new code', async () => {
    const { client, secret } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const { result } = renderHook(() => useRecoveryCodeRegenerate(), { wrapper: kit.wrapper(client) })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.regenerate()
    })
    await settle(() => expect(result.current.reverification.status).toBe('awaiting_proof'))
    expect(result.current.status).toBe('reverifying')
    await act(() => result.current.reverification.verify(totpCode(secret, kit.clock.now())))
    expect(await act(() => pending)).toMatchObject({ status: 'showing_recovery_code', data: { recoveryCode: expect.any(String) } })
  })

  it('reports not_bound without TOTP, and nothing is shown', async () => {
    const plain = createKit({ factors: [] })
    const client = plain.newClient()
    await client.auth.registerByEmail('plain.regenerate@example.com', PASSWORD)
    await client.auth.loginByEmail('plain.regenerate@example.com', PASSWORD)
    const { result } = renderHook(() => useRecoveryCodeRegenerate(), { wrapper: plain.wrapper(client) })
    expect(await act(() => result.current.regenerate())).toMatchObject({
      status: 'idle',
      error: { code: 'not_bound' },
      data: { recoveryCode: null },
    })
  })

  it('drops the new code on reset', async () => {
    const { client } = await kit.signedInWithTotp()
    const { result } = renderHook(() => useRecoveryCodeRegenerate(), { wrapper: kit.wrapper(client) })
    await act(() => result.current.regenerate())
    expect(result.current.data.recoveryCode).toBeTruthy()
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'idle', data: { recoveryCode: null } })
  })
})
