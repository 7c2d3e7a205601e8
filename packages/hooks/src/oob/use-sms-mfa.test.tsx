import { act } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, failOnConsole, renderWithStatuses, installWebOtp, queryUpdatesOnMicrotasks, settle } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useSmsBinding } from './use-oob-binding'
import type { OobBindingResult, UseSmsBindingOptions } from './use-oob-binding'
import { useSmsMfa } from './use-sms-mfa'

const console = failOnConsole()
queryUpdatesOnMicrotasks()

let kit: Kit
let phones = 0
const newPhone = () => `139${String(++phones).padStart(8, '0')}`
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 3, mfaTokenMaxAttempts: 10, checksPerUserPerHour: 100 } })
})
afterEach(() => {
  vi.useRealTimers()
})

const renderSms = (options: UseSmsBindingOptions, wrapper: ReturnType<Kit['wrapper']>) =>
  renderWithStatuses(useSmsBinding, options, wrapper)

const typeInto = (r: OobBindingResult, value: string) =>
  act(() => r.getDestinationInputProps().onChange({ currentTarget: { value } } as never))

describe('useSmsBinding', () => {
  it('binds a new phone: binding → sending → code_sent → verifying → verified', async () => {
    const { client, mfaToken, trigger } = await kit.signInToBind()
    expect(trigger.mfaPhone).toBeNull()
    const phone = newPhone()
    const onVerified = vi.fn()
    const { result, statuses } = renderSms({ mfaToken, phone: trigger.mfaPhone, onVerified }, kit.wrapper(client))
    expect(result.current.status).toBe('binding')
    expect(result.current.getDestinationInputProps()).toMatchObject({ type: 'tel', inputMode: 'tel', autoComplete: 'tel', disabled: false })
    expect(result.current.getCountryCodeProps()).toMatchObject({ value: '+86', autoComplete: 'tel-country-code', disabled: false })
    expect(result.current.canSend).toBe(false)

    typeInto(result.current, phone)
    expect(result.current.bindable).toBe('checking')
    await settle(() => expect(result.current.bindable).toBe('bindable'))
    expect(result.current.canSend).toBe(true)

    let sending!: Promise<unknown>
    act(() => {
      sending = result.current.send()
    })
    expect(result.current.status).toBe('sending')
    expect(await act(() => sending)).toMatchObject({ status: 'code_sent' })
    expect(result.current.status).toBe('code_sent')
    expect(result.current.data).toMatchObject({
      destination: phone,
      maskedDestination: `+86 ${phone.slice(0, 3)}****${phone.slice(-4)}`,
      bound: false,
      phoneCountryCode: '+86',
    })
    expect(result.current.resendSecondsLeft).toBe(60)
    expect(result.current.secondsLeft).toBe(0)
    expect(result.current.canSend).toBe(false)
    expect(result.current.getSendButtonProps().disabled).toBe(true)
    expect(result.current.getDestinationInputProps().disabled).toBe(true)
    expect(result.current.getCountryCodeProps().disabled).toBe(true)

    const code = await kit.lastCode(phone)
    let verifying!: Promise<unknown>
    act(() => {
      verifying = result.current.verify(code)
    })
    expect(result.current.status).toBe('verifying')
    await act(() => verifying)
    expect(result.current.status).toBe('verified')
    expect(result.current.data.user?.token).toBeTruthy()
    expect(client.getToken()).toBe(result.current.data.user?.token)
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(result.current.data.user)
    expect(statuses).toEqual(['binding', 'sending', 'code_sent', 'verifying', 'verified'])
  })

  it('sends a code to the bound phone by itself, once, under StrictMode', async () => {
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    // The server keeps phones in E.164 form and says which country code it starts with.
    expect(trigger).toMatchObject({ mfaPhone: `+86${phone}`, mfaPhoneCountryCode: '+86' })
    const before = (await kit.outbox(phone)).length
    const { result } = renderWithStatuses(
      useSmsMfa,
      { mfaToken, phone: trigger.mfaPhone, phoneCountryCode: trigger.mfaPhoneCountryCode },
      kit.wrapper(client, { strict: true }),
    )
    expect(result.current.status).toBe('sending')
    expect(result.current.data.maskedDestination).toBe(`+86 ${phone.slice(0, 3)}****${phone.slice(-4)}`)
    await settle(() => expect(result.current.status).toBe('code_sent'))
    expect((await kit.outbox(phone)).length).toBe(before + 1)
    const code = await kit.lastCode(phone)
    act(() => result.current.code.setValue(code))
    await settle(() => expect(result.current.status).toBe('verified'))
  })

  it('stays idle without autoSend until send()', async () => {
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const { result } = renderSms({ mfaToken, phone: trigger.mfaPhone, autoSend: false }, kit.wrapper(client))
    expect(result.current.status).toBe('idle')
    expect(result.current.getDestinationInputProps().disabled).toBe(true)
    expect(result.current.canSend).toBe(true)
    act(() => result.current.getSendButtonProps().onClick())
    expect(result.current.status).toBe('sending')
    await settle(() => expect(result.current.status).toBe('code_sent'))
  })

  it('asks again after a wrong code and clears the input', async () => {
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const { result } = renderWithStatuses(useSmsMfa, { mfaToken, phone: trigger.mfaPhone }, kit.wrapper(client))
    await settle(() => expect(result.current.status).toBe('code_sent'))
    const right = await kit.lastCode(phone)
    const wrong = right === '000000' ? '111111' : '000000'
    act(() => result.current.code.setValue(wrong))
    await settle(() => expect(result.current.error?.code).toBe('invalid_code'))
    expect(result.current.status).toBe('code_sent')
    expect(result.current.code.value).toBe('')
  })

  it('reports a phone that cannot be bound and keeps the send button off', async () => {
    const phone = newPhone()
    await kit.signInWithPhone(phone)
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderSms({ mfaToken }, kit.wrapper(client))
    typeInto(result.current, phone)
    await settle(() => expect(result.current.bindable).toBe('unavailable'))
    expect(result.current.canSend).toBe(false)
  })

  it('keeps the code usable when a resend comes too early, and counts down to the next one apart from any lock', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const { result } = renderSms({ mfaToken, phone: trigger.mfaPhone, autoSend: false }, kit.wrapper(client))
    await act(() => result.current.send())
    expect(result.current.status).toBe('code_sent')
    kit.clock.advance(20_000)
    act(() => vi.advanceTimersByTime(20_000))
    expect(result.current).toMatchObject({ resendSecondsLeft: 40, secondsLeft: 0, canSend: false })

    // The server refuses the early resend: the code already sent stays usable.
    await act(() => result.current.send())
    expect(result.current.status).toBe('code_sent')
    expect(result.current.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 40_000 })
    expect(result.current).toMatchObject({ resendSecondsLeft: 40, secondsLeft: 0 })
    expect(result.current.getCodeInputProps().disabled).toBe(false)

    kit.clock.advance(40_000)
    act(() => vi.advanceTimersByTime(40_000))
    expect(result.current).toMatchObject({ status: 'code_sent', resendSecondsLeft: 0, canSend: true })
    await act(() => result.current.send())
    expect(result.current).toMatchObject({ status: 'code_sent', error: null, resendSecondsLeft: 60 })

    // Wrong codes lock verification: that wait is secondsLeft, and the resend countdown runs on.
    const right = await kit.lastCode(phone)
    const wrong = right === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5 && result.current.status !== 'rate_limited'; i++) await act(() => result.current.verify(wrong))
    expect(result.current.status).toBe('rate_limited')
    expect(result.current.secondsLeft).toBe(Math.ceil(result.current.error!.retryAfterMs! / 1000))
    expect(result.current.resendSecondsLeft).toBe(60)
    expect(result.current.getCodeInputProps().disabled).toBe(true)
    const lock = result.current.secondsLeft
    kit.clock.advance(lock * 1000)
    act(() => vi.advanceTimersByTime(lock * 1000))
    expect(result.current.status).toBe('code_sent')
    await act(() => result.current.verify(right))
    expect(result.current.status).toBe('verified')
  })

  it('binds a phone with another calling code, picked beside the input', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderSms({ mfaToken }, kit.wrapper(client))
    act(() => result.current.getCountryCodeProps().onChange({ currentTarget: { value: '+65' } } as never))
    typeInto(result.current, '9123 4567')
    await settle(() => expect(result.current.bindable).toBe('bindable'))
    await act(() => result.current.send())
    expect(result.current.data).toMatchObject({ destination: '9123 4567', maskedDestination: '+65 912****4567', phoneCountryCode: '+65' })
    await act(async () => result.current.verify(await kit.lastCode('+6591234567')))
    expect(result.current.status).toBe('verified')
  })

  it('checks what is typed before asking the server, and refuses to send a malformed number', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderSms({ mfaToken, debounceMs: 0 }, kit.wrapper(client))
    const bindable = vi.spyOn(client.mfa, 'phoneOrEmailBindable')
    const sendSmsCode = vi.spyOn(client.auth, 'sendSmsCode')
    typeInto(result.current, '12ab')
    expect(result.current).toMatchObject({ bindable: 'invalid', destinationValid: false, canSend: false })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await act(() => result.current.send())).toMatchObject({ status: 'binding', error: { code: 'invalid_phone' } })
    expect(result.current.getDestinationInputProps()['aria-invalid']).toBe(true)
    expect(bindable).not.toHaveBeenCalled()
    expect(sendSmsCode).not.toHaveBeenCalled()
    typeInto(result.current, '１３９ ０００１ ２３４５')
    expect(result.current.destinationValid).toBe(true)
  })

  it('ends expired when the mfaToken is older than 10 minutes', async () => {
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const onExpired = vi.fn()
    const { result } = renderSms({ mfaToken, phone: trigger.mfaPhone, onExpired }, kit.wrapper(client))
    await settle(() => expect(result.current.status).toBe('code_sent'))
    const code = await kit.lastCode(phone)
    kit.clock.advance(10 * 60_000 + 1)
    await act(() => result.current.verify(code))
    expect(result.current.status).toBe('expired')
    expect(result.current.error?.code).toBe('mfa_token_expired')
    expect(onExpired).toHaveBeenCalledOnce()
  })

  it('fills the code from the SMS with WebOTP while a code is expected, and verifies', async () => {
    const webOtp = installWebOtp()
    try {
      const phone = newPhone()
      const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
      const { result } = renderSms({ mfaToken, phone: trigger.mfaPhone }, kit.wrapper(client))
      expect(webOtp.requests).toHaveLength(0)
      await settle(() => expect(result.current.status).toBe('code_sent'))
      expect(webOtp.requests).toHaveLength(1)
      await act(async () => webOtp.requests[0]!.resolve({ type: 'otp', code: await kit.lastCode(phone) }))
      await settle(() => expect(result.current.status).toBe('verified'))
      expect(webOtp.requests[0]!.options.signal?.aborted).toBe(true)
    } finally {
      webOtp.uninstall()
    }
  })

  it('aborts the send in flight on unmount', async () => {
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const signals: (AbortSignal | undefined)[] = []
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const sendSmsCode = client.auth.sendSmsCode
    client.auth.sendSmsCode = async (p, o) => {
      signals.push(o?.signal)
      await gate
      return sendSmsCode(p, o)
    }
    const { unmount } = renderSms({ mfaToken, phone: trigger.mfaPhone }, kit.wrapper(client))
    await vi.waitFor(() => expect(signals).toHaveLength(1))
    unmount()
    await Promise.resolve()
    expect(signals[0]?.aborted).toBe(true)
    release()
  })

  it('goes back to the form, keeping the typed phone, on reset', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const phone = newPhone()
    const { result } = renderSms({ mfaToken, bindableCheck: false }, kit.wrapper(client))
    typeInto(result.current, phone)
    await act(() => result.current.send())
    expect(result.current.status).toBe('code_sent')
    act(() => result.current.reset())
    expect(result.current.status).toBe('binding')
    expect(result.current.destinationInput).toBe(phone)
  })

  it('goes back to the form with the error when the number is refused', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderSms({ mfaToken, bindableCheck: false }, kit.wrapper(client))
    typeInto(result.current, '12')
    expect(await act(() => result.current.send())).toMatchObject({ status: 'binding', error: { code: 'invalid_phone' } })
    expect(result.current.status).toBe('binding')
    expect(result.current.error?.code).toBe('invalid_phone')
  })

  it('goes rate_limited after too many wrong codes', async () => {
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const { result } = renderWithStatuses(useSmsMfa, { mfaToken, phone: trigger.mfaPhone }, kit.wrapper(client))
    await settle(() => expect(result.current.status).toBe('code_sent'))
    const right = await kit.lastCode(phone)
    const wrong = right === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5 && result.current.status !== 'rate_limited'; i++) {
      await act(() => result.current.verify(wrong))
    }
    expect(result.current.status).toBe('rate_limited')
    expect(result.current.secondsLeft).toBe(Math.ceil(result.current.error!.retryAfterMs! / 1000))
  })

  it('shows an international number with its country code', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderSms({ mfaToken, phone: '6591234567', phoneCountryCode: '+65', autoSend: false }, kit.wrapper(client))
    expect(result.current.data.maskedDestination).toBe('+65 659****4567')
    expect(result.current.getCountryCodeProps().disabled).toBe(true)
  })
})

describe('useSmsMfa', () => {
  it('has no binding form: without a bound phone it sends nothing, and says in development that useSmsBinding binds one', async () => {
    const { client, mfaToken, trigger } = await kit.signInToBind()
    const { result } = renderWithStatuses(useSmsMfa, { mfaToken, phone: trigger.mfaPhone }, kit.wrapper(client))
    expect(result.current.status).toBe('binding')
    expect(result.current).not.toHaveProperty('getDestinationInputProps')
    expect(result.current.canSend).toBe(false)
    expect(await act(() => result.current.send())).toMatchObject({ status: 'binding', error: null })
    expect(console.take()).toEqual([
      [
        'warn',
        "@mfa-kit/hooks: useSmsMfa sends to a bound phone only. To bind one while signing in, use useSmsBinding from '@mfa-kit/hooks/binding'.",
      ],
    ])
  })
})
