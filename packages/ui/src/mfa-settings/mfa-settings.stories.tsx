import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import type { LiveMfaOptions } from '../../../../.storybook/live'
import { liveOf, withDemoAccount, withDemoAccountNote } from '../stories.testing'
import { MfaSettings } from './mfa-settings'

const meta = {
  title: 'Drop-in/MfaSettings',
  component: MfaSettings,
  tags: ['autodocs'],
  parameters: { mfa: {} satisfies LiveMfaOptions },
  decorators: [withDemoAccountNote],
} satisfies Meta<typeof MfaSettings>

export default meta
type Story = StoryObj<typeof meta>

const SLOW = { timeout: 15_000 }
const HOUR = 60 * 60_000
const PHONE = '13912345678'
const PHONE_NAME = 'Text message (+86 139****5678)'

/**
 * Signed in just now with an authenticator app, with a phone added too; `ageMs` makes the
 * sign-in that much older, through the server's clock.
 */
const signedIn = ({ ageMs = 0, totp = true, phone = PHONE as string | null } = {}, mfa: LiveMfaOptions = {}) =>
  withDemoAccount({ totp, signedIn: true, phone: phone ?? undefined }, mfa, (live) => live.clock.advance(ageMs))

const listed = (canvasElement: HTMLElement) =>
  [...canvasElement.querySelectorAll('[data-part="factor-name"]')].map((node) => node.textContent)

/** Waits for the account's factors to be loaded. */
async function ready(canvasElement: HTMLElement) {
  await waitFor(() => expect(canvasElement.querySelector('[data-part="mfa-settings"]')).toHaveAttribute('data-state', 'ready'), SLOW)
}

/** Waits for the list of the account's factors. */
async function factorList(canvasElement: HTMLElement) {
  await ready(canvasElement)
  return within(canvasElement).getByRole('list', { name: 'Your methods' })
}

/** Nobody signed in: the page says to sign in first. */
export const SignedOut: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Two-step verification' })).toBeVisible()
    await expect(canvas.getByText('Sign in to manage your security.')).toBeVisible()
  },
}

/** The bound factors, each removable, the factors still to add, and the recovery code. */
export const Factors: Story = {
  parameters: signedIn(),
  play: async ({ canvasElement }) => {
    const list = await factorList(canvasElement)
    const canvas = within(canvasElement)
    await expect(listed(canvasElement)).toEqual(['Authenticator app', PHONE_NAME])
    await expect(within(list).getByRole('button', { name: `Remove ${PHONE_NAME}` })).toBeVisible()
    await expect(canvas.getByRole('group', { name: 'Add a method' })).toHaveTextContent('Add an email address')
    await expect(canvas.getByRole('button', { name: 'Get a new recovery code' })).toBeVisible()
  },
}

/** Removing is never one click: the question takes focus, with Remove and Keep it. */
export const RemoveConfirmation: Story = {
  parameters: signedIn(),
  play: async ({ canvasElement }) => {
    const list = await factorList(canvasElement)
    await userEvent.click(within(list).getByRole('button', { name: `Remove ${PHONE_NAME}` }))
    const question = within(list).getByText(`Remove ${PHONE_NAME}?`)
    await waitFor(() => expect(question).toHaveFocus())
    await expect(within(list).getByRole('button', { name: 'Remove' })).toBeVisible()
    await expect(within(list).getByRole('button', { name: 'Keep it' })).toBeVisible()
  },
}

/** Removed after the confirmation: the list updates, the change is announced and focus goes back to the heading. */
export const Removed: Story = {
  parameters: signedIn(),
  play: async ({ canvasElement }) => {
    const list = await factorList(canvasElement)
    await userEvent.click(within(list).getByRole('button', { name: `Remove ${PHONE_NAME}` }))
    await userEvent.click(within(list).getByRole('button', { name: 'Remove' }))
    await waitFor(() => expect(listed(canvasElement)).toEqual(['Authenticator app']), SLOW)
    await waitFor(() =>
      expect(canvasElement.ownerDocument.querySelector('[data-part="announcer"]')).toHaveTextContent(`${PHONE_NAME} removed.`),
    )
    await expect(within(canvasElement).getByRole('heading', { name: 'Two-step verification' })).toHaveFocus()
  },
}

