import { useState } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import type { LiveMfaOptions } from '../../../../.storybook/live'
import { DEMO_PASSWORD } from '../../../../.storybook/live'
import { wrongTotpCode } from '../authenticator.testing'
import { demoAccount, liveOf, nextTotpCode, withDemoAccount, withDemoAccountNote } from '../stories.testing'
import { MfaGuard, useMfaGuard } from './mfa-guard'

/** The page the guard protects: who is signed in, an action behind a step-up, and signing out. */
function Dashboard() {
  const guard = useMfaGuard()
  const [outcome, setOutcome] = useState('')
  return (
    <div data-mfa="">
      <h2>Your account</h2>
      <p>Signed in as {guard.user?.username ?? guard.user?.email}</p>
      <p>
        <button
          type="button"
          data-variant="danger"
          onClick={() =>
            guard.requireStepUp().then(
              () => setOutcome('Confirmed: the account would be deleted now.'),
              () => setOutcome('Cancelled: nothing was deleted.'),
            )
          }
        >
          Delete my account
        </button>{' '}
        <button type="button" data-variant="secondary" onClick={() => void guard.signOut()}>
          Sign out
        </button>
      </p>
      <p role="status">{outcome}</p>
    </div>
  )
}

const meta = {
  title: 'Drop-in/MfaGuard',
  component: MfaGuard,
  tags: ['autodocs'],
  parameters: { mfa: {} satisfies LiveMfaOptions },
  args: { onAuthenticated: fn() },
  render: (args) => (
    <MfaGuard {...args}>
      <Dashboard />
    </MfaGuard>
  ),
  decorators: [withDemoAccountNote],
} satisfies Meta<typeof MfaGuard>

export default meta
type Story = StoryObj<typeof meta>

const SLOW = { timeout: 15_000 }

/** Types the demo account and its password into the sign-in form, and sends it. */
async function signIn(canvasElement: HTMLElement, username: string, password = DEMO_PASSWORD) {
  const canvas = within(canvasElement)
  await userEvent.type(await canvas.findByRole('textbox', { name: 'Email, phone or username' }), username)
  await userEvent.type(canvas.getByLabelText('Password'), password)
  await userEvent.keyboard('{Enter}')
}

const codeInput = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: /code/i })

/** Signed out: the sign-in, with an email, a phone or a username and the password; the page stays hidden. */
export const SignIn: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expect(canvas.getByRole('textbox', { name: 'Email, phone or username' })).toHaveAttribute('autocomplete', 'username')
    await expect(canvas.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password')
    await expect(canvas.queryByRole('heading', { name: 'Your account' })).not.toBeInTheDocument()
  },
}

/** Creating an account, from the sign-in. */
export const SignUp: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Create an account' }))
    const heading = await canvas.findByRole('heading', { name: 'Create your account' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(canvas.getByRole('textbox', { name: 'Email' })).toHaveAttribute('autocomplete', 'email')
    await expect(canvas.getByLabelText('Password')).toHaveAccessibleDescription('At least 8 characters.')
  },
}

/** A wrong password: said on the password field, which keeps focus. */
export const WrongPassword: Story = {
  parameters: withDemoAccount({ totp: true }),
  play: async ({ canvasElement }) => {
    await signIn(canvasElement, 'ada', 'not the right password')
    const password = within(canvasElement).getByLabelText('Password')
    await waitFor(() => expect(password).toHaveAccessibleDescription('The account or the password is not right.'), SLOW)
    await expect(password).toHaveAttribute('aria-invalid', 'true')
    await expect(password).toHaveFocus()
  },
}

/** An account with an authenticator app: after the password, its code. The note under the card shows the code. */
export const SecondFactor: Story = {
  parameters: withDemoAccount({ totp: true }),
  play: async ({ canvasElement }) => {
    await signIn(canvasElement, 'ada')
    const heading = await within(canvasElement).findByRole('heading', { name: 'Enter your authentication code' }, SLOW)
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(codeInput(canvasElement)).toHaveAttribute('autocomplete', 'one-time-code')
    // Six boxes of their full size (2.75rem) on a wide screen.
    const slots = [...canvasElement.querySelectorAll('[data-part="otp-slot"]')]
    await expect(slots.map((slot) => Math.round(slot.getBoundingClientRect().width))).toEqual([44, 44, 44, 44, 44, 44])
    await expect(within(canvasElement).getByRole('button', { name: 'Use a recovery code instead' })).toBeVisible()
  },
}

