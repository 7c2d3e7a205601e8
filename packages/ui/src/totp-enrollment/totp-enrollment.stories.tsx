import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { readQrCode, totpCode, wrongTotpCode } from '../authenticator.testing'
import {
  expectDarkTheme,
  expectExpiredStep,
  expectFitsPhoneScreen,
  expectLanguage,
  expectRightToLeft,
  liveServer,
  phoneScreen,
  preparedFor,
  RECENT_SIGN_IN_MS,
  shownSetupKey,
  signedInWithPhone,
  signInToBind,
  slowNetwork,
  thenExpired,
} from '../stories.testing'
import type { PendingSignIn, PhoneSignIn } from '../stories.testing'
import { TotpEnrollment } from './totp-enrollment'

/**
 * Setting up an authenticator app during a sign-in, against the reference server running in this
 * page. The QR code is real: scan it with Google Authenticator, Microsoft Authenticator, 1Password
 * or any TOTP app, and the code the app shows turns it on (the demo inbox is not needed here).
 */
const meta = {
  title: 'Components/TotpEnrollment',
  component: TotpEnrollment.Root,
  args: { mfaToken: '', onDone: fn(), onVerified: fn(), onExpired: fn(), onRestart: fn() },
  argTypes: { mfaToken: { control: false, description: 'The sign-in that binds the app; the story signs one in.' } },
  parameters: {
    mfa: liveServer(signInToBind, { factors: ['OTP'] }),
    outbox: false,
  },
  render: (args, context) => <TotpEnrollment.Root {...args} mfaToken={preparedFor<PendingSignIn>(context).mfaToken} />,
} satisfies Meta<typeof TotpEnrollment.Root>

export default meta
type Story = StoryObj<typeof meta>

const codeInput = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: 'Code from the app' })
const qrCode = (canvasElement: HTMLElement) => within(canvasElement).findByRole('img', { name: 'QR code for your authenticator app' })

/** Enters the code an authenticator app holding the setup key on screen shows now. */
async function enterAppCode(canvasElement: HTMLElement, now: number) {
  await qrCode(canvasElement)
  await userEvent.type(codeInput(canvasElement), totpCode(shownSetupKey(canvasElement), now))
}

/**
 * The QR code, the same key to type by hand (in groups of four) and to copy, and the link that
 * opens an authenticator app on a phone. Scan the QR code with a real phone to try it.
 */
export const Scan: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible()
    const uri = readQrCode(await qrCode(canvasElement))
    await expect(uri).toMatch(/^otpauth:\/\/totp\//)
    await expect(new URL(uri!).searchParams.get('secret')).toBe(shownSetupKey(canvasElement))
    await expect(canvas.getByRole('link', { name: 'Open in authenticator app' })).toHaveAttribute('href', uri)
    await expect(canvas.getByRole('button', { name: 'Copy setup key' })).toBeVisible()
    await expect(codeInput(canvasElement)).toHaveAttribute('autocomplete', 'one-time-code')
  },
}

/** Over a slow network: the QR code's place says it is loading until the server's key arrives. */
export const LoadingKey: Story = {
  decorators: [slowNetwork()],
  play: async ({ canvasElement }) => {
    const placeholder = canvasElement.querySelector('[data-part="totp-qr"]')
    await expect(placeholder).toHaveAttribute('aria-busy', 'true')
    await expect(placeholder).toHaveTextContent('Loading…')
    await expect(
      await within(canvasElement).findByRole('img', { name: 'QR code for your authenticator app' }, { timeout: 5_000 }),
    ).toBeVisible()
  },
}

/** A wrong code: said, linked to the emptied input, which keeps focus. */
export const WrongCode: Story = {
  play: async ({ canvasElement, loaded }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    await qrCode(canvasElement)
    const input = codeInput(canvasElement)
    await userEvent.type(input, wrongTotpCode(shownSetupKey(canvasElement), live.clock.now()))
    await waitFor(() => expect(input).toHaveAccessibleDescription('That code is not right. Check it and try again.'))
    await expect(input).toHaveValue('')
    await expect(input).toHaveFocus()
  },
}

