import { useState } from 'react'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { MfaProvider, useLogin } from '@mfa-kit/hooks'
import type { MfaTrigger } from '@mfa-kit/hooks'
import { createKit, expectAccessibleAndCspSafe, failOnConsole, PASSWORD, readQrCode, totpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { loadMfaLocale } from '../i18n/provider'
import { MfaGuard, useMfaGuard } from './mfa-guard'

failOnConsole()

let kit: Kit
let n = 0
const newEmail = () => `guard${++n}.${Date.now()}@example.com`
beforeAll(() => {
  kit = createKit({ factors: ['OTP'] })
})

/** The protected page: who is signed in, a step-up before a sensitive action, and signing out. */
function Protected() {
  const guard = useMfaGuard()
  const [outcome, setOutcome] = useState('')
  return (
    <main>
      <h1>Dashboard</h1>
      <p>Signed in as {guard.user?.email}</p>
      <button
        type="button"
        onClick={() =>
          guard.requireStepUp().then(
            () => setOutcome('confirmed'),
            (error: { code?: string }) => setOutcome(`refused: ${error?.code}`),
          )
        }
      >
        Delete everything
      </button>
      <output>{outcome}</output>
      <button type="button" onClick={() => void guard.signOut()}>
        Sign out
      </button>
    </main>
  )
}

async function typeCode(user: ReturnType<typeof userEvent.setup>, code: string) {
  await user.click(screen.getByRole('textbox', { name: /code/i }))
  await user.keyboard(code)
}

describe('MfaGuard', () => {
  it('signs up, binds an authenticator app from the QR code it shows, saves the recovery code, shows the page; then signs out and in again with a fresh code', async () => {
    const user = userEvent.setup()
    const client = kit.newClient()
    const onAuthenticated = vi.fn()
    render(
      <MfaGuard client={client} onAuthenticated={onAuthenticated}>
        <Protected />
      </MfaGuard>,
    )
    // Signed out: the sign-in, and from it the sign-up.
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Dashboard' })).not.toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Create an account' }))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Create your account' })).toHaveFocus())
    const email = newEmail()
    await user.type(screen.getByRole('textbox', { name: 'Email' }), email)
    await user.type(screen.getByLabelText('Password'), PASSWORD)
    await user.click(screen.getByRole('button', { name: 'Create account' }))

    // The application asks for a second factor; this new account has none, so it binds one.
    const setUp = await screen.findByRole('heading', { name: 'Set up your authenticator app' })
    await waitFor(() => expect(setUp).toHaveFocus())
    const secret = (await screen.findByText((_, node) => node?.getAttribute('data-part') === 'totp-secret-value')).textContent!
    const qr = await screen.findByRole('img', { name: 'QR code for your authenticator app' })
    expect(readQrCode(qr)).toContain(`secret=${secret.replace(/ /g, '')}`)
    await expectAccessibleAndCspSafe()
    await typeCode(user, totpCode(secret, kit.clock.now()))

    // The recovery code must be saved before the page shows.
    const save = await screen.findByRole('heading', { name: 'Save your recovery code' })
    await waitFor(() => expect(save).toHaveFocus())
    const recoveryCode = document.querySelector('[data-part="recovery-code-value"]')!.textContent!
    expect(screen.queryByRole('heading', { name: 'Dashboard' })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await user.click(screen.getByRole('checkbox', { name: 'I have saved my recovery code' }))
    await user.click(screen.getByRole('button', { name: 'Continue' }))

    // Through: the page, with focus moved into it, and the app told once.
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument()
    expect(screen.getByText(`Signed in as ${email}`)).toBeInTheDocument()
    await waitFor(() => expect(document.querySelector('[data-part="guard-content"]')).toHaveFocus())
    expect(onAuthenticated).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ email }))
    expect(document.body.innerHTML).not.toContain(recoveryCode)
    expect(document.body.innerHTML).not.toContain(secret)
    await expectAccessibleAndCspSafe()

    // Signing out shows the sign-in again.
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    const signIn = await screen.findByRole('heading', { name: 'Sign in' })
    await waitFor(() => expect(signIn).toHaveFocus())
    expect(client.getToken()).toBeNull()

    // Signing in again: the authenticator app, with the code of the next 30 seconds.
    kit.clock.advance(30_000)
    await user.type(screen.getByRole('textbox', { name: 'Email, phone or username' }), email)
    await user.type(screen.getByLabelText('Password'), PASSWORD)
    await user.keyboard('{Enter}')
    const challenge = await screen.findByRole('heading', { name: 'Enter your authentication code' })
    await waitFor(() => expect(challenge).toHaveFocus())
    await typeCode(user, totpCode(secret, kit.clock.now()))
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument()
    expect(onAuthenticated).toHaveBeenCalledTimes(2)
  })

  it('asks for a fresh proof in a dialog for requireStepUp, resolving once given and rejecting when cancelled', async () => {
    const user = userEvent.setup()
    const { client, secret, mfaToken } = await kit.signInWithTotp()
    await client.mfa.verifyTotpMfa({ mfaToken, totp: totpCode(secret, kit.clock.now()) })
    render(
      <MfaGuard client={client}>
        <Protected />
      </MfaGuard>,
    )
    await screen.findByRole('heading', { name: 'Dashboard' })
    const action = screen.getByRole('button', { name: 'Delete everything' })
    await user.click(action)
    const dialog = await screen.findByRole('dialog', { name: 'Confirm it is you' })
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Confirm it is you' })).toHaveFocus())
    expect(dialog).toHaveAttribute('aria-modal', 'true')
    expect(document.querySelector('[data-part="guard-content"]')).toHaveAttribute('inert')
    await expectAccessibleAndCspSafe()
    kit.clock.advance(30_000)
    await typeCode(user, totpCode(secret, kit.clock.now()))
    expect(await screen.findByText('confirmed')).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(document.querySelector('[data-part="guard-content"]')).not.toHaveAttribute('inert')
    await waitFor(() => expect(action).toHaveFocus())

    // Escape gives up: the promise rejects.
    await user.click(action)
    await screen.findByRole('dialog', { name: 'Confirm it is you' })
    await user.keyboard('{Escape}')
    expect(await screen.findByText('refused: reauthentication_required')).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })

  it('goes back to the sign-in with a message when the sign-in expires', async () => {
    const user = userEvent.setup()
    const { client, email, secret } = await kit.signInWithTotp()
    render(
      <MfaGuard client={client}>
        <Protected />
      </MfaGuard>,
    )
    await user.type(screen.getByRole('textbox', { name: 'Email, phone or username' }), email)
    await user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
    await screen.findByRole('heading', { name: 'Enter your authentication code' })
    kit.clock.advance(10 * 60_000 + 1)
    await typeCode(user, totpCode(secret, kit.clock.now()))
    const signIn = await screen.findByRole('heading', { name: 'Sign in' })
    await waitFor(() => expect(signIn).toHaveFocus())
    expect(screen.getByRole('alert')).toHaveTextContent('Your sign-in has expired. Sign in again.')
    await expectAccessibleAndCspSafe()
  })

  it('starts from the trigger of an app’s own login form, inside the app’s MfaProvider, and can be used with the keyboard alone', async () => {
    const user = userEvent.setup()
    const { client, email, secret } = await kit.signInWithTotp()
    function OwnLogin() {
      const login = useLogin()
      const [trigger, setTrigger] = useState<MfaTrigger | null>(null)
      return (
        <MfaGuard
          mfaTrigger={trigger}
          signIn={
            <button
              type="button"
              onClick={async () => {
                const answer = await login.loginByEmail(email, PASSWORD)
                if (answer.status === 'mfa_required') setTrigger(answer.data.trigger)
              }}
            >
              My own sign-in
            </button>
          }
        >
          <Protected />
        </MfaGuard>
      )
    }
    render(
      <MfaProvider client={client} now={kit.clock.now}>
        <OwnLogin />
      </MfaProvider>,
    )
    await user.tab()
    expect(screen.getByRole('button', { name: 'My own sign-in' })).toHaveFocus()
    await user.keyboard('{Enter}')
    const heading = await screen.findByRole('heading', { name: 'Enter your authentication code' })
    await waitFor(() => expect(heading).toHaveFocus())
    await user.tab()
    expect(screen.getByRole('textbox', { name: 'Authentication code' })).toHaveFocus()
    await user.keyboard(totpCode(secret, kit.clock.now()))
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument()
  })

  it('finishes with the recovery code and back, through the factor the challenge shows', async () => {
    const user = userEvent.setup()
    const { client, email, recoveryCode } = await kit.signInWithTotp()
    render(
      <MfaGuard client={client}>
        <Protected />
      </MfaGuard>,
    )
    await user.type(screen.getByRole('textbox', { name: 'Email, phone or username' }), email)
    await user.type(screen.getByLabelText('Password'), `${PASSWORD}{Enter}`)
    await user.click(await screen.findByRole('button', { name: 'Use a recovery code instead' }))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Use a recovery code' })).toHaveFocus())
    await user.click(screen.getByRole('button', { name: 'Use your authenticator app instead' }))
    await user.click(await screen.findByRole('button', { name: 'Use a recovery code instead' }))
    await user.type(screen.getByRole('textbox', { name: 'Recovery code' }), `${recoveryCode}{Enter}`)
    await screen.findByRole('heading', { name: 'Save your new recovery code' })
    await user.click(screen.getByRole('checkbox', { name: 'I have saved my recovery code' }))
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument()
  })

  it('offers the factors of the sign-in in the server’s order, the one shown marked current, and switches between them', async () => {
    const user = userEvent.setup()
    const open = createKit({ factors: ['OTP', 'SMS', 'EMAIL'], enrollmentDuringLogin: 'any' })
    const { client, trigger } = await open.signIn()
    render(
      <MfaGuard client={client} mfaTrigger={trigger} enrollment="any" autoSend={false}>
        <Protected />
      </MfaGuard>,
    )
    const picker = screen.getByRole('group', { name: 'Ways to verify' })
    const buttons = within(picker).getAllByRole('button')
    expect(buttons.map((b) => b.textContent)).toEqual(['Set up: Authenticator app', 'Set up: Text message', 'Email'])
    expect(within(picker).getByRole('button', { name: 'Email' })).toHaveAttribute('aria-current', 'true')
    expect(screen.getByRole('heading', { name: 'Enter the code we emailed you' })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    await user.click(within(picker).getByRole('button', { name: 'Set up: Text message' }))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Add a phone number' })).toHaveFocus())
    expect(within(picker).getByRole('button', { name: 'Set up: Text message' })).toHaveAttribute('aria-current', 'true')
    expect(within(picker).getByRole('button', { name: 'Email' })).not.toHaveAttribute('aria-current')
    await user.click(within(picker).getByRole('button', { name: 'Set up: Authenticator app' }))
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Set up your authenticator app' })).toHaveFocus())
    await expectAccessibleAndCspSafe()
  })

  it('speaks the chosen language and lays out right to left', async () => {
    await loadMfaLocale('ja-JP')
    render(
      <div dir="rtl">
        <MfaGuard client={kit.newClient()} locale="ja-JP">
          <Protected />
        </MfaGuard>
      </div>,
    )
    expect(screen.getByRole('heading', { name: 'ログイン' })).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: 'メールアドレス、電話番号、またはユーザー名' })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })

  it('renders the parts given in components, and throws a clear error for useMfaGuard outside it', () => {
    render(
      <MfaGuard client={kit.newClient()} components={{ SignIn: ({ notice }) => <p>Custom sign-in {String(notice)}</p> }}>
        <Protected />
      </MfaGuard>,
    )
    expect(screen.getByText('Custom sign-in null')).toBeInTheDocument()
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Protected />)).toThrow('useMfaGuard must be used inside <MfaGuard>')
    spy.mockRestore()
  })
})
