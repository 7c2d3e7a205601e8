import { createRef } from 'react'
import { act, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadMfaLocale } from '../i18n/provider'
import { createKit, expectAccessibleAndCspSafe, failOnConsole, queryUpdatesOnMicrotasks, waitUntil } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { RecoveryCodeChallenge } from './recovery-code-challenge'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10, lockBaseMs: 30_000 } })
})
afterEach(() => {
  vi.useRealTimers()
})

const input = () => screen.getByRole('textbox', { name: 'Recovery code' })
const root = () => document.querySelector('[data-part="recovery-code-challenge"]')!

async function renderChallenge(props: Partial<Parameters<typeof RecoveryCodeChallenge.Root>[0]> = {}) {
  const session = await kit.signInWithTotp()
  const onVerified = vi.fn()
  const view = kit.render(session.client, <RecoveryCodeChallenge.Root mfaToken={session.mfaToken} onVerified={onVerified} {...props} />)
  return { ...session, ...view, onVerified }
}

describe('RecoveryCodeChallenge', () => {
  it('accepts the code in capitals with spaces, shows the new code once and finishes after it is saved', async () => {
    const user = userEvent.setup()
    const { recoveryCode, onVerified } = await renderChallenge()
    expect(screen.queryByRole('button', { name: 'Use your authenticator app instead' })).not.toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    const typed = recoveryCode.toUpperCase().replace(/-/g, ' ')
    await user.type(input(), typed)
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Save your new recovery code' })).toHaveFocus())
    expect(root()).toHaveAttribute('data-step', 'new_code')
    await user.click(screen.getByRole('checkbox', { name: 'I have saved my recovery code' }))
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Verified' })).toHaveFocus())
    expect(onVerified).toHaveBeenCalledOnce()
    await expectAccessibleAndCspSafe()
  })

  it('does not send an empty code', async () => {
    const user = userEvent.setup()
    const { client } = await renderChallenge()
    const verify = vi.spyOn(client.mfa, 'verifyTotpRecoveryCode')
    const submit = screen.getByRole('button', { name: 'Verify' })
    expect(submit).toHaveAttribute('aria-disabled', 'true')
    await user.click(submit)
    await user.type(input(), '   {Enter}')
    expect(verify).not.toHaveBeenCalled()
  })

  describe('when the server locks attempts', () => {
    queryUpdatesOnMicrotasks()
    beforeEach(() => vi.stubGlobal('jest', { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) }))
    afterEach(() => vi.unstubAllGlobals())

    it('keeps the input focused and read-only through the countdown, then takes the right code', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
      const { recoveryCode } = await renderChallenge()
      for (let i = 0; i < 5 && root().getAttribute('data-state') !== 'rate_limited'; i++) {
        await user.clear(input())
        await user.type(input(), '0000-0000-0000-0000-0000-0000{Enter}')
        await waitUntil(() => root().getAttribute('data-state') !== 'verifying')
      }
      expect(root()).toHaveAttribute('data-state', 'rate_limited')
      expect(input()).toHaveAccessibleDescription(/^Too many attempts\. Try again in \d+ seconds\.$/)
      expect(input()).toHaveAttribute('readonly')
      expect(input()).toHaveFocus()
      const seconds = Number(/\d+/.exec(document.querySelector('[data-part="field-error"]')!.textContent!)![0])
      kit.clock.advance(seconds * 1000)
      act(() => vi.advanceTimersByTime(seconds * 1000))
      expect(root()).toHaveAttribute('data-state', 'idle')
      expect(input()).not.toHaveAttribute('readonly')
      await user.clear(input())
      await user.type(input(), `${recoveryCode}{Enter}`)
      await waitUntil(() => root().getAttribute('data-step') === 'new_code')
    })
  })

  it('shows the expired step, focused, once the sign-in is too old', async () => {
    const user = userEvent.setup()
    const onRestart = vi.fn()
    const { recoveryCode } = await renderChallenge({ onRestart })
    kit.clock.advance(10 * 60_000 + 1)
    await user.type(input(), `${recoveryCode}{Enter}`)
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Your sign-in has expired' })).toHaveFocus())
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Sign in again' }))
    expect(onRestart).toHaveBeenCalledOnce()
  })

  it('speaks the chosen language', async () => {
    await loadMfaLocale('zh-TW')
    await renderChallenge({ locale: 'zh-TW' })
    expect(screen.getByRole('heading', { name: '使用復原碼' })).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: '復原碼' })).toBeInTheDocument()
  })

  it('composes from parts that accept asChild, forward refs and pass props through', async () => {
    const user = userEvent.setup()
    const session = await kit.signInWithTotp()
    const inputRef = createRef<HTMLInputElement>()
    const onBack = vi.fn()
    kit.render(
      session.client,
      <RecoveryCodeChallenge.Root mfaToken={session.mfaToken} onBack={onBack}>
        <RecoveryCodeChallenge.Step step="verify">
          <RecoveryCodeChallenge.Heading>Backup code</RecoveryCodeChallenge.Heading>
          <RecoveryCodeChallenge.Form>
            <RecoveryCodeChallenge.Label>Your backup code</RecoveryCodeChallenge.Label>
            <RecoveryCodeChallenge.CodeInput ref={inputRef} placeholder="xxxx-xxxx" />
            <RecoveryCodeChallenge.Error />
            <RecoveryCodeChallenge.Submit asChild>
              <button type="submit" className="mine">
                Go
              </button>
            </RecoveryCodeChallenge.Submit>
          </RecoveryCodeChallenge.Form>
          <RecoveryCodeChallenge.Back />
        </RecoveryCodeChallenge.Step>
      </RecoveryCodeChallenge.Root>,
    )
    const field = screen.getByRole('textbox', { name: 'Your backup code' })
    expect(inputRef.current).toBe(field)
    expect(field).toHaveAttribute('placeholder', 'xxxx-xxxx')
    expect(screen.getByRole('button', { name: 'Go' })).toHaveClass('mine')
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Use your authenticator app instead' }))
    expect(onBack).toHaveBeenCalledOnce()
  })
})
