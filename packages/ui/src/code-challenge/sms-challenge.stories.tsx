import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import {
  codeSentTo,
  darkThemeStory,
  DEMO_PHONE,
  DEMO_PHONE_MASKED,
  expectCodeSent,
  expectExpiredStep,
  expectFitsPhoneScreen,
  expectLanguage,
  expectLockCountdown,
  liveServer,
  otherCode,
  phoneScreen,
  preparedFor,
  rightToLeftStory,
  signInToBind,
  signInWithPhone,
  signInWithPhoneLocked,
  slowNetwork,
  thenExpired,
} from '../stories.testing'
import type { PhoneSignIn } from '../stories.testing'
import { SmsChallenge } from './code-challenge'

/**
 * Finishing a sign-in with a code sent by text message, against the reference server running in
 * this page. Nothing is really texted: the demo inbox beside the story shows what the server sent.
 */
const meta = {
  title: 'Components/SmsChallenge',
  component: SmsChallenge.Root,
  args: { mfaToken: '', onVerified: fn(), onExpired: fn(), onRestart: fn() },
  argTypes: { mfaToken: { control: false, description: 'The sign-in waiting for this code; the story signs one in.' } },
  parameters: { mfa: liveServer(signInWithPhone, { factors: ['SMS'] }) },
  render: (args, context) => {
    const { mfaToken, trigger } = preparedFor<PhoneSignIn>(context)
    return <SmsChallenge.Root {...args} mfaToken={mfaToken} phone={trigger.mfaPhone} phoneCountryCode={trigger.mfaPhoneCountryCode} />
  },
} satisfies Meta<typeof SmsChallenge.Root>

export default meta
type Story = StoryObj<typeof meta>

const codeInput = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: 'Verification code' })

/** Types the code the demo inbox shows. */
async function enterSentCode(canvasElement: HTMLElement, context: { loaded: Record<string, unknown> }) {
  const { live, phone } = preparedFor<PhoneSignIn>(context)
  await userEvent.type(codeInput(canvasElement), await codeSentTo(canvasElement, live, phone))
}

/** The code is sent by itself; the masked number says where, and a new one can be asked for in a minute. */
export const CodeSent: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Enter the code we texted you' })).toBeVisible()
    await expectCodeSent(canvasElement)
    await expect(canvas.getByText(`We sent a code to ${DEMO_PHONE_MASKED}.`)).toBeVisible()
    const resend = canvas.getByRole('button', { name: 'Send a new code' })
    await expect(resend).toHaveAttribute('aria-disabled', 'true')
    await expect(resend).toHaveAccessibleDescription(/^You can ask for a new code in \d+ seconds\.$/)
    await expect(codeInput(canvasElement)).toHaveAttribute('autocomplete', 'one-time-code')
  },
}

/** Over a slow network: "Sending…" until the server has sent the code. */
export const Sending: Story = {
  decorators: [slowNetwork()],
  play: async ({ canvasElement }) => {
    const resend = await within(canvasElement).findByRole('button', { name: 'Sending…' })
    await expect(resend).toHaveAttribute('aria-busy', 'true')
    await expect(within(canvasElement).getByText(`We will send a code to ${DEMO_PHONE_MASKED}.`)).toBeVisible()
    await expectCodeSent(canvasElement)
    await expect(within(canvasElement).getByText(`We sent a code to ${DEMO_PHONE_MASKED}.`)).toBeVisible()
  },
}

/** A wrong code: said, linked to the emptied input. */
export const WrongCode: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live, phone } = preparedFor<PhoneSignIn>({ loaded })
    const input = codeInput(canvasElement)
    await userEvent.type(input, otherCode(await codeSentTo(canvasElement, live, phone)))
    await waitFor(() => expect(input).toHaveAccessibleDescription('That code is not right. Check it and try again.'))
    await expect(input).toHaveAttribute('aria-invalid', 'true')
    await expect(input).toHaveValue('')
    await expect(args.onVerified).not.toHaveBeenCalled()
  },
}

/** A minute later (on the server's clock) a new code can be asked for; the inbox gets it, and the wait starts again. */
export const ResendCode: Story = {
  play: async ({ canvasElement, loaded }) => {
    const { live, phone } = preparedFor<PhoneSignIn>({ loaded })
    await codeSentTo(canvasElement, live, phone)
    const sent = live.outbox().length
    live.clock.advance(60_000)
    const resend = within(canvasElement).getByRole('button', { name: 'Send a new code' })
    // The countdown reads the server's clock on its next tick.
    await waitFor(() => expect(resend).not.toHaveAttribute('aria-disabled'), { timeout: 3_000 })
    await userEvent.click(resend)
    await waitFor(() => expect(live.outbox()).toHaveLength(sent + 1))
    await waitFor(() => expect(resend).toHaveAccessibleDescription(/^You can ask for a new code in \d+ seconds\.$/))
  },
}

