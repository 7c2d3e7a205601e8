import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import type { LiveMfaOptions } from '../../../../.storybook/live'
import { DEMO_PASSWORD } from '../../../../.storybook/live'
import { withDemoAccount } from '../stories.testing'
import { PasswordSignIn, PasswordSignInRoot } from './password-sign-in'

const meta = {
  title: 'Components/PasswordSignIn',
  component: PasswordSignInRoot,
  tags: ['autodocs'],
  parameters: { mfa: {} satisfies LiveMfaOptions },
  args: { onMfaRequired: fn(), onSignedIn: fn() },
  render: (args) => <PasswordSignIn.Root {...args} />,
} satisfies Meta<typeof PasswordSignInRoot>

export default meta
type Story = StoryObj<typeof meta>

const SLOW = { timeout: 15_000 }
const account = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: 'Email, phone or username' })
const password = (canvasElement: HTMLElement) => within(canvasElement).getByLabelText('Password')
const withAccount = (mfa: LiveMfaOptions = {}) => withDemoAccount({ totp: true }, mfa)

/** The sign-in: one field for an email, a phone or a username, and the password. */
export const SignIn: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expect(account(canvasElement)).toHaveAttribute('autocomplete', 'username')
    await expect(password(canvasElement)).toHaveAttribute('autocomplete', 'current-password')
  },
}

/** Empty fields are pointed out before anything is sent; the first takes focus. */
export const EmptyFields: Story = {
  play: async ({ canvasElement, args }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Sign in' }))
    await expect(account(canvasElement)).toHaveAccessibleDescription('Fill in this field.')
    await expect(password(canvasElement)).toHaveAccessibleDescription('Fill in this field.')
    await expect(account(canvasElement)).toHaveFocus()
    await expect(args.onMfaRequired).not.toHaveBeenCalled()
  },
}

/** The server's refusal, on the password field, which keeps focus. */
export const WrongPassword: Story = {
  parameters: withAccount(),
  play: async ({ canvasElement }) => {
    await userEvent.type(account(canvasElement), 'ada')
    await userEvent.type(password(canvasElement), 'not the right password{Enter}')
    await waitFor(() => expect(password(canvasElement)).toHaveAccessibleDescription('The account or the password is not right.'), SLOW)
    await expect(password(canvasElement)).toHaveAttribute('aria-invalid', 'true')
  },
}

/** Too many wrong passwords (two, on this server): the account is locked for a while, counted down. */
export const Locked: Story = {
  parameters: withAccount({ limits: { passwordFailureThreshold: 2 } }),
  play: async ({ canvasElement }) => {
    await userEvent.type(account(canvasElement), 'ada')
    for (let i = 0; i < 4 && !/Try again in/.test(canvasElement.textContent ?? ''); i++) {
      await userEvent.clear(password(canvasElement))
      await userEvent.type(password(canvasElement), `wrong password ${i}{Enter}`)
      await waitFor(() => expect(password(canvasElement)).toHaveAccessibleDescription(/not right|Try again in/), SLOW)
    }
    await waitFor(() => expect(password(canvasElement)).toHaveAccessibleDescription(/Try again in \d+ seconds/), SLOW)
  },
}

/** The right password of an account with a second factor: the trigger goes to `onMfaRequired` (`<MfaGuard>` takes it from there). */
export const SecondFactorRequired: Story = {
  parameters: withAccount(),
  play: async ({ canvasElement, args }) => {
    await userEvent.type(account(canvasElement), 'ada')
    await userEvent.type(password(canvasElement), `${DEMO_PASSWORD}{Enter}`)
    await waitFor(() => expect(args.onMfaRequired).toHaveBeenCalledOnce(), SLOW)
    const [trigger] = (args.onMfaRequired as ReturnType<typeof fn>).mock.calls[0] as [
      { username: string; totpMfaEnabled: boolean; mfaToken: string },
    ]
    await expect(trigger).toMatchObject({ username: 'ada', totpMfaEnabled: true })
    await expect(trigger.mfaToken).toMatch(/\S{20,}/)
  },
}

/** Creating an account: an email and a password, with its rule as the hint. */
export const SignUp: Story = {
  args: { defaultMode: 'sign-up' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('heading', { name: 'Create your account' })).toBeVisible()
    await expect(within(canvasElement).getByRole('textbox', { name: 'Email' })).toHaveAttribute('autocomplete', 'email')
    await expect(password(canvasElement)).toHaveAttribute('autocomplete', 'new-password')
    await expect(password(canvasElement)).toHaveAccessibleDescription('At least 8 characters.')
  },
}

/** A password that is too short is refused before anything is sent. */
export const WeakPassword: Story = {
  args: { defaultMode: 'sign-up' },
  play: async ({ canvasElement }) => {
    await userEvent.type(within(canvasElement).getByRole('textbox', { name: 'Email' }), 'grace@example.com')
    await userEvent.type(password(canvasElement), 'short{Enter}')
    await waitFor(() => expect(password(canvasElement)).toHaveAccessibleDescription('At least 8 characters. Choose a stronger password.'))
  },
}

/** An email that already has an account: said on the email field. */
export const EmailTaken: Story = {
  args: { defaultMode: 'sign-up' },
  parameters: {
    mfa: {
      setup: async (live) => {
        await live.client.auth.registerByEmail('grace@example.com', DEMO_PASSWORD)
      },
    } satisfies LiveMfaOptions,
  },
  play: async ({ canvasElement }) => {
    const email = within(canvasElement).getByRole('textbox', { name: 'Email' })
    await userEvent.type(email, 'grace@example.com')
    await userEvent.type(password(canvasElement), `${DEMO_PASSWORD}{Enter}`)
    await waitFor(() => expect(email).toHaveAccessibleDescription('An account with these details already exists.'), SLOW)
    await expect(email).toHaveFocus()
  },
}

/** Where the application asks for no second factor, a new account is signed in at once. */
export const SignedUpAndIn: Story = {
  args: { defaultMode: 'sign-up' },
  parameters: { mfa: { factors: [] } satisfies LiveMfaOptions },
  play: async ({ canvasElement, args }) => {
    await userEvent.type(within(canvasElement).getByRole('textbox', { name: 'Email' }), 'grace@example.com')
    await userEvent.type(password(canvasElement), `${DEMO_PASSWORD}{Enter}`)
    await waitFor(() => expect(args.onSignedIn).toHaveBeenCalledOnce(), SLOW)
    await expect(args.onSignedIn).toHaveBeenCalledWith(expect.objectContaining({ email: 'grace@example.com' }))
  },
}

/** Why the user is back (here an expired sign-in), above the form; sign-up left out with `signUp={false}`. */
export const WithNotice: Story = {
  args: { notice: 'Your sign-in has expired. Sign in again.', signUp: false },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Your sign-in has expired. Sign in again.')
    await expect(within(canvasElement).queryByRole('button', { name: 'Create an account' })).not.toBeInTheDocument()
  },
}

/** In Simplified Chinese, set on the component itself with `locale`. */
export const ChineseSimplified: Story = {
  args: { locale: 'zh-CN' },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('heading', { name: '登录' }, SLOW)).toBeVisible()
    await expect(canvasElement.querySelector('[data-part="password-sign-in"]')).toHaveAttribute('lang', 'zh-CN')
  },
}
