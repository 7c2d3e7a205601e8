import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { MfaClient } from '@mfa-kit/client'
import { useMfaAuthenticators } from '../authenticators/use-mfa-authenticators'
import { createKit, failOnConsole, renderWithStatuses, settle, totpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useSelfEmailBinding, useSelfSmsBinding } from './use-self-binding'
import type { UseSelfBindingResult, UseSelfSmsBindingOptions } from './use-self-binding'

failOnConsole()

const HOUR = 60 * 60_000

let kit: Kit
let phones = 0
const newPhone = () => `137${String(++phones).padStart(8, '0')}`
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 3 } })
})

const typeInto = (r: UseSelfBindingResult, value: string) =>
  act(() => r.getDestinationInputProps().onChange({ currentTarget: { value } } as never))

/** The SMS binding beside the `type: 'all'` authenticator list it refreshes. */
function renderWithList(client: MfaClient, options: UseSelfSmsBindingOptions = {}) {
  return renderHook(() => ({ binding: useSelfSmsBinding(options), list: useMfaAuthenticators({ type: 'all' }) }), {
    wrapper: kit.wrapper(client),
  })
}

describe('useSelfSmsBinding', () => {
  it('binds a phone for the signed-in user: idle → sending → code_sent → confirming → done, and refreshes the list', async () => {
    const { client } = await kit.signedInWithTotp()
    const phone = newPhone()
    const onDone = vi.fn()
    const { result } = renderWithList(client, { onDone })
    await settle(() => expect(result.current.list.status).toBe('success'))
    expect(result.current.list.data.authenticators.map((a) => a.id)).not.toContain('sms')
    expect(result.current.binding).toMatchObject({ status: 'idle', canSend: false, data: { phoneCountryCode: '+86' } })
    expect(result.current.binding.getDestinationInputProps()).toMatchObject({ type: 'tel', autoComplete: 'tel', disabled: false })

    typeInto(result.current.binding, phone)
    expect(result.current.binding.canSend).toBe(true)
    await act(() => result.current.binding.send())
    expect(result.current.binding).toMatchObject({
      status: 'code_sent',
      resendSecondsLeft: 60,
      data: { destination: phone, maskedDestination: `+86 ${phone.slice(0, 3)}****${phone.slice(-4)}` },
    })
    expect(result.current.binding.getDestinationInputProps().disabled).toBe(true)

    await act(async () => result.current.binding.confirm(await kit.lastCode(phone)))
    expect(result.current.binding.status).toBe('done')
    expect(onDone).toHaveBeenCalledExactlyOnceWith(phone)
    await settle(() => expect(result.current.list.data.authenticators.map((a) => a.id)).toContain('sms'))
  })

  it('asks for a fresh proof in place when the sign-in is too old, then binds with the same code', async () => {
    const { client, secret } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const phone = newPhone()
    const { result, statuses } = renderWithStatuses(useSelfSmsBinding, {}, kit.wrapper(client))
    typeInto(result.current, phone)
    await act(() => result.current.send())
    const code = await kit.lastCode(phone)
    act(() => result.current.code.setValue(code))
    await settle(() => expect(result.current.reverification.status).toBe('awaiting_proof'))
    expect(result.current.status).toBe('reverifying')
    // TOTP is the strongest factor this account has: it proves that.
    expect(result.current.reverification.data.factors).toEqual([{ type: 'totp' }])
    await act(() => result.current.reverification.verify(totpCode(secret, kit.clock.now())))
    await settle(() => expect(result.current.status).toBe('done'))
    expect(statuses.filter((s) => s !== 'sending')).toEqual(['idle', 'code_sent', 'confirming', 'reverifying', 'confirming', 'done'])
  })

  it('goes back to the code when the fresh proof is cancelled', async () => {
    const { client } = await kit.signedInWithTotp()
    kit.clock.advance(HOUR)
    const phone = newPhone()
    const { result } = renderHook(() => useSelfSmsBinding({ autoSubmit: false }), { wrapper: kit.wrapper(client) })
    typeInto(result.current, phone)
    await act(() => result.current.send())
    act(() => void result.current.confirm('123456'))
    await settle(() => expect(result.current.reverification.status).toBe('awaiting_proof'))
    act(() => result.current.reverification.cancel())
    await settle(() => expect(result.current.status).toBe('code_sent'))
    expect(result.current.error?.code).toBe('reauthentication_required')
  })

  it('binds a number with the calling code picked, and refuses a malformed one without sending', async () => {
    const { client } = await kit.signedInWithTotp()
    const { result } = renderHook(() => useSelfSmsBinding(), { wrapper: kit.wrapper(client) })
    const sendSmsCode = vi.spyOn(client.auth, 'sendSmsCode')
    typeInto(result.current, '12-34')
    expect(result.current).toMatchObject({ destinationValid: false, canSend: false })
    expect(await act(() => result.current.send())).toMatchObject({ status: 'idle', error: { code: 'invalid_phone' } })
    expect(result.current.getDestinationInputProps()['aria-invalid']).toBe(true)
    expect(sendSmsCode).not.toHaveBeenCalled()

    act(() => result.current.setPhoneCountryCode('+65'))
    typeInto(result.current, '8123 4567')
    await act(() => result.current.send())
    expect(result.current.data.maskedDestination).toBe('+65 812****4567')
    await act(async () => result.current.confirm(await kit.lastCode('+6581234567')))
    expect(result.current.status).toBe('done')
  })

  it('asks again after a wrong code, and ends expired when the session is gone', async () => {
    const { client } = await kit.signedInWithTotp()
    const phone = newPhone()
    const onExpired = vi.fn()
    const { result } = renderHook(() => useSelfSmsBinding({ onExpired }), { wrapper: kit.wrapper(client) })
    typeInto(result.current, phone)
    await act(() => result.current.send())
    const right = await kit.lastCode(phone)
    await act(() => result.current.confirm(right === '000000' ? '111111' : '000000'))
    expect(result.current).toMatchObject({ status: 'code_sent', error: { code: 'invalid_code' } })
    expect(result.current.code.value).toBe('')
    // A sign-out elsewhere revokes the token on the server; this page still holds it.
    const token = client.getToken()
    await act(() => client.auth.logout())
    act(() => client.setToken(token))
    await act(() => result.current.confirm(right))
    expect(result.current.status).toBe('expired')
    expect(onExpired).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ code: 'unauthenticated' }))
  })
})

describe('useSelfEmailBinding', () => {
  it('binds an email for an account that signed up with a username', async () => {
    const { client } = await kit.signedInWithTotp()
    const email = `bound.${Date.now()}@example.com`
    const { result } = renderHook(() => useSelfEmailBinding(), { wrapper: kit.wrapper(client) })
    expect(result.current.getCountryCodeProps).toBeTypeOf('function')
    expect(result.current.data.phoneCountryCode).toBeNull()
    typeInto(result.current, email)
    await act(() => result.current.send())
    expect(result.current.data.maskedDestination).toBe('b***@example.com')
    await act(async () => result.current.confirm(await kit.lastCode(email)))
    expect(result.current.status).toBe('done')
    expect((await client.mfa.getMfaAuthenticators({ type: 'all' })).map((a) => a.id)).toContain('email')
  })
})
