import { act, renderHook, waitFor } from '@testing-library/react'
import { QueryClient, useMutation } from '@tanstack/react-query'
import { beforeAll, describe, expect, it } from 'vitest'
import { mfaAuthenticatorsQueryOptions, mfaKeys, mfaMutationOptions } from './query-options'
import { useTotpVerify } from './totp/use-totp-verify'
import { createKit, failOnConsole, totpCode, wrongTotpCode } from './harness.testing'
import type { Kit } from './harness.testing'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

describe('mfaKeys', () => {
  it('nests every key under mfaKeys.all', () => {
    for (const key of [
      mfaKeys.authenticators(),
      mfaKeys.authenticators('APPLICATION'),
      mfaKeys.bindable({ phone: '1' }),
      mfaKeys.mutation('verifyTotpMfa'),
    ]) {
      expect(key[0]).toBe(mfaKeys.all[0])
    }
    expect(mfaKeys.authenticators()).toEqual(['mfa', 'authenticators', 'SELF', 'totp'])
    expect(mfaKeys.authenticators('SELF', 'all').slice(0, 2)).toEqual(mfaKeys.authenticatorLists)
  })
})

describe('option factories', () => {
  it('lets an app prefetch the authenticator list', async () => {
    const { client, mfaToken } = await kit.signInWithTotp()
    const queryClient = new QueryClient()
    await queryClient.prefetchQuery(mfaAuthenticatorsQueryOptions(client, { source: 'APPLICATION', mfaToken }))
    expect(queryClient.getQueryData(mfaKeys.authenticators('APPLICATION', 'totp'))).toHaveLength(1)
  })

  it('gives useMutation a verify that never retries', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: 3, retryDelay: 0 } } })
    const { result } = renderHook(() => useMutation(mfaMutationOptions(client, 'verifyTotpMfa'), queryClient))
    const before = kit.requests()
    act(() => result.current.mutate({ totp: wrongTotpCode(secret, kit.clock.now()), mfaToken }))
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(kit.requests() - before).toBe(1)
    expect(result.current.error?.code).toBe('invalid_code')
    act(() => result.current.mutate({ totp: totpCode(secret, kit.clock.now()), mfaToken }))
    await waitFor(() => expect(result.current.status).toBe('success'))
    expect(result.current.data?.token).toBe(client.getToken())
  })

  it('never retries a hook mutation either, whatever the app defaults say', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: 3, retryDelay: 0 } } })
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client, { queryClient }) })
    const before = kit.requests()
    await act(() => result.current.verify(wrongTotpCode(secret, kit.clock.now())))
    expect(kit.requests() - before).toBe(1)
    expect(result.current.error?.code).toBe('invalid_code')
  })

  it('runs the hooks through the app QueryClient, where useIsMutating-style tools see them', async () => {
    const { client, mfaToken, secret } = await kit.signInWithTotp()
    const queryClient = new QueryClient()
    const seen: unknown[] = []
    const off = queryClient.getMutationCache().subscribe((e) => {
      if (e.type === 'added') seen.push(e.mutation.options.mutationKey)
    })
    const { result } = renderHook(() => useTotpVerify({ mfaToken }), { wrapper: kit.wrapper(client, { queryClient }) })
    await act(() => result.current.verify(totpCode(secret, kit.clock.now())))
    off()
    expect(seen).toEqual([mfaKeys.mutation('verifyTotpMfa')])
  })

  it('registers through the positional client method, with the call options in its options', async () => {
    const client = kit.newClient()
    const options = mfaMutationOptions(client, 'register')
    const email = `mutation.${Date.now()}@example.com`
    const result = await options.mutationFn({
      method: 'registerByEmail',
      account: email,
      secret: 'correct horse battery staple',
      profile: { nickname: 'M' },
    })
    expect(result).toMatchObject({ status: 'sign_in_required', user: { email, nickname: 'M' } })
    const weak = options.mutationFn({ method: 'registerByUsername', account: 'weak_user', secret: 'short' })
    await expect(weak).rejects.toMatchObject({ code: 'weak_password' })
  })

  it('sends an SMS code through the positional client method', async () => {
    const { client } = await kit.signIn()
    const options = mfaMutationOptions(client, 'sendSmsCode')
    await expect(options.mutationFn({ phone: '13911112222' })).resolves.toMatchObject({ resendAfterMs: 60_000 })
    expect(await kit.lastCode('13911112222')).toMatch(/^\d{6}$/)
  })
})
