import { createRef } from 'react'
import { act, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadMfaLocale } from '../i18n/provider'
import {
  createKit,
  expectAccessibleAndCspSafe,
  failOnConsole,
  queryUpdatesOnMicrotasks,
  totpCode,
  waitUntil,
  wrongTotpCode,
} from '../harness.testing'
import type { Kit } from '../harness.testing'
import { TotpChallenge } from './totp-challenge'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10, lockBaseMs: 30_000 } })
})
afterEach(() => {
  vi.useRealTimers()
})

const announcer = () => document.querySelector('[data-part="announcer"]')!
const codeInput = () => screen.getByRole('textbox', { name: 'Authentication code' })
const root = () => document.querySelector('[data-part="totp-challenge"]')!

async function renderChallenge(props: Partial<Parameters<typeof TotpChallenge.Root>[0]> = {}, options = {}) {
  const session = await kit.signInWithTotp()
  const onVerified = vi.fn()
  const view = kit.render(session.client, <TotpChallenge.Root mfaToken={session.mfaToken} onVerified={onVerified} {...props} />, options)
  return { ...session, ...view, onVerified }
}

describe('TotpChallenge', () => {
  it('signs in with the code from the app and moves focus to the verified heading', async () => {
    const user = userEvent.setup()
    const { client, secret, onVerified } = await renderChallenge()
    expect(screen.getByRole('heading', { name: 'Enter your authentication code' })).toBeInTheDocument()
    expect(codeInput()).toHaveAttribute('autocomplete', 'one-time-code')
    await expectAccessibleAndCspSafe()
    await user.click(codeInput())
    await user.keyboard(totpCode(secret, kit.clock.now()))
    const heading = await screen.findByRole('heading', { name: 'Verified' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ token: client.getToken() }))
    expect(root()).toHaveAttribute('data-state', 'verified')
    await expectAccessibleAndCspSafe()
  })

  it('takes a pasted code with a space in it', async () => {
    const user = userEvent.setup()
    const { secret, onVerified } = await renderChallenge()
    await user.click(codeInput())
    await user.paste(totpCode(secret, kit.clock.now()).replace(/^(...)/, '$1 '))
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('can be completed with the keyboard alone', async () => {
    const user = userEvent.setup()
    const { secret, onVerified } = await renderChallenge({ autoSubmit: false })
    await user.tab()
    expect(codeInput()).toHaveFocus()
    await user.keyboard(totpCode(secret, kit.clock.now()))
    await user.tab()
    expect(screen.getByRole('button', { name: 'Verify' })).toHaveFocus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('says a wrong code is wrong, announced and linked to the emptied input', async () => {
    const user = userEvent.setup()
    const { secret, client } = await renderChallenge()
    await user.click(codeInput())
    await user.keyboard(wrongTotpCode(secret, kit.clock.now()))
    const message = 'That code is not right. Check it and try again.'
    await waitFor(() => expect(codeInput()).toHaveAccessibleDescription(message))
    expect(codeInput()).toHaveAttribute('aria-invalid', 'true')
    expect(codeInput()).toHaveValue('')
    expect(codeInput()).toHaveFocus()
    await waitFor(() => expect(announcer()).toHaveTextContent(message))
    expect(client.getToken()).toBeNull()
    await expectAccessibleAndCspSafe()
  })

  describe('when the server locks attempts', () => {
    queryUpdatesOnMicrotasks()

    // Testing Library advances fake timers only when it sees Jest's; let it see vitest's.
    beforeEach(() => vi.stubGlobal('jest', { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) }))
    afterEach(() => vi.unstubAllGlobals())

    it('counts down without announcing every second, then takes the right code', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
      const { secret, onVerified } = await renderChallenge()
      await user.click(codeInput())
      for (let i = 0; i < 5 && root().getAttribute('data-state') !== 'rate_limited'; i++) {
        await user.keyboard(wrongTotpCode(secret, kit.clock.now()))
        await waitUntil(() => root().getAttribute('data-state') !== 'verifying')
      }
      expect(root()).toHaveAttribute('data-state', 'rate_limited')
      const first = announcer().textContent
      expect(first).toMatch(/^Too many attempts\. Try again in \d+ seconds\.$/)
      const seconds = Number(first!.match(/\d+/)![0])
      expect(codeInput()).toHaveAccessibleDescription(first!)
      expect(codeInput()).not.toHaveAttribute('aria-invalid')
      expect(codeInput()).toHaveAttribute('readonly')
      expect(codeInput()).toHaveAttribute('aria-disabled', 'true')
      expect(codeInput()).toHaveFocus()

      // Typing and pasting are refused while locked.
      await user.keyboard('12')
      await user.paste(totpCode(secret, kit.clock.now()))
      expect(codeInput()).toHaveValue('')

      // The visible text counts down; the live region is not touched.
      const node = announcer().firstChild
      kit.clock.advance(10_000)
      act(() => vi.advanceTimersByTime(10_000))
      expect(codeInput()).toHaveAccessibleDescription(`Too many attempts. Try again in ${seconds - 10} seconds.`)
      expect(announcer().firstChild).toBe(node)

      kit.clock.advance((seconds - 10) * 1000)
      act(() => vi.advanceTimersByTime((seconds - 10) * 1000))
      expect(root()).toHaveAttribute('data-state', 'idle')
      expect(announcer()).toHaveTextContent('You can try again now.')
      expect(codeInput()).not.toHaveAttribute('readonly')
      expect(codeInput()).toHaveFocus()

      await user.keyboard(totpCode(secret, kit.clock.now()))
      await waitUntil(() => onVerified.mock.calls.length === 1)
      vi.useRealTimers()
      await expectAccessibleAndCspSafe()
    })
  })

  it('shows the expired step, focused, once the sign-in is too old', async () => {
    const user = userEvent.setup()
    const onRestart = vi.fn()
    const onExpired = vi.fn()
    const { secret } = await renderChallenge({ onRestart, onExpired })
    kit.clock.advance(10 * 60_000 + 1)
    await user.click(codeInput())
    await user.keyboard(totpCode(secret, kit.clock.now()))
    const heading = await screen.findByRole('heading', { name: 'Your sign-in has expired' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(onExpired).toHaveBeenCalledOnce()
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Sign in again' }))
    expect(onRestart).toHaveBeenCalledOnce()
  })

  it('ends on its own step, focused, once the sign-in has used up its attempts', async () => {
    const user = userEvent.setup()
    const strict = createKit({ limits: { failureThreshold: 10, mfaTokenMaxAttempts: 2 } })
    const session = await strict.signInWithTotp()
    const onExpired = vi.fn()
    strict.render(session.client, <TotpChallenge.Root mfaToken={session.mfaToken} onExpired={onExpired} onRestart={() => {}} />)
    await user.click(codeInput())
    for (let i = 0; i < 3 && screen.queryByRole('textbox'); i++) {
      await user.keyboard(wrongTotpCode(session.secret, strict.clock.now()))
      await waitUntil(() => root().getAttribute('data-state') !== 'verifying')
    }
    const heading = await screen.findByRole('heading', { name: 'Too many attempts' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(screen.getByText('Too many attempts for this sign-in. Sign in again.')).toBeInTheDocument()
    expect(onExpired).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ code: 'too_many_attempts' }))
    expect(screen.getByRole('button', { name: 'Sign in again' })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })

  it('switches to a recovery code and back, moving focus to each heading', async () => {
    const user = userEvent.setup()
    const onModeChange = vi.fn()
    await renderChallenge({ onModeChange })
    await user.click(screen.getByRole('button', { name: 'Use a recovery code instead' }))
    const heading = screen.getByRole('heading', { name: 'Use a recovery code' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(root()).toHaveAttribute('data-step', 'recovery')
    expect(onModeChange).toHaveBeenCalledWith('recovery')
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Use your authenticator app instead' }))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Enter your authentication code' })).toHaveFocus())
  })

  it('signs in with a recovery code typed in lower case, then requires saving the new one', async () => {
    const user = userEvent.setup()
    const { recoveryCode, client, onVerified } = await renderChallenge({ defaultMode: 'recovery' })
    const input = screen.getByRole('textbox', { name: 'Recovery code' })
    expect(input).toHaveAttribute('autocapitalize', 'none')
    expect(input).toHaveAttribute('autocorrect', 'off')
    expect(input).toHaveAttribute('spellcheck', 'false')
    expect(input).toHaveAttribute('autocomplete', 'off')
    expect(input).not.toHaveAttribute('inputmode')
    expect(recoveryCode).toMatch(/^[0-9a-f-]+$/)
    await user.type(input, recoveryCode)
    expect(input).toHaveValue(recoveryCode)
    await user.keyboard('{Enter}')

    const heading = await screen.findByRole('heading', { name: 'Save your new recovery code' })
    await waitFor(() => expect(heading).toHaveFocus())
    const fresh = document.querySelector('[data-part="recovery-code-value"]')!.textContent!
    expect(fresh).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    expect(fresh).not.toBe(recoveryCode)
    expect(onVerified).not.toHaveBeenCalled()
    await expectAccessibleAndCspSafe()

    const finish = screen.getByRole('button', { name: 'Continue' })
    expect(finish).toBeDisabled()
    await user.click(screen.getByRole('checkbox', { name: 'I have saved my recovery code' }))
    await user.click(finish)
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ token: client.getToken() }))
    expect(document.body.innerHTML).not.toContain(fresh)
  })

  it('says a wrong recovery code is wrong, keeping what was typed to correct it', async () => {
    const user = userEvent.setup()
    await renderChallenge({ defaultMode: 'recovery' })
    const input = screen.getByRole('textbox', { name: 'Recovery code' })
    await user.type(input, 'ABCD-EFGH-0000-0000-0000-0000{Enter}')
    const message = 'That recovery code is not right, or it was already used.'
    await waitFor(() => expect(input).toHaveAccessibleDescription(message))
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveValue('ABCD-EFGH-0000-0000-0000-0000')
    expect(input).toHaveFocus()
    await waitFor(() => expect(document.querySelectorAll('[data-part="announcer"]')[0]).toHaveTextContent(message))
    await expectAccessibleAndCspSafe()
  })

  it('speaks the chosen language', async () => {
    await loadMfaLocale('ja-JP')
    await renderChallenge({ locale: 'ja-JP' })
    expect(screen.getByRole('heading', { name: '認証コードを入力' })).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: '認証コード' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: '代わりにリカバリーコードを使う' })).toBeInTheDocument()
    expect(root()).toHaveAttribute('lang', 'ja-JP')
  })

  it('verifies once under StrictMode', async () => {
    const user = userEvent.setup()
    const { secret, onVerified, client } = await renderChallenge({}, { strict: true })
    const verify = vi.spyOn(client.mfa, 'verifyTotpMfa')
    await user.click(codeInput())
    await user.keyboard(totpCode(secret, kit.clock.now()))
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce())
    expect(verify).toHaveBeenCalledOnce()
  })

  it('composes from parts that accept asChild, forward refs and pass props through', async () => {
    const user = userEvent.setup()
    const session = await kit.signInWithTotp()
    const linkRef = createRef<HTMLButtonElement>()
    kit.render(
      session.client,
      <TotpChallenge.Root mfaToken={session.mfaToken} className="card">
        <TotpChallenge.Step step="verify">
          <TotpChallenge.Heading />
          <TotpChallenge.Form aria-label="Authenticator code">
            <TotpChallenge.CodeInput label="Six digits" data-testid="code" />
          </TotpChallenge.Form>
          <TotpChallenge.RecoveryLink ref={linkRef} className="link">
            Lost your phone?
          </TotpChallenge.RecoveryLink>
        </TotpChallenge.Step>
      </TotpChallenge.Root>,
    )
    expect(screen.getByRole('form', { name: 'Authenticator code' })).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: 'Six digits' })).toBeInTheDocument()
    expect(screen.getByTestId('code')).toHaveAttribute('data-part', 'otp')
    expect(linkRef.current).toBe(screen.getByRole('button', { name: 'Lost your phone?' }))
    expect(linkRef.current).toHaveClass('link')
    await expectAccessibleAndCspSafe()
    await user.click(linkRef.current!)
    expect(await screen.findByRole('heading', { name: 'Use a recovery code' })).toBeInTheDocument()
  })
})
