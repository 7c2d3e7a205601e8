import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createKit, expectAccessibleAndCspSafe, failOnConsole, queryUpdatesOnMicrotasks, totpCode, waitUntil } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { loadMfaLocale } from '../i18n/provider'
import { EmailBinding, SmsBinding } from './code-binding'
import { EmailChallenge, SmsChallenge } from './code-challenge'

failOnConsole()

let kit: Kit
let phones = 0
const newPhone = () => `135${String(++phones).padStart(8, '0')}`
beforeAll(() => {
  kit = createKit({
    factors: ['SMS', 'EMAIL'],
    limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10, lockBaseMs: 30_000, checksPerUserPerHour: 100 },
  })
})
afterEach(() => {
  vi.useRealTimers()
})

const announcer = () => document.querySelector('[data-part="announcer"]')!
const root = () => document.querySelector('[data-mfa]')!
const codeInput = () => screen.getByRole('textbox', { name: 'Verification code' })
const masked = (phone: string) => `+86 ${phone.slice(0, 3)}****${phone.slice(-4)}`

describe('SmsChallenge', () => {
  it('sends a code to the bound phone by itself, says where, and signs in with it', async () => {
    const user = userEvent.setup()
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const onVerified = vi.fn()
    kit.render(
      client,
      <SmsChallenge.Root
        mfaToken={mfaToken}
        phone={trigger.mfaPhone}
        phoneCountryCode={trigger.mfaPhoneCountryCode}
        onVerified={onVerified}
      />,
    )
    expect(screen.getByRole('heading', { name: 'Enter the code we texted you' })).toBeInTheDocument()
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'code_sent'))
    expect(screen.getByText(`We sent a code to ${masked(phone)}.`)).toBeInTheDocument()
    await waitFor(() => expect(announcer()).toHaveTextContent(`Code sent to ${masked(phone)}. You can ask for a new code in 60 seconds.`))
    const resend = screen.getByRole('button', { name: 'Send a new code' })
    expect(resend).toHaveAttribute('aria-disabled', 'true')
    expect(resend).toHaveAccessibleDescription('You can ask for a new code in 60 seconds.')
    expect(codeInput()).toHaveAttribute('autocomplete', 'one-time-code')
    await expectAccessibleAndCspSafe()

    await user.click(codeInput())
    await user.keyboard(await kit.lastCode(phone))
    const heading = await screen.findByRole('heading', { name: 'Verified' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ token: client.getToken() }))
  })

  it('says a wrong code is wrong, announced and linked to the emptied input, and takes a pasted one', async () => {
    const user = userEvent.setup()
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const onVerified = vi.fn()
    kit.render(client, <SmsChallenge.Root mfaToken={mfaToken} phone={trigger.mfaPhone} onVerified={onVerified} />)
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'code_sent'))
    const right = await kit.lastCode(phone)
    await user.click(codeInput())
    await user.keyboard(right === '000000' ? '111111' : '000000')
    const message = 'That code is not right. Check it and try again.'
    await waitFor(() => expect(codeInput()).toHaveAccessibleDescription(message))
    expect(codeInput()).toHaveAttribute('aria-invalid', 'true')
    expect(codeInput()).toHaveValue('')
    await waitFor(() => expect(announcer()).toHaveTextContent(message))
    await expectAccessibleAndCspSafe()
    await user.paste(`${right.slice(0, 3)} ${right.slice(3)}`)
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('can be completed with the keyboard alone, asking for the first code by a button', async () => {
    const user = userEvent.setup()
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const onVerified = vi.fn()
    kit.render(
      client,
      <SmsChallenge.Root mfaToken={mfaToken} phone={trigger.mfaPhone} autoSend={false} autoSubmit={false} onVerified={onVerified} />,
    )
    expect(screen.getByText(`We will send a code to ${masked(phone)}.`)).toBeInTheDocument()
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument()
    await user.tab()
    expect(screen.getByRole('button', { name: 'Send code' })).toHaveFocus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'code_sent'))
    // The code goes where focus now is: the code input.
    await waitFor(() => expect(codeInput()).toHaveFocus())
    await user.keyboard(await kit.lastCode(phone))
    await user.keyboard('{Enter}')
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('shows the expired step, focused, once the sign-in is too old', async () => {
    const user = userEvent.setup()
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    const onRestart = vi.fn()
    kit.render(client, <SmsChallenge.Root mfaToken={mfaToken} phone={trigger.mfaPhone} onRestart={onRestart} />)
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'code_sent'))
    const code = await kit.lastCode(phone)
    kit.clock.advance(10 * 60_000 + 1)
    await user.click(codeInput())
    await user.keyboard(code)
    const heading = await screen.findByRole('heading', { name: 'Your sign-in has expired' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Sign in again' }))
    expect(onRestart).toHaveBeenCalledOnce()
  })

  describe('with fake timers', () => {
    queryUpdatesOnMicrotasks()
    beforeEach(() => vi.stubGlobal('jest', { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) }))
    afterEach(() => vi.unstubAllGlobals())

    it('counts down to a resend without announcing every second, then sends a new code', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
      const phone = newPhone()
      const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
      kit.render(client, <SmsChallenge.Root mfaToken={mfaToken} phone={trigger.mfaPhone} />)
      await waitUntil(() => root().getAttribute('data-state') === 'code_sent')
      const node = announcer().firstChild
      kit.clock.advance(30_000)
      act(() => vi.advanceTimersByTime(30_000))
      expect(screen.getByRole('button', { name: 'Send a new code' })).toHaveAccessibleDescription(
        'You can ask for a new code in 30 seconds.',
      )
      expect(announcer().firstChild).toBe(node)
      kit.clock.advance(30_000)
      act(() => vi.advanceTimersByTime(30_000))
      expect(announcer()).toHaveTextContent('You can ask for a new code now.')
      const resend = screen.getByRole('button', { name: 'Send a new code' })
      expect(resend).not.toHaveAttribute('aria-disabled')
      const before = (await kit.outbox(phone)).length
      await user.click(resend)
      await waitUntil(() => root().getAttribute('data-state') === 'code_sent' && resend.getAttribute('aria-disabled') === 'true')
      expect(resend).toHaveAccessibleDescription('You can ask for a new code in 60 seconds.')
      expect((await kit.outbox(phone)).length).toBe(before + 1)
    })

    it('locks after wrong codes, counting down without announcing every second, then takes the right code', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
      const phone = newPhone()
      const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
      const onVerified = vi.fn()
      kit.render(client, <SmsChallenge.Root mfaToken={mfaToken} phone={trigger.mfaPhone} onVerified={onVerified} />)
      await waitUntil(() => root().getAttribute('data-state') === 'code_sent')
      const right = await kit.lastCode(phone)
      const wrong = right === '000000' ? '111111' : '000000'
      await user.click(codeInput())
      for (let i = 0; i < 4 && root().getAttribute('data-state') !== 'rate_limited'; i++) {
        await user.keyboard(wrong)
        await waitUntil(() => root().getAttribute('data-state') !== 'verifying')
      }
      expect(root()).toHaveAttribute('data-state', 'rate_limited')
      const first = announcer().textContent!
      expect(first).toMatch(/^Too many attempts\. Try again in \d+ seconds\.$/)
      expect(codeInput()).toHaveAttribute('readonly')
      expect(codeInput()).toHaveFocus()
      const seconds = Number(first.match(/\d+/)![0])
      const node = announcer().firstChild
      kit.clock.advance(10_000)
      act(() => vi.advanceTimersByTime(10_000))
      expect(codeInput()).toHaveAccessibleDescription(`Too many attempts. Try again in ${seconds - 10} seconds.`)
      expect(announcer().firstChild).toBe(node)
      kit.clock.advance((seconds - 10) * 1000)
      act(() => vi.advanceTimersByTime((seconds - 10) * 1000))
      expect(root()).toHaveAttribute('data-state', 'code_sent')
      expect(announcer()).toHaveTextContent('You can try again now.')
      await user.keyboard(right)
      await waitUntil(() => onVerified.mock.calls.length === 1)
    })
  })

  it('adds a phone first when none is bound: calling code, inline validation, the bindable check, then the code', async () => {
    const user = userEvent.setup()
    const taken = newPhone()
    await kit.signInWithPhone(taken)
    const { client, mfaToken, trigger } = await kit.signInToBind()
    const onVerified = vi.fn()
    kit.render(client, <SmsChallenge.Root mfaToken={mfaToken} phone={trigger.mfaPhone} onVerified={onVerified} debounceMs={0} />)
    const heading = screen.getByRole('heading', { name: 'Add a phone number' })
    expect(heading).toBeInTheDocument()
    const picker = screen.getByRole('combobox', { name: 'Country code' })
    expect(picker).toHaveValue('+86')
    expect(within(picker).getByRole('option', { name: 'Singapore (+65)' })).toBeInTheDocument()
    const input = screen.getByRole('textbox', { name: 'Phone number' })
    expect(input).toHaveAttribute('autocomplete', 'tel')
    expect(input).toHaveAttribute('type', 'tel')
    await expectAccessibleAndCspSafe()

    // Malformed: said once the field is left, nothing asked of the server.
    await user.type(input, '12ab')
    expect(input).not.toHaveAttribute('aria-invalid')
    await user.tab()
    expect(input).toHaveAccessibleDescription('Enter a valid phone number.')
    expect(input).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() => expect(announcer()).toHaveTextContent('Enter a valid phone number.'))
    await expectAccessibleAndCspSafe()

    // Bound to another account: the server says so.
    await user.clear(input)
    await user.type(input, taken)
    await waitFor(() => expect(input).toHaveAccessibleDescription('This number cannot be used. Try another one.'))

    // Another country, another number: sent, then the code.
    await user.selectOptions(picker, '+65')
    await user.clear(input)
    await user.type(input, '9123 4567')
    await waitFor(() => expect(input).not.toHaveAttribute('aria-invalid'))
    await user.click(screen.getByRole('button', { name: 'Send code' }))
    const codeHeading = await screen.findByRole('heading', { name: 'Enter the code we texted you' })
    await waitFor(() => expect(codeHeading).toHaveFocus())
    expect(screen.getByText('We sent a code to +65 912****4567.')).toBeInTheDocument()

    // Changing the number keeps what was typed.
    await user.click(screen.getByRole('button', { name: 'Use another number' }))
    const again = screen.getByRole('textbox', { name: 'Phone number' })
    expect(again).toHaveValue('9123 4567')
    await user.clear(again)
    await user.type(again, '8123 4567')
    await waitFor(() => expect(screen.getByRole('button', { name: 'Send code' })).not.toHaveAttribute('aria-disabled'))
    await user.click(screen.getByRole('button', { name: 'Send code' }))
    await screen.findByRole('heading', { name: 'Enter the code we texted you' })
    expect(screen.getByText('We sent a code to +65 812****4567.')).toBeInTheDocument()
    await user.click(codeInput())
    await user.keyboard(await kit.lastCode('+6581234567'))
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('speaks the chosen language, and keeps the code left to right on a right-to-left page', async () => {
    await loadMfaLocale('zh-CN')
    const phone = newPhone()
    const { client, mfaToken, trigger } = await kit.signInWithPhone(phone)
    kit.render(
      client,
      <div dir="rtl">
        <SmsChallenge.Root mfaToken={mfaToken} phone={trigger.mfaPhone} locale="zh-CN" />
      </div>,
    )
    expect(screen.getByRole('heading', { name: '输入短信验证码' })).toBeInTheDocument()
    expect(root()).toHaveAttribute('lang', 'zh-CN')
    expect(document.querySelector('[data-part="otp-group"]')).toHaveAttribute('dir', 'ltr')
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'code_sent'))
    await expectAccessibleAndCspSafe()
  })
})

describe('EmailChallenge', () => {
  it('sends a code to the email of the account, and signs in with it', async () => {
    const user = userEvent.setup()
    const { client, mfaToken, trigger, email } = await kit.signIn()
    const onVerified = vi.fn()
    kit.render(client, <EmailChallenge.Root mfaToken={mfaToken} email={trigger.mfaEmail} onVerified={onVerified} />)
    expect(screen.getByRole('heading', { name: 'Enter the code we emailed you' })).toBeInTheDocument()
    await waitFor(() => expect(screen.getByText(`We sent a code to ${email[0]}***@example.com.`)).toBeInTheDocument())
    await user.click(codeInput())
    await user.keyboard(await kit.lastCode(email))
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('adds an email when none is bound', async () => {
    const user = userEvent.setup()
    const { client, mfaToken } = await kit.signInToBind()
    const onVerified = vi.fn()
    kit.render(client, <EmailChallenge.Root mfaToken={mfaToken} onVerified={onVerified} bindableCheck={false} />)
    expect(screen.getByRole('heading', { name: 'Add an email address' })).toBeInTheDocument()
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument()
    const input = screen.getByRole('textbox', { name: 'Email address' })
    await user.type(input, 'not-an-email{Enter}')
    await waitFor(() => expect(input).toHaveAccessibleDescription('Enter a valid email address.'))
    await user.clear(input)
    const email = `added.${Date.now()}@example.com`
    await user.type(input, `${email}{Enter}`)
    await screen.findByRole('heading', { name: 'Enter the code we emailed you' })
    await user.click(codeInput())
    await user.keyboard(await kit.lastCode(email))
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
    await expectAccessibleAndCspSafe()
  })
})

describe('SmsBinding and EmailBinding', () => {
  it('adds a phone to the signed-in account, confirming it is the user in place when the sign-in is too old', async () => {
    const user = userEvent.setup()
    const totpKit = createKit({ factors: ['OTP'] })
    const { client, secret, mfaToken } = await totpKit.signInWithTotp()
    await client.mfa.verifyTotpMfa({ mfaToken, totp: totpCode(secret, totpKit.clock.now()) })
    totpKit.clock.advance(60 * 60_000)
    const onDone = vi.fn()
    const phone = newPhone()
    totpKit.render(client, <SmsBinding.Root onDone={onDone} />)
    await user.type(screen.getByRole('textbox', { name: 'Phone number' }), phone)
    await user.click(screen.getByRole('button', { name: 'Send code' }))
    await screen.findByRole('heading', { name: 'Enter the code we texted you' })
    await user.click(codeInput())
    await user.keyboard(await totpKit.lastCode(phone))
    const confirm = await screen.findByRole('heading', { name: 'Confirm it is you' })
    await waitFor(() => expect(confirm).toHaveFocus())
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('textbox', { name: 'Verification code' }))
    await user.keyboard(totpCode(secret, totpKit.clock.now()))
    const done = await screen.findByRole('heading', { name: `${masked(phone)} is set up.` })
    await waitFor(() => expect(done).toHaveFocus())
    expect(onDone).toHaveBeenCalledExactlyOnceWith(phone)
    expect((await client.mfa.getMfaAuthenticators({ type: 'all' })).map((a) => a.id)).toContain('sms')
  })

  it('adds an email to the signed-in account', async () => {
    const user = userEvent.setup()
    const totpKit = createKit({ factors: ['OTP'] })
    const { client, secret, mfaToken, email } = await totpKit.signInWithTotp()
    await client.mfa.verifyTotpMfa({ mfaToken, totp: totpCode(secret, totpKit.clock.now()) })
    // The email the account signed up with, proven now: an account has one email factor.
    totpKit.render(client, <EmailBinding.Root />)
    await user.type(screen.getByRole('textbox', { name: 'Email address' }), `${email}{Enter}`)
    await screen.findByRole('heading', { name: 'Enter the code we emailed you' })
    await user.click(codeInput())
    await user.keyboard(await totpKit.lastCode(email))
    expect(await screen.findByRole('heading', { name: `${email[0]}***@example.com is set up.` })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })
})
