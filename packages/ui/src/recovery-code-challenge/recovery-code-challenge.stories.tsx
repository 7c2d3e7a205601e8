import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import type { MfaMessages } from '../i18n/types'
import {
  darkThemeStory,
  expectExpiredStep,
  expectFitsPhoneScreen,
  expectLockCountdown,
  languageStory,
  liveServer,
  phoneScreen,
  preparedFor,
  rightToLeftStory,
  signInWithRecoveryCodeLocked,
  signInWithTotp,
  slowNetwork,
  thenExpired,
  WRONG_RECOVERY_CODE,
} from '../stories.testing'
import type { TotpSignIn } from '../stories.testing'
import { RecoveryCodeChallenge } from './recovery-code-challenge'

/**
 * Finishing a sign-in with the recovery code saved when the authenticator app was set up, against
 * the reference server running in this page. The demo account's recovery code is in each story's
 * play function; a used code is replaced by a new one that must be saved.
 */
const meta = {
  title: 'Components/RecoveryCodeChallenge',
  component: RecoveryCodeChallenge.Root,
  args: { mfaToken: '', onVerified: fn(), onExpired: fn(), onRestart: fn(), onBack: fn() },
  argTypes: { mfaToken: { control: false, description: 'The sign-in waiting for this code; the story signs one in.' } },
  parameters: {
    mfa: liveServer(signInWithTotp, { factors: ['OTP'] }),
    outbox: false,
  },
  render: (args, context) => <RecoveryCodeChallenge.Root {...args} mfaToken={preparedFor<TotpSignIn>(context).mfaToken} />,
} satisfies Meta<typeof RecoveryCodeChallenge.Root>

export default meta
type Story = StoryObj<typeof meta>

const codeInput = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: 'Recovery code' })
const title = (m: MfaMessages) => m.recoveryCodeChallenge.title
const codeLabel = (m: MfaMessages) => m.recoveryCodeChallenge.codeLabel

/** Waiting for the code: a plain text field with no capitalisation, correction or spell check, and a way back to the app. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Use a recovery code' })).toBeVisible()
    const input = codeInput(canvasElement)
    await expect(input).toHaveAttribute('autocapitalize', 'none')
    await expect(input).toHaveAttribute('spellcheck', 'false')
    await expect(canvas.getByRole('button', { name: 'Use your authenticator app instead' })).toBeVisible()
  },
}

/** The code sent over a slow network: the button says it is checking, then the new code shows. */
export const Checking: Story = {
  decorators: [slowNetwork()],
  play: async ({ canvasElement, loaded }) => {
    const { recoveryCode } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    await userEvent.type(codeInput(canvasElement), `${recoveryCode}{Enter}`)
    await expect(await canvas.findByRole('button', { name: 'Checking…' })).toHaveAttribute('aria-busy', 'true')
    await expect(await canvas.findByRole('heading', { name: 'Save your new recovery code' }, { timeout: 5_000 })).toBeVisible()
  },
}

/** A wrong code: said and linked to the input, which keeps what was typed so it can be corrected. */
export const WrongCode: Story = {
  play: async ({ canvasElement, args }) => {
    const input = codeInput(canvasElement)
    await userEvent.type(input, `${WRONG_RECOVERY_CODE}{Enter}`)
    await waitFor(() => expect(input).toHaveAccessibleDescription('That recovery code is not right, or it was already used.'))
    await expect(input).toHaveAttribute('aria-invalid', 'true')
    await expect(input).toHaveValue(WRONG_RECOVERY_CODE)
    await expect(input).toHaveFocus()
    await expect(args.onVerified).not.toHaveBeenCalled()
  },
}

/** Recovery codes locked after five wrong ones (the server's threshold): a countdown on the server's clock. */
export const Locked: Story = {
  parameters: { mfa: liveServer(signInWithRecoveryCodeLocked, { factors: ['OTP'] }) },
  play: async ({ canvasElement, loaded }) => {
    const { live, recoveryCode } = preparedFor<TotpSignIn>({ loaded })
    const input = codeInput(canvasElement)
    await userEvent.type(input, `${recoveryCode}{Enter}`)
    await expectLockCountdown(input, live)
  },
}

/** The sign-in waited longer than its ten minutes: the code ends it, with "Sign in again". */
export const Expired: Story = {
  parameters: {
    mfa: liveServer(thenExpired(signInWithTotp), { factors: ['OTP'] }),
  },
  play: async ({ canvasElement, loaded, args }) => {
    const { recoveryCode } = preparedFor<TotpSignIn>({ loaded })
    await userEvent.type(codeInput(canvasElement), `${recoveryCode}{Enter}`)
    await expectExpiredStep(canvasElement, args)
  },
}

/** The code was right, typed in upper case: the used code is replaced by a new one, to save before going on. */
export const NewCode: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { recoveryCode } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    await userEvent.type(codeInput(canvasElement), `${recoveryCode.toUpperCase()}{Enter}`)
    const heading = await canvas.findByRole('heading', { name: 'Save your new recovery code' })
    await waitFor(() => expect(heading).toHaveFocus())
    const fresh = canvasElement.querySelector('[data-part="recovery-code-value"]')?.textContent
    await expect(fresh).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    await expect(fresh).not.toBe(recoveryCode)
    await expect(canvas.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await expect(args.onVerified).not.toHaveBeenCalled()
  },
}

/** The new code acknowledged: verified, and the sign-in goes on. */
export const Verified: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { recoveryCode } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    await userEvent.type(codeInput(canvasElement), `${recoveryCode}{Enter}`)
    await userEvent.click(await canvas.findByRole('checkbox', { name: 'I have saved my recovery code' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }))
    await expect(args.onVerified).toHaveBeenCalledOnce()
    await expect(canvasElement.querySelector('[data-part="recovery-code-value"]')).toBeNull()
  },
}

/** Simplified Chinese. */
export const SimplifiedChinese: Story = languageStory('zh-CN', title, codeLabel)

/** Traditional Chinese. */
export const TraditionalChinese: Story = languageStory('zh-TW', title, codeLabel)

/** Japanese, with a wrong code. */
export const Japanese: Story = languageStory('ja-JP', title, codeLabel, async (input, messages) => {
  await userEvent.type(input, `${WRONG_RECOVERY_CODE}{Enter}`)
  await waitFor(() => expect(input).toHaveAccessibleDescription(messages.errors.invalid_recovery_code))
})

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }

/** A right-to-left page. */
export const RightToLeft: Story = { ...rightToLeftStory }

/** A 320 px wide phone screen, on the step with the new code: nothing scrolls sideways. */
export const PhoneScreen: Story = {
  globals: phoneScreen,
  play: async ({ canvasElement, loaded }) => {
    const { recoveryCode } = preparedFor<TotpSignIn>({ loaded })
    await userEvent.type(codeInput(canvasElement), `${recoveryCode}{Enter}`)
    await within(canvasElement).findByRole('heading', { name: 'Save your new recovery code' })
    await expectFitsPhoneScreen(canvasElement)
  },
}
