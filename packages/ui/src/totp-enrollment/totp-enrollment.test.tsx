import { createRef } from 'react'
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadMfaLocale } from '../i18n/provider'
import { createKit, expectAccessibleAndCspSafe, failOnConsole, readQrCode, totpCode, wrongTotpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { TotpEnrollment } from './totp-enrollment'

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10 } })
})
afterEach(() => {
  vi.useRealTimers()
})

const announcer = () => document.querySelector('[data-part="announcer"]')!
const codeInput = () => screen.getByRole('textbox', { name: 'Code from the app' })
/** The setup key as shown: groups of four, separated by spaces. */
const shownSecret = () => document.querySelector('[data-part="totp-secret-value"]')!.textContent!
const shownRecoveryCode = () => document.querySelector('[data-part="recovery-code-value"]')!.textContent!

async function renderEnrollment(props: Partial<Parameters<typeof TotpEnrollment.Root>[0]> = {}) {
  const session = await kit.signIn()
  const onDone = vi.fn()
  const view = kit.render(session.client, <TotpEnrollment.Root mfaToken={session.mfaToken} onDone={onDone} {...props} />)
  await screen.findByRole('img', { name: 'QR code for your authenticator app' })
  return { ...session, ...view, onDone }
}

describe('TotpEnrollment', () => {
  it('binds with a code computed from the secret it shows, then requires the recovery code to be saved', async () => {
    const user = userEvent.setup()
    const onVerified = vi.fn()
    const { client, onDone } = await renderEnrollment({ onVerified })
    expect(screen.getByRole('heading', { name: 'Set up your authenticator app' })).toBeInTheDocument()

    // The secret, in groups of four, is the one in the QR code and in the "open in app" link.
    const secret = shownSecret()
    expect(secret).toMatch(/^([A-Z2-7]{4} )*[A-Z2-7]{1,4}$/)
    const plain = secret.replace(/ /g, '')
    const uri = readQrCode(screen.getByRole('img', { name: 'QR code for your authenticator app' }))
    expect(uri).toMatch(/^otpauth:\/\/totp\//)
    expect(new URL(uri!).searchParams.get('secret')).toBe(plain)
    expect(screen.getByRole('link', { name: 'Open in authenticator app' })).toHaveAttribute('href', uri)
    expect(document.querySelector('[data-part="totp-enrollment"]')).toHaveAttribute('data-step', 'scan')
    await expectAccessibleAndCspSafe()

    // Copying the key copies it without spaces, and says so.
    await user.click(screen.getByRole('button', { name: 'Copy setup key' }))
    expect(await navigator.clipboard.readText()).toBe(plain)
    await waitFor(() => expect(announcer()).toHaveTextContent('Setup key copied.'))

    await user.click(codeInput())
    await user.keyboard(totpCode(plain, kit.clock.now()))
    const heading = await screen.findByRole('heading', { name: 'Save your recovery code' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(client.getToken()).toBeTruthy()

    const recoveryCode = shownRecoveryCode()
    expect(recoveryCode).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    const finish = screen.getByRole('button', { name: 'Continue' })
    expect(finish).toBeDisabled()
    await expectAccessibleAndCspSafe()

    await user.click(screen.getByRole('checkbox', { name: 'I have saved my recovery code' }))
    expect(finish).toBeEnabled()
    await user.click(finish)

    const done = await screen.findByRole('heading', { name: 'Authenticator app turned on' })
    await waitFor(() => expect(done).toHaveFocus())
    expect(onDone).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ token: client.getToken() }))
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(onDone.mock.calls[0]![0])
    // Nothing secret is left in the page.
    expect(document.body.innerHTML).not.toContain(plain)
    expect(document.body.innerHTML).not.toContain(secret)
    expect(document.body.innerHTML).not.toContain(recoveryCode)
    await expectAccessibleAndCspSafe()
  })

  it('can be completed with the keyboard alone', async () => {
    const user = userEvent.setup()
    const { onDone } = await renderEnrollment()
    const plain = shownSecret().replace(/ /g, '')
    // From the top of the page: Copy setup key, Open in authenticator app, then the code input.
    await user.tab()
    expect(screen.getByRole('button', { name: 'Copy setup key' })).toHaveFocus()
    await user.tab()
    expect(screen.getByRole('link', { name: 'Open in authenticator app' })).toHaveFocus()
    await user.tab()
    expect(codeInput()).toHaveFocus()
    await user.keyboard(totpCode(plain, kit.clock.now()))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Save your recovery code' })).toHaveFocus())
    await user.tab()
    expect(screen.getByRole('button', { name: 'Copy code' })).toHaveFocus()
    await user.tab()
    await user.tab()
    await user.tab()
    expect(screen.getByRole('checkbox', { name: 'I have saved my recovery code' })).toHaveFocus()
    await user.keyboard(' ')
    await user.tab()
    expect(screen.getByRole('button', { name: 'Continue' })).toHaveFocus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce())
  })

  it('copies, downloads (through a revoked Blob URL) and prints the recovery code, only when asked', async () => {
    const user = userEvent.setup()
    await renderEnrollment()
    const writeText = vi.spyOn(navigator.clipboard, 'writeText')
    await user.click(codeInput())
    await user.keyboard(totpCode(shownSecret(), kit.clock.now()))
    await screen.findByRole('heading', { name: 'Save your recovery code' })
    const code = shownRecoveryCode()
    expect(writeText).not.toHaveBeenCalled()

    await user.click(screen.getByRole('button', { name: 'Copy code' }))
    expect(writeText).toHaveBeenCalledExactlyOnceWith(code)
    await waitFor(() => expect(announcer()).toHaveTextContent('Recovery code copied.'))

    const blobs: Blob[] = []
    const links: { href: string; download: string }[] = []
    const create = vi.fn((blob: Blob) => {
      blobs.push(blob)
      return 'blob:mfa.test/recovery'
    })
    const revoke = vi.fn()
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke })
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      links.push({ href: this.href, download: this.download })
    })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    fireEvent.click(screen.getByRole('button', { name: 'Download .txt' }))
    expect(links).toEqual([{ href: 'blob:mfa.test/recovery', download: 'recovery-code.txt' }])
    expect(await blobs[0]!.text()).toContain(`\n${code}\n`)
    expect(blobs[0]!.type).toMatch(/^text\/plain/)
    expect(revoke).not.toHaveBeenCalled()
    act(() => vi.advanceTimersByTime(10_000))
    expect(revoke).toHaveBeenCalledExactlyOnceWith('blob:mfa.test/recovery')
    vi.useRealTimers()

    const print = vi.spyOn(window, 'print').mockImplementation(() => {
      expect(document.documentElement).toHaveAttribute('data-mfa-printing')
    })
    await user.click(screen.getByRole('button', { name: 'Print' }))
    expect(print).toHaveBeenCalledOnce()
    expect(document.querySelector('[data-mfa-print]')).toHaveTextContent(code)
    window.dispatchEvent(new Event('afterprint'))
    expect(document.documentElement).not.toHaveAttribute('data-mfa-printing')
  })

  it('says a wrong code is wrong, linked to the input and announced, and takes the right one next', async () => {
    const user = userEvent.setup()
    await renderEnrollment()
    const secret = shownSecret()
    await user.click(codeInput())
    await user.keyboard(wrongTotpCode(secret, kit.clock.now()))
    await waitFor(() => expect(codeInput()).toHaveAccessibleDescription('That code is not right. Check it and try again.'))
    expect(codeInput()).toHaveAttribute('aria-invalid', 'true')
    expect(codeInput()).toHaveValue('')
    expect(codeInput()).toHaveFocus()
    await waitFor(() => expect(announcer()).toHaveTextContent('That code is not right. Check it and try again.'))
    await expectAccessibleAndCspSafe()
    await user.keyboard(totpCode(secret, kit.clock.now()))
    expect(await screen.findByRole('heading', { name: 'Save your recovery code' })).toBeInTheDocument()
  })

  it('shows the expired step, focused, when the sign-in is too old, and offers to sign in again', async () => {
    const user = userEvent.setup()
    const onRestart = vi.fn()
    const onExpired = vi.fn()
    await renderEnrollment({ onRestart, onExpired })
    const secret = shownSecret()
    kit.clock.advance(10 * 60_000 + 1)
    await user.click(codeInput())
    await user.keyboard(totpCode(secret, kit.clock.now()))
    const heading = await screen.findByRole('heading', { name: 'Your sign-in has expired' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(onExpired).toHaveBeenCalledOnce()
    expect(document.body.innerHTML).not.toContain(secret)
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Sign in again' }))
    expect(onRestart).toHaveBeenCalledOnce()
  })

  it('starts on request with autoStart off', async () => {
    const user = userEvent.setup()
    const { client, mfaToken } = await kit.signIn()
    kit.render(client, <TotpEnrollment.Root mfaToken={mfaToken} autoStart={false} />)
    expect(screen.queryByRole('img')).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Get started' }))
    expect(await screen.findByRole('img', { name: 'QR code for your authenticator app' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Get started' })).not.toBeInTheDocument()
  })

  it('speaks the chosen language, and asks for one secret in StrictMode', async () => {
    await loadMfaLocale('zh-CN')
    const { client, mfaToken } = await kit.signIn()
    const associate = vi.spyOn(client.mfa, 'associateMfaAuthenticator')
    kit.render(client, <TotpEnrollment.Root mfaToken={mfaToken} locale="zh-CN" />, { strict: true })
    expect(await screen.findByRole('img', { name: '用于身份验证器应用的二维码' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: '设置身份验证器应用' })).toBeInTheDocument()
    expect(document.querySelector('[data-part="totp-enrollment"]')).toHaveAttribute('lang', 'zh-CN')
    expect(screen.getByRole('textbox', { name: '应用中显示的验证码' })).toBeInTheDocument()
    expect(associate).toHaveBeenCalledOnce()
    await expectAccessibleAndCspSafe()
  })

  it('lays out right to left around a left-to-right code', async () => {
    const { client, mfaToken } = await kit.signIn()
    kit.render(
      client,
      <div dir="rtl">
        <TotpEnrollment.Root mfaToken={mfaToken} messages={{ totpEnrollment: { title: 'إعداد تطبيق المصادقة' } }} />
      </div>,
    )
    expect(await screen.findByRole('heading', { name: 'إعداد تطبيق المصادقة' })).toBeInTheDocument()
    expect(document.querySelector('[data-part="otp-group"]')).toHaveAttribute('dir', 'ltr')
    await screen.findByRole('img')
    await expectAccessibleAndCspSafe()
  })

  it('composes from parts that accept asChild, forward refs and pass props through', async () => {
    const user = userEvent.setup()
    const { client, mfaToken } = await kit.signIn()
    const qrRef = createRef<HTMLDivElement>()
    const submitRef = createRef<HTMLButtonElement>()
    const onClick = vi.fn()
    kit.render(
      client,
      <TotpEnrollment.Root mfaToken={mfaToken} autoSubmit={false} className="card" data-testid="root">
        <TotpEnrollment.Step step="scan" className="scan">
          <TotpEnrollment.Heading asChild>
            <h1>Two-step sign-in</h1>
          </TotpEnrollment.Heading>
          <TotpEnrollment.Qr ref={qrRef} size={128} data-testid="qr" />
          <TotpEnrollment.Secret />
          <TotpEnrollment.Form>
            <TotpEnrollment.CodeInput />
            <TotpEnrollment.Submit asChild ref={submitRef}>
              <button type="submit" className="mine" onClick={onClick}>
                Turn on
              </button>
            </TotpEnrollment.Submit>
          </TotpEnrollment.Form>
        </TotpEnrollment.Step>
        <TotpEnrollment.Step step="recovery">
          <TotpEnrollment.Heading />
          <TotpEnrollment.RecoveryCode />
          <TotpEnrollment.Acknowledge>Saved it</TotpEnrollment.Acknowledge>
          <TotpEnrollment.Finish>Done</TotpEnrollment.Finish>
        </TotpEnrollment.Step>
      </TotpEnrollment.Root>,
    )
    expect(screen.getByTestId('root')).toHaveClass('card')
    expect(screen.getByRole('heading', { level: 1, name: 'Two-step sign-in' })).toHaveAttribute('data-part', 'heading')
    await screen.findByRole('img')
    expect(qrRef.current).toBe(screen.getByTestId('qr'))
    expect(within(qrRef.current!).getByRole('img')).toHaveAttribute('width', '128')
    const submit = screen.getByRole('button', { name: 'Turn on' })
    expect(submitRef.current).toBe(submit)
    expect(submit).toHaveClass('mine')
    expect(submit).toHaveAttribute('data-part', 'submit')
    expect(submit).toHaveAttribute('aria-disabled', 'true')
    await user.click(submit)
    expect(onClick).toHaveBeenCalledOnce()
    expect(screen.getByTestId('root')).toHaveAttribute('data-state', 'awaiting_code')
    await user.click(codeInput())
    await user.keyboard(totpCode(shownSecret(), kit.clock.now()))
    expect(screen.getByRole('heading', { level: 1 })).toBeInTheDocument()
    expect(submit).not.toHaveAttribute('aria-disabled')
    await user.click(submit)
    expect(onClick).toHaveBeenCalledTimes(2)
    expect(await screen.findByRole('heading', { name: 'Save your recovery code' })).toBeInTheDocument()
    await user.click(screen.getByRole('checkbox', { name: 'Saved it' }))
    await user.click(screen.getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.getByTestId('root')).toHaveAttribute('data-state', 'done'))
    await expectAccessibleAndCspSafe()
  })
})