/** The phone's codes are locked after five wrong ones (the server's threshold): the next is refused with a countdown. */
export const Locked: Story = {
  parameters: { mfa: liveServer(signInWithPhoneLocked, { factors: ['SMS'] }) },
  play: async ({ canvasElement, loaded }) => {
    const { live } = preparedFor<PhoneSignIn>({ loaded })
    await enterSentCode(canvasElement, { loaded })
    await expectLockCountdown(codeInput(canvasElement), live)
  },
}

/** The sign-in waited longer than its ten minutes: the code ends it, with "Sign in again". */
export const Expired: Story = {
  parameters: { mfa: liveServer(thenExpired(signInWithPhone), { factors: ['SMS'] }) },
  play: async ({ canvasElement, loaded, args }) => {
    // A code can still be sent; checking it is refused.
    await enterSentCode(canvasElement, { loaded })
    await expectExpiredStep(canvasElement, args)
  },
}

/** The code from the inbox: verified. */
export const Verified: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    await enterSentCode(canvasElement, { loaded })
    const heading = await within(canvasElement).findByRole('heading', { name: 'Verified' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(args.onVerified).toHaveBeenCalledOnce()
  },
}

/**
 * An account with no phone yet adds one while signing in: the calling code, the number (checked
 * once the field is left), then the code sent there.
 */
export const AddPhone: Story = {
  parameters: { mfa: liveServer(signInToBind, { factors: ['SMS'] }) },
  play: async ({ canvasElement, loaded, args }) => {
    const { live } = preparedFor<PhoneSignIn>({ loaded })
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Add a phone number' })).toBeVisible()
    await expect(canvas.getByRole('combobox', { name: 'Country code' })).toHaveValue('+86')
    const number = canvas.getByRole('textbox', { name: 'Phone number' })
    await userEvent.type(number, '12ab')
    await userEvent.tab()
    await waitFor(() => expect(number).toHaveAccessibleDescription('Enter a valid phone number.'))
    await userEvent.clear(number)
    await userEvent.type(number, DEMO_PHONE)
    const send = canvas.getByRole('button', { name: 'Send code' })
    await waitFor(() => expect(send).not.toHaveAttribute('aria-disabled'))
    await userEvent.click(send)
    await expect(await canvas.findByRole('heading', { name: 'Enter the code we texted you' })).toBeVisible()
    await userEvent.type(codeInput(canvasElement), await codeSentTo(canvasElement, live, DEMO_PHONE))
    await waitFor(() => expect(args.onVerified).toHaveBeenCalledOnce())
  },
}

/** The flow in Chinese: the code is sent, and "resend" is offered in that language. */
const chineseStory = (locale: 'zh-CN' | 'zh-TW') => ({
  globals: { locale },
  play: async ({ canvasElement }: { canvasElement: HTMLElement }) => {
    const messages = await expectLanguage(canvasElement, locale, (m) => m.codeDelivery.smsTitle)
    await expectCodeSent(canvasElement)
    await expect(within(canvasElement).getByRole('button', { name: messages.codeDelivery.resend })).toBeVisible()
  },
})

/** Simplified Chinese. */
export const SimplifiedChinese: Story = chineseStory('zh-CN')

/** Traditional Chinese. */
export const TraditionalChinese: Story = chineseStory('zh-TW')

/** Japanese, with a wrong code. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  play: async ({ canvasElement, loaded }) => {
    const { live, phone } = preparedFor<PhoneSignIn>({ loaded })
    const messages = await expectLanguage(canvasElement, 'ja-JP', (m) => m.codeDelivery.smsTitle)
    const wrong = otherCode(await codeSentTo(canvasElement, live, phone))
    const input = within(canvasElement).getByRole('textbox', { name: messages.oneTimeCode.label })
    await userEvent.type(input, wrong)
    await waitFor(() => expect(input).toHaveAccessibleDescription(messages.errors.invalid_code))
  },
}

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }

/** A right-to-left page; the code stays left to right. */
export const RightToLeft: Story = { ...rightToLeftStory }

/** A 320 px wide phone screen: the inbox goes under the story, nothing scrolls sideways. */
export const PhoneScreen: Story = {
  globals: phoneScreen,
  play: async ({ canvasElement }) => {
    await expectCodeSent(canvasElement)
    await expectFitsPhoneScreen(canvasElement)
  },
}
