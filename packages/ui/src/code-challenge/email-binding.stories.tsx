import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { codeSentTo, languageStory, liveServer, preparedFor, signedInWithTotp } from '../stories.testing'
import type { TotpSignIn } from '../stories.testing'
import { EmailBinding } from './code-binding'

/**
 * Adding an email to the signed-in account, as on a security settings page, against the reference
 * server running in this page. The code shows in the demo inbox. The demo account signed up with
 * `ada@example.com`; proving it makes it the account's email factor.
 */
const meta = {
  title: 'Components/EmailBinding',
  component: EmailBinding.Root,
  args: { onDone: fn() },
  parameters: { mfa: liveServer(signedInWithTotp, { factors: ['OTP'] }) },
} satisfies Meta<typeof EmailBinding.Root>

export default meta
type Story = StoryObj<typeof meta>

/** The address field, with a malformed address pointed out. */
export const EnterAddress: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Add an email address' })).toBeVisible()
    const address = canvas.getByRole('textbox', { name: 'Email address' })
    await userEvent.type(address, 'not-an-email{Enter}')
    await waitFor(() => expect(address).toHaveAccessibleDescription('Enter a valid email address.'))
  },
}

/** The code from the inbox: the email is added. */
export const Added: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live, account } = preparedFor<TotpSignIn>({ loaded })
    const canvas = within(canvasElement)
    await userEvent.type(canvas.getByRole('textbox', { name: 'Email address' }), `${account}{Enter}`)
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Verification code' }), await codeSentTo(canvasElement, live, account))
    await expect(await canvas.findByRole('heading', { name: 'a***@example.com is set up.' })).toBeVisible()
    await expect(args.onDone).toHaveBeenCalledOnce()
  },
}

/** Simplified Chinese. */
export const SimplifiedChinese: Story = languageStory(
  'zh-CN',
  (m) => m.codeDelivery.bindEmailTitle,
  (m) => m.codeDelivery.emailLabel,
)
