import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { totpCode, wrongTotpCode } from '../authenticator.testing'
import type { MfaMessages } from '../i18n/types'
import {
  darkThemeStory,
  expectExpiredStep,
  expectLockCountdown,
  expectFitsPhoneScreen,
  languageStory,
  liveServer,
  phoneScreen,
  preparedFor,
  rightToLeftStory,
  signInWithTotp,
  signInWithTotpLocked,
  slowNetwork,
  thenExpired,
} from '../stories.testing'
import type { TotpSignIn } from '../stories.testing'
import { TotpChallenge } from './totp-challenge'

/**
 * Finishing a sign-in with a code from an authenticator app, against the reference server running
 * in this page. Each story signs in a demo account that already set up its app; the stories that
 * need the server in a given state (a lock, an expired sign-in) get there through its real rules.
 */
const meta = {
  title: 'Components/TotpChallenge',
  component: TotpChallenge.Root,
  args: { mfaToken: '', onVerified: fn(), onExpired: fn(), onRestart: fn() },
  argTypes: { mfaToken: { control: false, description: 'The sign-in waiting for this code; the story signs one in.' } },
  parameters: {
    mfa: liveServer(signInWithTotp, { factors: ['OTP'] }),
    outbox: false,
  },
  render: (args, context) => <TotpChallenge.Root {...args} mfaToken={preparedFor<TotpSignIn>(context).mfaToken} />,
} satisfies Meta<typeof TotpChallenge.Root>

export default meta
type Story = StoryObj<typeof meta>

const codeInput = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: 'Authentication code' })
const title = (m: MfaMessages) => m.totpChallenge.title
const codeLabel = (m: MfaMessages) => m.totpChallenge.codeLabel

/** Waiting for the code: one labelled input that password managers and SMS autofill understand. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Enter your authentication code' })).toBeVisible()
    await expect(codeInput(canvasElement)).toHaveAttribute('autocomplete', 'one-time-code')
    await expect(canvas.getByRole('button', { name: 'Verify' })).toHaveAttribute('aria-disabled', 'true')
    await expect(canvas.getByRole('button', { name: 'Use a recovery code instead' })).toBeVisible()
  },
}

/** The right code, checked over a slow network: the button says so and stays focusable, then the sign-in is verified. */
export const Checking: Story = {
  decorators: [slowNetwork()],
  play: async ({ canvasElement, loaded, args }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    await userEvent.type(codeInput(canvasElement), totpCode(secret, live.clock.now()))
    const busy = await canvas.findByRole('button', { name: 'Checking…' })
    await expect(busy).toHaveAttribute('aria-busy', 'true')
    await expect(canvasElement.querySelector('[data-part="totp-challenge"]')).toHaveAttribute('data-state', 'verifying')
    await expect(await canvas.findByRole('heading', { name: 'Verified' }, { timeout: 5_000 })).toBeVisible()
    await expect(args.onVerified).toHaveBeenCalledOnce()
  },
}

/** A wrong code: the input empties and keeps focus, and the message is linked to it. */
export const WrongCode: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    const input = codeInput(canvasElement)
    await userEvent.type(input, wrongTotpCode(secret, live.clock.now()))
    await waitFor(() => expect(input).toHaveAccessibleDescription('That code is not right. Check it and try again.'))
    await expect(input).toHaveAttribute('aria-invalid', 'true')
    await expect(input).toHaveValue('')
    await expect(input).toHaveFocus()
    await expect(args.onVerified).not.toHaveBeenCalled()
  },
}

/**
 * The account's authenticator factor is locked after five wrong codes (the server's threshold).
 * The next code is refused with a countdown that follows the server's clock; the input stays
 * focused and read-only.
 */
export const Locked: Story = {
  parameters: {
    mfa: liveServer(signInWithTotpLocked, { factors: ['OTP'] }),
  },
  play: async ({ canvasElement, loaded }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    const input = codeInput(canvasElement)
    await userEvent.type(input, totpCode(secret, live.clock.now()))
    await expectLockCountdown(input, live)
  },
}