/** The app's code was right: the recovery code, shown once, must be saved before going on. */
export const SaveRecoveryCode: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    const canvas = within(canvasElement)
    await enterAppCode(canvasElement, live.clock.now())
    const heading = await canvas.findByRole('heading', { name: 'Save your recovery code' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(canvasElement.querySelector('[data-part="recovery-code-value"]')?.textContent).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    await expect(canvas.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await expect(args.onDone).not.toHaveBeenCalled()
  },
}

/** The recovery code acknowledged: the app is on, and the sign-in is finished. */
export const Done: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    const canvas = within(canvasElement)
    await enterAppCode(canvasElement, live.clock.now())
    await userEvent.click(await canvas.findByRole('checkbox', { name: 'I have saved my recovery code' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }))
    const heading = await canvas.findByRole('heading', { name: 'Authenticator app turned on' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(args.onDone).toHaveBeenCalledOnce()
    // The recovery code left the page with its step.
    await expect(canvasElement.querySelector('[data-part="recovery-code-value"]')).toBeNull()
  },
}

/** The sign-in waited longer than its ten minutes: the code ends it, with "Sign in again". */
export const Expired: Story = {
  parameters: {
    mfa: liveServer(thenExpired(signInToBind), { factors: ['OTP'] }),
  },
  play: ({ canvasElement, args }) => expectExpiredStep(canvasElement, args),
}

/** Without an `mfaToken`: the signed-in user adds an authenticator app, as from a security settings page. */
export const ForSignedInUser: Story = {
  parameters: { mfa: liveServer(signedInWithPhone, { factors: ['OTP', 'SMS'] }) },
  render: ({ mfaToken: _, ...args }) => <TotpEnrollment.Root {...args} />,
  play: async ({ canvasElement, loaded }) => {
    const { live } = preparedFor<PhoneSignIn>({ loaded })
    await enterAppCode(canvasElement, live.clock.now())
    await expect(await within(canvasElement).findByRole('heading', { name: 'Save your recovery code' })).toBeVisible()
  },
}

/**
 * The signed-in user's sign-in is older than the server allows for a change: before the QR code,
 * the user confirms it is them in place, with a code sent to their phone (see the demo inbox),
 * and the binding goes on.
 */
export const ConfirmItIsYou: Story = {
  parameters: {
    mfa: liveServer(
      async (live) => {
        const account = await signedInWithPhone(live)
        live.clock.advance(RECENT_SIGN_IN_MS + 60_000)
        return account
      },
      { factors: ['OTP', 'SMS'] },
    ),
    outbox: true,
  },
  render: ({ mfaToken: _, ...args }) => <TotpEnrollment.Root {...args} />,
  play: async ({ canvasElement, loaded }) => {
    const { live, phone } = preparedFor<PhoneSignIn>({ loaded })
    const canvas = within(canvasElement)
    const confirm = await canvas.findByRole('heading', { name: 'Confirm it is you' })
    await waitFor(() => expect(confirm).toHaveFocus())
    const sent = live.outbox().length
    await userEvent.click(await canvas.findByRole('button', { name: 'Send a code' }))
    await waitFor(() => expect(live.outbox()).toHaveLength(sent + 1))
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Verification code' }), live.lastCode(phone))
    await enterAppCode(canvasElement, live.clock.now())
    await expect(await canvas.findByRole('heading', { name: 'Save your recovery code' })).toBeVisible()
  },
}

/** Simplified Chinese. */
export const SimplifiedChinese: Story = {
  globals: { locale: 'zh-CN' },
  play: async ({ canvasElement }) => {
    const messages = await expectLanguage(canvasElement, 'zh-CN', (m) => m.totpEnrollment.title)
    await expect(await within(canvasElement).findByRole('img', { name: messages.totpEnrollment.qrLabel })).toBeVisible()
  },
}

/** Traditional Chinese. */
export const TraditionalChinese: Story = {
  globals: { locale: 'zh-TW' },
  play: async ({ canvasElement }) => {
    const messages = await expectLanguage(canvasElement, 'zh-TW', (m) => m.totpEnrollment.title)
    await expect(await within(canvasElement).findByRole('img', { name: messages.totpEnrollment.qrLabel })).toBeVisible()
  },
}

/** Japanese, on the recovery-code step. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  play: async ({ canvasElement, loaded }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    const messages = await expectLanguage(canvasElement, 'ja-JP', (m) => m.totpEnrollment.title)
    const canvas = within(canvasElement)
    await canvas.findByRole('img', { name: messages.totpEnrollment.qrLabel })
    const input = canvas.getByRole('textbox', { name: messages.totpEnrollment.codeLabel })
    await userEvent.type(input, totpCode(shownSetupKey(canvasElement), live.clock.now()))
    await expect(await canvas.findByRole('heading', { name: messages.totpEnrollment.recoveryTitle })).toBeVisible()
    await expect(canvas.getByRole('checkbox', { name: messages.recoveryCode.acknowledge })).toBeVisible()
  },
}

/** The dark theme: the QR code stays dark on white, so that every phone reads it. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expectDarkTheme(canvasElement)
    await expect(readQrCode(await qrCode(canvasElement))).toMatch(/^otpauth:/)
  },
}

/** A right-to-left page; the code boxes stay left to right. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => {
    await qrCode(canvasElement)
    await expectRightToLeft(canvasElement)
  },
}

/** A 320 px wide phone screen: the QR code, the key and the buttons fit without sideways scrolling. */
export const PhoneScreen: Story = {
  globals: phoneScreen,
  play: async ({ canvasElement }) => {
    await qrCode(canvasElement)
    await expectFitsPhoneScreen(canvasElement)
  },
}
