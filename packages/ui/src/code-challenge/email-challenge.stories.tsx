import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import {
  codeSentTo,
  darkThemeStory,
  expectCodeSent,
  expectLanguage,
  liveServer,
  otherCode,
  preparedFor,
  signIn,
  signInToBind,
  thenExpired,
} from '../stories.testing'
import type { PendingSignIn } from '../stories.testing'
import { EmailChallenge } from './code-challenge'

/**
 * Finishing a sign-in with a code sent by email, against the reference server running in this
 * page. No mail leaves the page: the demo inbox beside the story shows what the server sent. The
 * account signed up with its email, which counts as its email factor.
 */
const meta = {
  title: 'Components/EmailChallenge',
  component: EmailChallenge.Root,
  args: { mfaToken: '', onVerified: fn(), onExpired: fn(), onRestart: fn() },
  argTypes: { mfaToken: { control: false, description: 'The sign-in waiting for this code; the story signs one in.' } },
  parameters: { mfa: liveServer(signIn, { factors: ['EMAIL'] }) },
  render: (args, context) => {
    const { mfaToken, trigger } = preparedFor<PendingSignIn>(context)
    return <EmailChallenge.Root {...args} mfaToken={mfaToken} email={trigger.mfaEmail} />
  },
} satisfies Meta<typeof EmailChallenge.Root>

export default meta
type Story = StoryObj<typeof meta>

const codeInput = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: 'Verification code' })

/** Sent by itself to the account's email, masked on screen. */
export const CodeSent: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Enter the code we emailed you' })).toBeVisible()
    await expectCodeSent(canvasElement)
    await expect(canvas.getByText('We sent a code to a***@example.com.')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Send a new code' })).toHaveAttribute('aria-disabled', 'true')
  },
}

/** A wrong code: said, linked to the emptied input. */
export const WrongCode: Story = {
  play: async ({ canvasElement, loaded }) => {
    const { live, account } = preparedFor<PendingSignIn>({ loaded })
    const wrong = otherCode(await codeSentTo(canvasElement, live, account))
    const input = codeInput(canvasElement)
    await userEvent.type(input, wrong)
    await waitFor(() => expect(input).toHaveAccessibleDescription('That code is not right. Check it and try again.'))
    await expect(input).toHaveValue('')
  },
}

/** The sign-in waited longer than its ten minutes: the code ends it, with "Sign in again". */
export const Expired: Story = {
  parameters: { mfa: liveServer(thenExpired(signIn), { factors: ['EMAIL'] }) },
  play: async ({ canvasElement, loaded, args }) => {
    const { live, account } = preparedFor<PendingSignIn>({ loaded })
    await userEvent.type(codeInput(canvasElement), await codeSentTo(canvasElement, live, account))
    await expect(await within(canvasElement).findByRole('heading', { name: 'Your sign-in has expired' })).toBeVisible()
    await expect(args.onExpired).toHaveBeenCalledOnce()
  },
}

/** The code from the inbox: verified. */
export const Verified: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live, account } = preparedFor<PendingSignIn>({ loaded })
    await userEvent.type(codeInput(canvasElement), await codeSentTo(canvasElement, live, account))
    await expect(await within(canvasElement).findByRole('heading', { name: 'Verified' })).toBeVisible()
    await expect(args.onVerified).toHaveBeenCalledOnce()
  },
}

/** An account with no email adds one while signing in: a malformed address is pointed out, then the code goes to the new one. */
export const AddEmail: Story = {
  parameters: { mfa: liveServer(signInToBind, { factors: ['EMAIL'] }) },
  play: async ({ canvasElement, loaded, args }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Add an email address' })).toBeVisible()
    const address = canvas.getByRole('textbox', { name: 'Email address' })
    await userEvent.type(address, 'not-an-email{Enter}')
    await waitFor(() => expect(address).toHaveAccessibleDescription('Enter a valid email address.'))
    await userEvent.clear(address)
    await userEvent.type(address, 'grace@example.com{Enter}')
    await expect(await canvas.findByRole('heading', { name: 'Enter the code we emailed you' })).toBeVisible()
    await userEvent.type(codeInput(canvasElement), await codeSentTo(canvasElement, live, 'grace@example.com'))
    await waitFor(() => expect(args.onVerified).toHaveBeenCalledOnce())
  },
}

/** Traditional Chinese. */
export const TraditionalChinese: Story = {
  globals: { locale: 'zh-TW' },
  play: async ({ canvasElement }) => {
    await expectLanguage(canvasElement, 'zh-TW', (m) => m.codeDelivery.emailTitle)
    await expectCodeSent(canvasElement)
  },
}

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }
