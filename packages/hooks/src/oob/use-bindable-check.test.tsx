import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, failOnConsole, queryUpdatesOnMicrotasks, settle } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useBindableCheck } from './use-bindable-check'
import type { UseBindableCheckOptions } from './use-bindable-check'

failOnConsole()
queryUpdatesOnMicrotasks()

let kit: Kit
let checks = 0
beforeAll(() => {
  kit = createKit()
  kit.tamper((body, request) => {
    if (new URL(request.url).pathname === '/api/v2/applications/mfa/check') checks++
    return body
  })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('useBindableCheck', () => {
  it('is idle with nothing typed and sends nothing', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const before = checks
    const { result } = renderHook(() => useBindableCheck({ mfaToken, phone: '' }), { wrapper: kit.wrapper(client) })
    expect(result.current).toEqual({ status: 'idle', error: null, data: { bindable: undefined } })
    expect(checks).toBe(before)
  })

  it('waits for typing to pause, then checks the last value once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { client, mfaToken } = await kit.signInToBind()
    const before = checks
    const sent = kit.requests()
    const { result, rerender } = renderHook((o: UseBindableCheckOptions) => useBindableCheck(o), {
      wrapper: kit.wrapper(client),
      initialProps: { mfaToken, phone: '' },
    })
    for (const phone of ['1', '13', '138', '1380', '13800', '138000', '13800099999']) {
      rerender({ mfaToken, phone })
      act(() => vi.advanceTimersByTime(200))
    }
    expect(result.current.status).toBe('checking')
    act(() => vi.advanceTimersByTime(299))
    expect(kit.requests()).toBe(sent)
    act(() => vi.advanceTimersByTime(1))
    vi.useRealTimers()
    await settle(() => expect(result.current.status).toBe('bindable'))
    expect(kit.requests()).toBe(sent + 1)
    expect(result.current).toEqual({ status: 'bindable', error: null, data: { bindable: true } })
    expect(checks).toBe(before + 1)
  })

  it('answers unavailable for an email another account has proven', async () => {
    const other = await kit.signIn()
    await other.client.auth.sendEmailCode(other.email)
    await other.client.mfa.verifyAppEmailMfa({ email: other.email, code: await kit.lastCode(other.email), mfaToken: other.mfaToken })
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderHook(() => useBindableCheck({ mfaToken, email: other.email, debounceMs: 0 }), { wrapper: kit.wrapper(client) })
    await settle(() => expect(result.current.status).toBe('unavailable'))
    expect(result.current.data.bindable).toBe(false)
  })

  it('reports the server refusing a malformed phone as an error', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderHook(() => useBindableCheck({ mfaToken, phone: 'not a phone', debounceMs: 0 }), {
      wrapper: kit.wrapper(client),
    })
    await settle(() => expect(result.current.status).toBe('error'))
    expect(result.current.error?.code).toBe('invalid_phone')
  })

  it('is expired with a dead mfaToken', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    kit.clock.advance(10 * 60_000 + 1)
    const { result } = renderHook(() => useBindableCheck({ mfaToken, phone: '13800011111', debounceMs: 0 }), {
      wrapper: kit.wrapper(client),
    })
    await settle(() => expect(result.current.status).toBe('expired'))
  })

  it('checks nothing when disabled', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const before = checks
    const { result } = renderHook(() => useBindableCheck({ mfaToken, phone: '13800011111', enabled: false, debounceMs: 0 }), {
      wrapper: kit.wrapper(client),
    })
    expect(result.current.status).toBe('idle')
    expect(checks).toBe(before)
  })
})
