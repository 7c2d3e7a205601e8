import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import type { LiveMfaOptions } from '../../../../.storybook/live'
import { DEMO_PASSWORD } from '../../../../.storybook/live'
import { demoAccount, liveOf, nextTotpCode, withDemoAccount, withDemoAccountNote } from '../stories.testing'
import { StepUpDialog } from './step-up'

const meta = {
  title: 'Drop-in/StepUpDialog',
  component: StepUpDialog,
  tags: ['autodocs'],
  args: { onDone: fn(), onCancel: fn() },
  decorators: [withDemoAccountNote],
} satisfies Meta<typeof StepUpDialog>

export default meta
type Story = StoryObj<typeof meta>

const SLOW = { timeout: 15_000 }
const signedIn = (totp: boolean, mfa: LiveMfaOptions = {}) => withDemoAccount({ totp, signedIn: true }, mfa)
const dialog = (canvasElement: HTMLElement) => within(canvasElement).findByRole('dialog', { name: 'Confirm it is you' }, SLOW)

/** Open: a modal dialog asking for the code of the authenticator app, its heading focused. */
export const Open: Story = {
  parameters: signedIn(true),
  play: async ({ canvasElement }) => {
    const box = await dialog(canvasElement)
    await expect(box).toHaveAttribute('aria-modal', 'true')
    await waitFor(() => expect(within(box).getByRole('heading', { name: 'Confirm it is you' })).toHaveFocus(), SLOW)
    await expect(await within(box).findByRole('textbox', { name: 'Verification code' }, SLOW)).toBeVisible()
  },
}

/** The right code: `onDone`, and `requireStepUp()` resolves. */
export const Confirmed: Story = {
  parameters: signedIn(true),
  play: async ({ canvasElement, args, loaded }) => {
    const live = liveOf({ loaded })
    const box = await dialog(canvasElement)
    await userEvent.type(
      await within(box).findByRole('textbox', { name: 'Verification code' }, SLOW),
      nextTotpCode(live, demoAccount(live).secret!),
    )
    await waitFor(() => expect(args.onDone).toHaveBeenCalledOnce(), SLOW)
    await expect(args.onCancel).not.toHaveBeenCalled()
  },
}

/** Escape gives up: `onCancel` with `reauthentication_required`, and `requireStepUp()` rejects. */
export const CancelledWithEscape: Story = {
  parameters: signedIn(true),
  play: async ({ canvasElement, args }) => {
    const box = await dialog(canvasElement)
    await within(box).findByRole('textbox', { name: 'Verification code' }, SLOW)
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(args.onCancel).toHaveBeenCalledOnce(), SLOW)
    await expect(args.onCancel).toHaveBeenCalledWith(expect.objectContaining({ code: 'reauthentication_required' }))
  },
}

/** An account with no factor: the password, in the dialog. */
export const Password: Story = {
  parameters: signedIn(false, { factors: [] }),
  play: async ({ canvasElement, args }) => {
    const box = await dialog(canvasElement)
    await userEvent.type(await within(box).findByLabelText('Your password', {}, SLOW), `${DEMO_PASSWORD}{Enter}`)
    await waitFor(() => expect(args.onDone).toHaveBeenCalledOnce(), SLOW)
  },
}
