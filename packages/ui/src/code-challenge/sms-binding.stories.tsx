import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { totpCode } from '../authenticator.testing'
import {
  codeSentTo,
  darkThemeStory,
  DEMO_PHONE,
  DEMO_PHONE_MASKED,
  languageStory,
  liveServer,
  preparedFor,
  RECENT_SIGN_IN_MS,
  signedInWithTotp,
} from '../stories.testing'
import type { LiveMfa } from '../../../../.storybook/live'
import type { TotpSignIn } from '../stories.testing'
import { SmsBinding } from './code-binding'

/**
 * Adding a phone to the signed-in account, as on a security settings page, against the reference
 * server running in this page. The demo account signed in with its authenticator app (the only
 * factor its sign-in asks for); the code sent to the phone shows in the demo inbox.
 */
const meta = {
  title: 'Components/SmsBinding',
  component: SmsBinding.Root,
  args: { onDone: fn() },
  parameters: { mfa: liveServer(signedInWithTotp, { factors: ['OTP'] }) },
} satisfies Meta<typeof SmsBinding.Root>

export default meta
type Story = StoryObj<typeof meta>

/** Types the demo phone and asks for its code. */
async function sendCodeToDemoPhone(canvasElement: HTMLElement) {
  const canvas = within(canvasElement)
  await userEvent.type(canvas.getByRole('textbox', { name: 'Phone number' }), DEMO_PHONE)
  const send = canvas.getByRole('button', { name: 'Send code' })
  await waitFor(() => expect(send).not.toHaveAttribute('aria-disabled'))
  await userEvent.click(send)
}

/** The number with its calling code, checked as it is typed. */
export const EnterNumber: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Add a phone number' })).toBeVisible()
    await expect(canvas.getByRole('combobox', { name: 'Country code' })).toHaveValue('+86')
    const number = canvas.getByRole('textbox', { name: 'Phone number' })
    await expect(number).toHaveAttribute('autocomplete', 'tel')
    await expect(number).toHaveAttribute('type', 'tel')
  },
}

/** The code from the inbox: the phone is added. */
export const Added: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    await sendCodeToDemoPhone(canvasElement)
    await userEvent.type(
      await canvas.findByRole('textbox', { name: 'Verification code' }),
      await codeSentTo(canvasElement, live, DEMO_PHONE),
    )
    const done = await canvas.findByRole('heading', { name: `${DEMO_PHONE_MASKED} is set up.` })
    await waitFor(() => expect(done).toHaveFocus())
    await expect(args.onDone).toHaveBeenCalledWith(DEMO_PHONE)
  },
}

/** An old sign-in: once the phone's code is in, the user confirms it is them in place (with the app's code), and the phone is added. */
export const ConfirmItIsYou: Story = {
  parameters: {
    mfa: liveServer(
      async (live: LiveMfa) => {
        const account = await signedInWithTotp(live)
        live.clock.advance(RECENT_SIGN_IN_MS + 60_000)
        return account
      },
      { factors: ['OTP'] },
    ),
  },
  play: async ({ canvasElement, loaded, args }) => {
    const { live, secret } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    await sendCodeToDemoPhone(canvasElement)
    await userEvent.type(
      await canvas.findByRole('textbox', { name: 'Verification code' }),
      await codeSentTo(canvasElement, live, DEMO_PHONE),
    )
    const confirm = await canvas.findByRole('heading', { name: 'Confirm it is you' })
    await waitFor(() => expect(confirm).toHaveFocus())
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Verification code' }), totpCode(secret, live.clock.now()))
    await expect(await canvas.findByRole('heading', { name: `${DEMO_PHONE_MASKED} is set up.` })).toBeVisible()
    await expect(args.onDone).toHaveBeenCalledOnce()
  },
}

/** Japanese. */
export const Japanese: Story = languageStory(
  'ja-JP',
  (m) => m.codeDelivery.bindPhoneTitle,
  (m) => m.codeDelivery.phoneLabel,
)

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }
