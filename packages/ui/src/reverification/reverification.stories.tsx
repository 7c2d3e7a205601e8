import { useEffect, useRef } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { useReverification } from '@mfa-kit/hooks/account'
import type { LiveMfaOptions } from '../../../../.storybook/live'
import { DEMO_PASSWORD } from '../../../../.storybook/live'
import { wrongTotpCode } from '../authenticator.testing'
import { demoAccount, liveOf, nextTotpCode, withDemoAccount, withDemoAccountNote } from '../stories.testing'
import { Reverification } from './reverification'

const confirmed = async () => 'confirmed'

/** A real re-verification of the signed-in demo account (`useReverification(...).challenge()`), rendered by the part. */
function FreshProof() {
  const reverification = useReverification(confirmed)
  const asked = useRef(false)
  useEffect(() => {
    if (asked.current) return
    asked.current = true
    void reverification.challenge()
  }, [reverification.challenge])
  return (
    <div data-mfa="">
      {reverification.status === 'done' ? (
        <p role="status">Confirmed: the change would go ahead now.</p>
      ) : reverification.status === 'idle' ? (
        <p role="status">Cancelled: nothing changed.</p>
      ) : (
        <Reverification reverification={reverification} />
      )}
    </div>
  )
}

const meta = {
  title: 'Components/Reverification',
  component: Reverification,
  tags: ['autodocs'],
  render: () => <FreshProof />,
  decorators: [withDemoAccountNote],
} satisfies Meta<typeof Reverification>

export default meta
type Story = StoryObj<typeof Reverification>

const SLOW = { timeout: 15_000 }
const signedIn = (totp: boolean, mfa: LiveMfaOptions = {}) => withDemoAccount({ totp, signedIn: true }, mfa)
const codeInput = (canvasElement: HTMLElement) => within(canvasElement).findByRole('textbox', { name: 'Verification code' }, SLOW)

/** An account with an authenticator app: its code, with Confirm and Cancel. The heading takes focus. */
export const AuthenticatorCode: Story = {
  parameters: signedIn(true),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const heading = await canvas.findByRole('heading', { name: 'Confirm it is you' }, SLOW)
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(await codeInput(canvasElement)).toBeVisible()
    await expect(canvas.getByText('Enter the code your authenticator app shows.')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible()
  },
}

/** A wrong code: the input empties, keeps focus and says why. */
export const WrongCode: Story = {
  parameters: signedIn(true),
  play: async ({ canvasElement, loaded }) => {
    const live = liveOf({ loaded })
    const input = await codeInput(canvasElement)
    await userEvent.type(input, wrongTotpCode(demoAccount(live).secret!, live.clock.now()))
    await waitFor(() => expect(input).toHaveAccessibleDescription('That code is not right. Check it and try again.'), SLOW)
    await expect(input).toHaveAttribute('aria-invalid', 'true')
    await expect(input).toHaveValue('')
  },
}

/** The right code: the proof is accepted and the action goes ahead. */
export const Confirmed: Story = {
  parameters: signedIn(true),
  play: async ({ canvasElement, loaded }) => {
    const live = liveOf({ loaded })
    await userEvent.type(await codeInput(canvasElement), nextTotpCode(live, demoAccount(live).secret!))
    await expect(await within(canvasElement).findByRole('status', {}, SLOW)).toHaveTextContent('Confirmed')
  },
}

/** An account with no factor (a server that asks for none): its password is the proof. */
export const Password: Story = {
  parameters: signedIn(false, { factors: [] }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const field = await canvas.findByLabelText('Your password', {}, SLOW)
    await expect(field).toHaveAttribute('type', 'password')
    await userEvent.type(field, `${DEMO_PASSWORD}{Enter}`)
    await expect(await canvas.findByRole('status', {}, SLOW)).toHaveTextContent('Confirmed')
  },
}

/** Cancel gives up: the action does not run. */
export const Cancelled: Story = {
  parameters: signedIn(true),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await codeInput(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Cancel' }))
    await expect(await canvas.findByRole('status', {}, SLOW)).toHaveTextContent('Cancelled')
  },
}