/**
 * A new account under a policy of authenticator apps only: it binds one before going on. Scan the
 * QR code with a real phone app and type its code to finish.
 */
export const BindAuthenticatorApp: Story = {
  parameters: { mfa: { factors: ['OTP'] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Create an account' }))
    await userEvent.type(canvas.getByRole('textbox', { name: 'Email' }), 'grace@example.com')
    await userEvent.type(canvas.getByLabelText('Password'), `${DEMO_PASSWORD}{Enter}`)
    const heading = await canvas.findByRole('heading', { name: 'Set up your authenticator app' }, SLOW)
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(await canvas.findByRole('img', { name: 'QR code for your authenticator app' }, SLOW)).toBeVisible()
  },
}

/**
 * An account with no factor yet, under a policy of authenticator app, text message and email: every
 * factor is offered to set up, in the server's order, the one on screen marked current.
 */
export const FactorChoice: Story = {
  parameters: withDemoAccount({}),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await signIn(canvasElement, 'ada')
    const picker = await canvas.findByRole('group', { name: 'Ways to verify' }, SLOW)
    await expect(
      within(picker)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Set up: Authenticator app', 'Set up: Text message', 'Set up: Email'])
    const sms = within(picker).getByRole('button', { name: 'Set up: Text message' })
    await userEvent.click(sms)
    const heading = await canvas.findByRole('heading', { name: 'Add a phone number' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(sms).toHaveAttribute('aria-current', 'true')
  },
}

/** Through: the protected page, with focus moved into it. */
export const SignedIn: Story = {
  parameters: withDemoAccount({ totp: true }),
  play: async ({ canvasElement, loaded, args }) => {
    const canvas = within(canvasElement)
    const live = liveOf({ loaded })
    await signIn(canvasElement, 'ada')
    await canvas.findByRole('heading', { name: 'Enter your authentication code' }, SLOW)
    await userEvent.type(codeInput(canvasElement), nextTotpCode(live, demoAccount(live).secret!))
    await expect(await canvas.findByRole('heading', { name: 'Your account' }, SLOW)).toBeVisible()
    await expect(canvas.getByText('Signed in as ada')).toBeVisible()
    await waitFor(() => expect(canvasElement.querySelector('[data-part="guard-content"]')).toHaveFocus())
    await expect(args.onAuthenticated).toHaveBeenCalledOnce()
  },
}

/** A sign-in left too long (ten minutes on the reference server) goes back to the sign-in, saying why. */
export const Expired: Story = {
  parameters: withDemoAccount({ totp: true }),
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    const live = liveOf({ loaded })
    await signIn(canvasElement, 'ada')
    await canvas.findByRole('heading', { name: 'Enter your authentication code' }, SLOW)
    live.clock.advance(10 * 60_000)
    await userEvent.type(codeInput(canvasElement), nextTotpCode(live, demoAccount(live).secret!))
    const heading = await canvas.findByRole('heading', { name: 'Sign in' }, SLOW)
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(canvas.getByRole('alert')).toHaveTextContent('Your sign-in has expired. Sign in again.')
  },
}

/**
 * Wrong codes in a row (two, on this server) lock the code for a while: the message counts down,
 * and the input stays focused but read-only.
 */
export const Locked: Story = {
  parameters: withDemoAccount({ totp: true }, { limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10 } }),
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    const live = liveOf({ loaded })
    const secret = demoAccount(live).secret!
    await signIn(canvasElement, 'ada')
    await canvas.findByRole('heading', { name: 'Enter your authentication code' }, SLOW)
    for (let i = 0; i < 5 && !codeInput(canvasElement).matches('[readonly]'); i++) {
      await userEvent.type(codeInput(canvasElement), wrongTotpCode(secret, live.clock.now()))
      await waitFor(() => expect(codeInput(canvasElement)).toHaveValue(''), SLOW)
    }
    const input = codeInput(canvasElement)
    await waitFor(() => expect(input).toHaveAccessibleDescription(/^Too many attempts\. Try again in \d+ seconds\.$/), SLOW)
    await expect(input).toHaveAttribute('readonly')
    await expect(input).toHaveFocus()
  },
}