/** Adding a phone: the number, a code by text message (read it in the demo inbox), and it is listed. */
export const AddPhone: Story = {
  parameters: signedIn({ phone: null }),
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await ready(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Add a phone number' }))
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Phone number' }), PHONE)
    await userEvent.click(canvas.getByRole('button', { name: 'Send code' }))
    await canvas.findByRole('heading', { name: 'Enter the code we texted you' }, SLOW)
    await userEvent.type(canvas.getByRole('textbox', { name: 'Verification code' }), liveOf({ loaded }).lastCode(PHONE))
    await waitFor(() => expect(listed(canvasElement)).toEqual(['Authenticator app', PHONE_NAME]), SLOW)
  },
}

/**
 * A sign-in older than five minutes: removing a factor first asks for a fresh proof, in place
 * (the code of the app, or one sent to the phone), and then finishes by itself.
 */
export const ReverificationAsked: Story = {
  parameters: signedIn({ ageMs: HOUR }),
  play: async ({ canvasElement }) => {
    const list = await factorList(canvasElement)
    await userEvent.click(within(list).getByRole('button', { name: `Remove ${PHONE_NAME}` }))
    await userEvent.click(within(list).getByRole('button', { name: 'Remove' }))
    const heading = await within(list).findByRole('heading', { name: 'Confirm it is you' }, SLOW)
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(within(list).getByText('Enter the code your authenticator app shows.')).toBeVisible()
    await expect(within(list).getByRole('textbox', { name: 'Verification code' })).toBeVisible()
  },
}

/**
 * An account with no factor yet (on a server that asks for none at sign-in): setting up an
 * authenticator app. Scan the QR code with a real phone app to finish.
 */
export const AddAuthenticatorApp: Story = {
  parameters: signedIn({ totp: false, phone: null }, { factors: [] }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await ready(canvasElement)
    await expect(await canvas.findByText('No method is set up yet.', {}, SLOW)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Set up an authenticator app' }))
    await expect(await canvas.findByRole('heading', { name: 'Set up your authenticator app' }, SLOW)).toBeVisible()
    await expect(await canvas.findByRole('img', { name: 'QR code for your authenticator app' }, SLOW)).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible()
  },
}

/** A new recovery code replaces the old one, shown once; Continue waits for "I have saved it". */
export const NewRecoveryCode: Story = {
  parameters: signedIn(),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await ready(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Get a new recovery code' }))
    const heading = await canvas.findByRole('heading', { name: 'Save your new recovery code' }, SLOW)
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(canvasElement.querySelector('[data-part="recovery-code-value"]')?.textContent).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    await expect(canvas.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await expect(canvas.getByRole('checkbox', { name: 'I have saved my recovery code' })).not.toBeChecked()
  },
}

/** In Traditional Chinese. */
export const ChineseTraditional: Story = {
  globals: { locale: 'zh-TW' },
  parameters: signedIn(),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('heading', { name: '兩步驟驗證' }, SLOW)).toBeVisible()
    await ready(canvasElement)
    await waitFor(() => expect(canvasElement.querySelectorAll('[data-part="factor-item"]')).toHaveLength(2), SLOW)
    await expect(canvasElement.querySelector('[data-part="mfa-settings"]')).toHaveAttribute('lang', 'zh-TW')
  },
}

/** Dark, on a narrow phone screen (320 px): nothing reaches past the edge. */
export const DarkMobile: Story = {
  globals: { theme: 'dark', viewport: { value: 'mobile1', isRotated: false } },
  parameters: signedIn(),
  play: async ({ canvasElement }) => {
    await ready(canvasElement)
    const page = canvasElement.querySelector<HTMLElement>('[data-part="mfa-settings"]')!
    await waitFor(() => expect(getComputedStyle(page).colorScheme).toBe('dark'))
    await expect(window.innerWidth).toBeLessThanOrEqual(400)
    const beyond = [...canvasElement.querySelectorAll('*')].filter((node) => node.getBoundingClientRect().right > window.innerWidth)
    await expect(beyond.map((node) => node.getAttribute('data-part') ?? node.tagName)).toEqual([])
  },
}
