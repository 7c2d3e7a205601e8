import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { loadMfaLocale } from '../i18n/provider'
import type { MfaLocale } from '../i18n/types'
import { darkThemeStory, expectFitsPhoneScreen, expectRightToLeft, phoneScreen } from '../stories.testing'
import { OneTimeCodeInput } from './one-time-code-input'

/**
 * One real `<input>` drawn as boxes: one label, one value, `autocomplete="one-time-code"`, so that
 * screen readers, SMS autofill and password managers see a single field. The flows
 * (`TotpChallenge`, `SmsChallenge`, …) wire it to the server; here it stands alone. It has no
 * card of its own, so the stories put it on a page of the theme's background, as an app would.
 */
const meta = {
  title: 'Components/OneTimeCodeInput',
  component: OneTimeCodeInput.Root,
  args: { onComplete: fn() },
  decorators: [
    (Story) => (
      <div style={{ background: 'var(--mfa-color-bg)', color: 'var(--mfa-color-text)', padding: '1rem' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof OneTimeCodeInput.Root>

export default meta
type Story = StoryObj<typeof meta>

const field = (canvas: HTMLElement, name = 'Verification code') => within(canvas).getByRole('textbox', { name })

/** Empty, waiting for six digits; one real input under the boxes. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    await expect(field(canvasElement)).toHaveAttribute('autocomplete', 'one-time-code')
    await expect(field(canvasElement)).toHaveAttribute('inputmode', 'numeric')
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

/** A code pasted as a message shows it, `123 456`: the space goes, the leading zero stays. */
export const Pasted: Story = {
  play: async ({ canvasElement, args }) => {
    await userEvent.click(field(canvasElement))
    await userEvent.paste('012 345')
    await expect(field(canvasElement)).toHaveValue('012345')
    await expect(args.onComplete).toHaveBeenCalledWith('012345')
  },
}

/** With an error: shown under the boxes, linked to the input and marking it invalid. */
export const WithError: Story = {
  args: { error: 'That code is not right. Check it and try again.' },
  play: async ({ canvasElement }) => {
    await expect(field(canvasElement)).toHaveAccessibleDescription('That code is not right. Check it and try again.')
    await expect(field(canvasElement)).toHaveAttribute('aria-invalid', 'true')
  },
}

/**
 * Locked while the server makes the user wait: read-only but still focusable (focus is not lost as
 * with `disabled`), and typing is refused. The flows count the wait down in `error`.
 */
export const Locked: Story = {
  args: { locked: true, invalid: false, error: 'Too many attempts. Try again in 30 seconds.' },
  play: async ({ canvasElement, args }) => {
    const input = field(canvasElement)
    await expect(input).toHaveAttribute('readonly')
    await expect(input).toHaveAttribute('aria-disabled', 'true')
    await expect(input).not.toHaveAttribute('aria-invalid')
    await userEvent.type(input, '123456')
    await expect(input).toHaveFocus()
    await expect(input).toHaveValue('')
    await expect(args.onComplete).not.toHaveBeenCalled()
  },
}

/** Composed from its parts: a label of your own, and a separator between two groups of three. */
export const Composed: Story = {
  args: { label: 'Code from the app' },
  render: (args) => (
    <OneTimeCodeInput.Root {...args}>
      <OneTimeCodeInput.Label />
      <OneTimeCodeInput.Group>
        <OneTimeCodeInput.Slot index={0} />
        <OneTimeCodeInput.Slot index={1} />
        <OneTimeCodeInput.Slot index={2} />
        <OneTimeCodeInput.Separator />
        <OneTimeCodeInput.Slot index={3} />
        <OneTimeCodeInput.Slot index={4} />
        <OneTimeCodeInput.Slot index={5} />
        <OneTimeCodeInput.Input name="code" />
      </OneTimeCodeInput.Group>
      <OneTimeCodeInput.Error />
    </OneTimeCodeInput.Root>
  ),
  play: async ({ canvasElement, args }) => {
    const input = field(canvasElement, 'Code from the app')
    await expect(input).toHaveAttribute('name', 'code')
    await userEvent.type(input, '987654')
    await expect(args.onComplete).toHaveBeenCalledWith('987654')
  },
}

/** The label in the page's language, from the surrounding `MfaLocaleProvider`. */
async function expectLabelIn(canvasElement: HTMLElement, locale: MfaLocale) {
  const messages = await loadMfaLocale(locale)
  await expect(await within(canvasElement).findByRole('textbox', { name: messages.oneTimeCode.label })).toBeVisible()
}

/** Simplified Chinese. */
export const SimplifiedChinese: Story = {
  globals: { locale: 'zh-CN' },
  play: ({ canvasElement }) => expectLabelIn(canvasElement, 'zh-CN'),
}

/** Traditional Chinese. */
export const TraditionalChinese: Story = {
  globals: { locale: 'zh-TW' },
  play: ({ canvasElement }) => expectLabelIn(canvasElement, 'zh-TW'),
}

/** Japanese. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  play: ({ canvasElement }) => expectLabelIn(canvasElement, 'ja-JP'),
}

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }

/** On a right-to-left page the digits still run left to right, as typed. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => {
    await expectRightToLeft(canvasElement)
    await userEvent.type(field(canvasElement), '123456')
    const boxes = [...canvasElement.querySelectorAll('[data-part="otp-slot"]')]
    const lefts = boxes.map((box) => box.getBoundingClientRect().left)
    await expect(lefts).toEqual([...lefts].sort((a, b) => a - b))
  },
}

/** Six boxes, and room for a password manager's badge, on a 320 px wide phone screen. */
export const PhoneScreen: Story = {
  globals: phoneScreen,
  play: ({ canvasElement }) => expectFitsPhoneScreen(canvasElement),
}
