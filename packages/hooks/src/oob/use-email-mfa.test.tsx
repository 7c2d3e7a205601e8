import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, failOnConsole, settle } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useEmailMfa } from './use-email-mfa'
import { useEmailBinding } from './use-oob-binding'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

describe('useEmailMfa', () => {
  it('sends to the bound email by itself, shows it masked, and verifies', async () => {
    const { client, mfaToken, trigger, email } = await kit.signIn()
    expect(trigger.mfaEmail).toBe(email)
    const onVerified = vi.fn()
    const { result } = renderHook(() => useEmailMfa({ mfaToken, email: trigger.mfaEmail, onVerified }), { wrapper: kit.wrapper(client) })
    expect(result.current.status).toBe('sending')
    await settle(() => expect(result.current.status).toBe('code_sent'))
    expect(result.current.data).toMatchObject({ destination: email, maskedDestination: `${email[0]}***@example.com`, bound: true })
    const code = await kit.lastCode(email)
    act(() => result.current.code.setValue(code))
    await settle(() => expect(result.current.status).toBe('verified'))
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(result.current.data.user)
    expect(client.getToken()).toBe(result.current.data.user?.token)
  })
})

describe('useEmailBinding', () => {
  it('offers a disabled email input while a bound email is sent to', async () => {
    const { client, mfaToken, trigger } = await kit.signIn()
    const { result } = renderHook(() => useEmailBinding({ mfaToken, email: trigger.mfaEmail, autoSend: false }), {
      wrapper: kit.wrapper(client),
    })
    expect(result.current.status).toBe('idle')
    expect(result.current.getDestinationInputProps()).toMatchObject({
      type: 'email',
      inputMode: 'email',
      autoComplete: 'email',
      disabled: true,
    })
  })

  it('sends nothing from the binding form while the input is empty', async () => {
    const { client, mfaToken } = await kit.signIn()
    const before = kit.requests()
    const { result } = renderHook(() => useEmailBinding({ mfaToken, email: null }), { wrapper: kit.wrapper(client) })
    expect(result.current.status).toBe('binding')
    expect(result.current.canSend).toBe(false)
    expect(await act(() => result.current.send())).toMatchObject({ status: 'binding', error: null })
    expect(result.current.status).toBe('binding')
    expect(kit.requests()).toBe(before)
  })
})