/** `requireStepUp()` before a sensitive action: a modal dialog asks for a fresh code; the page is inert meanwhile. */
export const StepUp: Story = {
  parameters: withDemoAccount({ totp: true, signedIn: true }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Delete my account' }, SLOW))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it is you' }, SLOW)
    await expect(dialog).toHaveAttribute('aria-modal', 'true')
    await waitFor(() => expect(within(dialog).getByRole('heading', { name: 'Confirm it is you' })).toHaveFocus())
    await expect(canvasElement.querySelector('[data-part="guard-content"]')).toHaveAttribute('inert')
  },
}

/** In Simplified Chinese (the toolbar's language, or `locale="zh-CN"`). */
export const ChineseSimplified: Story = {
  globals: { locale: 'zh-CN' },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('heading', { name: '登录' }, SLOW)).toBeVisible()
    await expect(canvasElement.querySelector('[data-part="mfa-guard"]')).toHaveAttribute('lang', 'zh-CN')
  },
}

/** In Traditional Chinese. */
export const ChineseTraditional: Story = {
  globals: { locale: 'zh-TW' },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('heading', { name: '登入' }, SLOW)).toBeVisible()
    await expect(canvasElement.querySelector('[data-part="mfa-guard"]')).toHaveAttribute('lang', 'zh-TW')
  },
}

/** In Japanese, on the code of the second factor. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  parameters: withDemoAccount({ totp: true }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(await canvas.findByRole('textbox', { name: 'メールアドレス、電話番号、またはユーザー名' }, SLOW), 'ada')
    await userEvent.type(canvas.getByLabelText('パスワード'), `${DEMO_PASSWORD}{Enter}`)
    await waitFor(() => expect(canvasElement.querySelector('[data-part="guard-challenge"] h2')).toHaveFocus(), SLOW)
    await expect(canvasElement.querySelector('[data-part="mfa-guard"]')).toHaveAttribute('lang', 'ja-JP')
  },
}

/** The dark theme (`data-theme="dark"` on an ancestor; `prefers-color-scheme: dark` does the same). */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const card = await waitFor(() => {
      const node = canvasElement.querySelector<HTMLElement>('[data-part="password-sign-in"]')
      if (!node) throw new Error('no sign-in yet')
      return node
    })
    await waitFor(() => expect(document.documentElement).toHaveAttribute('data-theme', 'dark'))
    await waitFor(() => expect(getComputedStyle(card).colorScheme).toBe('dark'))
  },
}

/** Right to left: the layout mirrors, the code itself stays left to right. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  parameters: withDemoAccount({ totp: true }),
  play: async ({ canvasElement }) => {
    await signIn(canvasElement, 'ada')
    await within(canvasElement).findByRole('heading', { name: 'Enter your authentication code' }, SLOW)
    await expect(document.documentElement).toHaveAttribute('dir', 'rtl')
    await expect(codeInput(canvasElement).closest('[dir="ltr"]')).not.toBeNull()
  },
}

/** A narrow phone screen (320 px): the card fills the width, nothing scrolls sideways. */
export const Mobile: Story = {
  globals: { viewport: { value: 'mobile1', isRotated: false } },
  parameters: withDemoAccount({ totp: true }),
  play: async ({ canvasElement }) => {
    await signIn(canvasElement, 'ada')
    await within(canvasElement).findByRole('heading', { name: 'Enter your authentication code' }, SLOW)
    await expect(window.innerWidth).toBeLessThanOrEqual(400)
    for (const slot of canvasElement.querySelectorAll('[data-part="otp-slot"]'))
      await expect(slot.getBoundingClientRect().width).toBeGreaterThan(20)
    const beyond = [...canvasElement.querySelectorAll('*')].filter((node) => node.getBoundingClientRect().right > window.innerWidth)
    await expect(beyond.map((node) => node.getAttribute('data-part') ?? node.tagName)).toEqual([])
    await expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(window.innerWidth)
  },
}