/** The sign-in waited longer than its ten minutes: the next code ends it, with "Sign in again". */
export const Expired: Story = {
  parameters: {
    mfa: liveServer(thenExpired(signInWithTotp), { factors: ['OTP'] }),
  },
  play: async ({ canvasElement, loaded, args }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    await userEvent.type(codeInput(canvasElement), totpCode(secret, live.clock.now()))
    await expectExpiredStep(canvasElement, args)
  },
}

/**
 * A sign-in that used up its attempts: on a server that allows two codes per sign-in, the third
 * wrong code ends it, on a step of its own with "Sign in again".
 */
export const AttemptsUsedUp: Story = {
  parameters: { mfa: liveServer(signInWithTotp, { factors: ['OTP'], limits: { mfaTokenMaxAttempts: 2 } }) },
  play: async ({ canvasElement, loaded, args }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    const root = canvasElement.querySelector('[data-part="totp-challenge"]')
    for (let attempt = 1; attempt <= 3; attempt++) {
      await userEvent.type(codeInput(canvasElement), wrongTotpCode(secret, live.clock.now()))
      // Each answer is in before the next code.
      await waitFor(() => expect(root).not.toHaveAttribute('data-state', 'verifying'))
      if (attempt < 3) await waitFor(() => expect(codeInput(canvasElement)).toHaveAccessibleDescription(/not right/))
    }
    const heading = await canvas.findByRole('heading', { name: 'Too many attempts' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(canvas.getByText('Too many attempts for this sign-in. Sign in again.')).toBeVisible()
    await expect(args.onExpired).toHaveBeenCalledWith(expect.objectContaining({ code: 'too_many_attempts' }))
  },
}

/** The right code: verified, with focus on the new heading. */
export const Verified: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    await userEvent.type(codeInput(canvasElement), totpCode(secret, live.clock.now()))
    const heading = await within(canvasElement).findByRole('heading', { name: 'Verified' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(args.onVerified).toHaveBeenCalledOnce()
  },
}

/** "Use a recovery code instead" swaps in the recovery-code challenge, with a link back. */
export const WithRecoveryCode: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Use a recovery code instead' }))
    await waitFor(() => expect(canvas.getByRole('heading', { name: 'Use a recovery code' })).toHaveFocus())
    await expect(canvas.getByRole('textbox', { name: 'Recovery code' })).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Use your authenticator app instead' })).toBeVisible()
  },
}

/** Simplified Chinese. */
export const SimplifiedChinese: Story = languageStory('zh-CN', title, codeLabel)

/** Traditional Chinese. */
export const TraditionalChinese: Story = languageStory('zh-TW', title, codeLabel)

/** Japanese, with a wrong code: the error is in Japanese too. */
export const Japanese: Story = languageStory('ja-JP', title, codeLabel, async (input, messages, { loaded }) => {
  const { live, secret } = preparedFor<TotpSignIn>({ loaded })
  await userEvent.type(input, wrongTotpCode(secret, live.clock.now()))
  await waitFor(() => expect(input).toHaveAccessibleDescription(messages.errors.invalid_code))
})

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }

/** A right-to-left page (here in English, so that the mirroring shows); the code stays left to right. */
export const RightToLeft: Story = { ...rightToLeftStory }

/** A 320 px wide phone screen: nothing scrolls sideways, and the code is entered as anywhere else. */
export const PhoneScreen: Story = {
  globals: phoneScreen,
  play: async ({ canvasElement, loaded }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    await expectFitsPhoneScreen(canvasElement)
    await userEvent.type(codeInput(canvasElement), totpCode(secret, live.clock.now()))
    await expect(await within(canvasElement).findByRole('heading', { name: 'Verified' })).toBeVisible()
  },
}
