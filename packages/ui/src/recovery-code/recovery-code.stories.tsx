import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { totpCode } from '../authenticator.testing'
import { expectDarkTheme, expectLanguage, liveServer, preparedFor, shownSetupKey, signInToBind } from '../stories.testing'
import type { PendingSignIn } from '../stories.testing'
import { TotpEnrollment } from '../totp-enrollment/totp-enrollment'
import {
  AcknowledgeRecoveryCode,
  CopyRecoveryCode,
  DownloadRecoveryCode,
  FinishRecoveryCode,
  PrintRecoveryCode,
  RecoveryCode,
} from './recovery-code'

/**
 * The recovery code, shown once: its parts (`RecoveryCode`, `CopyRecoveryCode`,
 * `DownloadRecoveryCode`, `PrintRecoveryCode`, the required `AcknowledgeRecoveryCode` and
 * `FinishRecoveryCode`) go inside a flow that issues one, here a `TotpEnrollment` composed from
 * its parts, against the reference server running in this page. Each story first enters the code
 * of the authenticator app (computed from the setup key on screen), as a person would.
 */
const meta = {
  title: 'Components/RecoveryCode',
  component: RecoveryCode,
  args: { onDone: fn() },
  parameters: {
    mfa: liveServer(signInToBind, { factors: ['OTP'] }),
    outbox: false,
  },
  render: ({ onDone, ...args }, context) => (
    <TotpEnrollment.Root mfaToken={preparedFor<PendingSignIn>(context).mfaToken} onDone={onDone}>
      <TotpEnrollment.Step step="scan">
        <TotpEnrollment.Heading />
        <TotpEnrollment.Qr />
        <TotpEnrollment.Secret />
        <TotpEnrollment.Form>
          <TotpEnrollment.CodeInput />
        </TotpEnrollment.Form>
      </TotpEnrollment.Step>
      <TotpEnrollment.Step step="recovery">
        <TotpEnrollment.Heading />
        <TotpEnrollment.Description />
        <RecoveryCode {...args} />
        <div data-part="actions">
          <CopyRecoveryCode />
          <DownloadRecoveryCode />
          <PrintRecoveryCode />
        </div>
        <AcknowledgeRecoveryCode />
        <FinishRecoveryCode />
      </TotpEnrollment.Step>
      <TotpEnrollment.Step step="done">
        <TotpEnrollment.Heading />
      </TotpEnrollment.Step>
    </TotpEnrollment.Root>
  ),
} satisfies Meta<{ onDone: (user: unknown) => void } & Parameters<typeof RecoveryCode>[0]>

export default meta
type Story = StoryObj<typeof meta>

/** Sets up the app with its current code, which brings the recovery code on screen. */
async function showRecoveryCode(canvasElement: HTMLElement, now: number) {
  const canvas = within(canvasElement)
  await canvas.findByRole('img', { name: /QR/ })
  await userEvent.type(canvas.getByRole('textbox'), totpCode(shownSetupKey(canvasElement), now))
  await waitFor(() => expect(canvasElement.querySelector('[data-part="recovery-code"]')).not.toBeNull())
}

/** Shown once, with its label, ways to keep it, and "Continue" disabled until it is acknowledged. */
export const ShownOnce: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    const canvas = within(canvasElement)
    await showRecoveryCode(canvasElement, live.clock.now())
    await expect(canvas.getByText('Recovery code')).toBeVisible()
    await expect(canvasElement.querySelector('[data-part="recovery-code-value"]')?.textContent).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    for (const name of ['Copy code', 'Download .txt', 'Print']) await expect(canvas.getByRole('button', { name })).toBeVisible()
    await expect(canvas.getByRole('checkbox', { name: 'I have saved my recovery code' })).not.toBeChecked()
    await expect(canvas.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await expect(args.onDone).not.toHaveBeenCalled()
  },
}

/** Acknowledged: "Continue" ends the step, and the code leaves the page. */
export const Acknowledged: Story = {
  play: async ({ canvasElement, loaded, args }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    const canvas = within(canvasElement)
    await showRecoveryCode(canvasElement, live.clock.now())
    await userEvent.click(canvas.getByRole('checkbox', { name: 'I have saved my recovery code' }))
    const finish = canvas.getByRole('button', { name: 'Continue' })
    await expect(finish).toBeEnabled()
    await userEvent.click(finish)
    await expect(await canvas.findByRole('heading', { name: 'Authenticator app turned on' })).toBeVisible()
    await expect(canvasElement.querySelector('[data-part="recovery-code"]')).toBeNull()
    await expect(args.onDone).toHaveBeenCalledOnce()
  },
}

/** In Japanese; the code itself is never translated. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  play: async ({ canvasElement, loaded }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    const messages = await expectLanguage(canvasElement, 'ja-JP', (m) => m.totpEnrollment.title)
    await showRecoveryCode(canvasElement, live.clock.now())
    await expect(within(canvasElement).getByRole('button', { name: messages.recoveryCode.download })).toBeVisible()
    await expect(canvasElement.querySelector('[data-part="recovery-code-value"]')).toHaveAttribute('translate', 'no')
  },
}

/** The dark theme. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement, loaded }) => {
    const { live } = preparedFor<PendingSignIn>({ loaded })
    await showRecoveryCode(canvasElement, live.clock.now())
    await expectDarkTheme(canvasElement)
  },
}
