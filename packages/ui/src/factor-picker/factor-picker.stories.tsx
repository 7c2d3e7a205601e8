import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { useMfaChallenge } from '@mfa-kit/hooks'
import type { MfaTrigger } from '@mfa-kit/hooks'
import { useMfaLocale } from '../i18n/provider'
import { demoAccount, liveOf, signInToChallenge, withDemoAccount } from '../stories.testing'
import { FactorPicker, FactorPickerRoot } from './factor-picker'

/** The picker of a real sign-in in progress (`useMfaChallenge`), with the factor it puts on screen. */
function Challenge({ trigger }: { trigger: MfaTrigger }) {
  const challenge = useMfaChallenge(trigger)
  const { messages } = useMfaLocale()
  const { factor } = challenge.data
  return (
    <div data-mfa="">
      <p data-testid="on-screen">On screen: {factor ? messages.factors[factor] : '–'}</p>
      <FactorPicker.Root challenge={challenge} />
    </div>
  )
}

const meta: Meta<typeof FactorPickerRoot> = {
  title: 'Components/FactorPicker',
  component: FactorPickerRoot,
  tags: ['autodocs'],
  render: (_args, context) => <Challenge trigger={demoAccount(liveOf(context)).trigger!} />,
}

export default meta
type Story = StoryObj<typeof FactorPickerRoot>

const SLOW = { timeout: 15_000 }
/** A sign-in waiting for its second factor, through the server's real API. */
const pendingSignIn = (totp: boolean) => withDemoAccount({ totp }, {}, signInToChallenge)

const picker = (canvasElement: HTMLElement) => within(canvasElement).findByRole('group', { name: 'Ways to verify' }, SLOW)

/** An account with no factor yet: each factor of the application, to set up, the first one on screen. */
export const ToSetUp: Story = {
  parameters: pendingSignIn(false),
  play: async ({ canvasElement }) => {
    const group = await picker(canvasElement)
    const buttons = within(group).getAllByRole('button')
    await expect(buttons.map((button) => button.textContent)).toEqual([
      'Set up: Authenticator app',
      'Set up: Text message',
      'Set up: Email',
    ])
    await expect(buttons[0]).toHaveAttribute('aria-current', 'true')
    await expect(buttons[0]).toHaveAttribute('data-state', 'current')
    await expect(buttons[1]).toHaveAttribute('data-state', 'unbound')
  },
}

/** Picking another factor puts it on screen; `aria-current` follows. */
export const Switched: Story = {
  parameters: pendingSignIn(false),
  play: async ({ canvasElement }) => {
    const group = await picker(canvasElement)
    const email = within(group).getByRole('button', { name: 'Set up: Email' })
    await userEvent.click(email)
    await expect(email).toHaveAttribute('aria-current', 'true')
    await expect(within(group).getByRole('button', { name: 'Set up: Authenticator app' })).not.toHaveAttribute('aria-current')
    await expect(within(canvasElement).getByTestId('on-screen')).toHaveTextContent('On screen: Email')
  },
}

/** An account with one factor it can verify: nothing to pick, so nothing is rendered. */
export const SingleFactor: Story = {
  parameters: pendingSignIn(true),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(within(canvasElement).getByTestId('on-screen')).toHaveTextContent('On screen: Authenticator app'), SLOW)
    await expect(within(canvasElement).queryByRole('group')).not.toBeInTheDocument()
  },
}

/** In Japanese. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  parameters: pendingSignIn(false),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('[data-part="factor-picker"]')).toBeInTheDocument(), SLOW)
    const buttons = [...canvasElement.querySelectorAll('[data-part="factor"]')]
    await expect(buttons).toHaveLength(3)
    await expect(buttons[0]?.textContent).not.toContain('Set up')
  },
}
