import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { OneTimeCodeInput } from './one-time-code-input'

const meta = {
  title: 'Components/OneTimeCodeInput',
  component: OneTimeCodeInput.Root,
  args: { onComplete: fn() },
} satisfies Meta<typeof OneTimeCodeInput.Root>

export default meta
type Story = StoryObj<typeof meta>

const field = (canvas: HTMLElement) => within(canvas).getByRole('textbox', { name: 'Verification code' })

/** Empty, waiting for six digits; one real input under the boxes. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    await expect(field(canvasElement)).toHaveAttribute('autocomplete', 'one-time-code')
    await expect(field(canvasElement)).toHaveValue('')
  },
}

/** Typing fills the boxes and completes once with the whole code. */
export const Typed: Story = {
  play: async ({ canvasElement, args }) => {
    await userEvent.type(field(canvasElement), '012345')
    await expect(field(canvasElement)).toHaveValue('012345')
    await expect(args.onComplete).toHaveBeenCalledOnce()
    await expect(args.onComplete).toHaveBeenCalledWith('012345')
  },
}
