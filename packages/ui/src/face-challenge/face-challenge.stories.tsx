import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import {
  darkThemeStory,
  expectFitsPhoneScreen,
  expectLanguage,
  liveServer,
  phoneScreen,
  pickedPhoto,
  preparedFor,
  signInWithTotp,
  slowNetwork,
} from '../stories.testing'
import type { TotpSignIn } from '../stories.testing'
import { FaceChallenge } from './face-challenge'
import '../face-capture/face.css'

/**
 * Finishing a sign-in with a photo of the user's face, against the reference server running in
 * this page. These stories use a server with no face model, so every photo is answered the way
 * such a server answers: face verification is not available. The stories under
 * "Components/Face, live" run the server's browser face matcher, where a face is verified or
 * refused. Photos are uploaded here; the camera steps are the `FaceCapture` stories.
 */
const meta = {
  title: 'Components/FaceChallenge',
  component: FaceChallenge.Root,
  args: { mfaToken: '', onVerified: fn(), onExpired: fn(), onUnavailable: fn(), onRestart: fn(), countdown: 0 },
  argTypes: { mfaToken: { control: false, description: 'The sign-in waiting for this photo; the story signs one in.' } },
  parameters: { mfa: liveServer(signInWithTotp, { factors: ['OTP'] }), outbox: false },
  render: (args, context) => <FaceChallenge.Root {...args} mfaToken={preparedFor<TotpSignIn>(context).mfaToken} />,
} satisfies Meta<typeof FaceChallenge.Root>

export default meta
type Story = StoryObj<typeof meta>

const uploadPhoto = async (canvasElement: HTMLElement) =>
  userEvent.upload(within(canvasElement).getByLabelText('Upload a photo instead'), await pickedPhoto())

/** Waiting for a photo: "Turn on camera", or an upload. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Verify with your face' })).toBeVisible()
    await expect(canvas.getByText('Take a photo of your face to finish signing in.')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Turn on camera' })).toBeVisible()
  },
}

/** Over a slow network: a progress bar while the photo is sent, and no new photo meanwhile. */
export const Sending: Story = {
  decorators: [slowNetwork()],
  play: async ({ canvasElement }) => {
    await uploadPhoto(canvasElement)
    const progress = await within(canvasElement).findByRole('progressbar', { name: 'Sending your photo' })
    await expect(progress).toBeVisible()
    await expect(within(canvasElement).getByLabelText('Upload a photo instead')).toBeDisabled()
    await expect(
      await within(canvasElement).findByRole('heading', { name: 'Face verification is not available' }, { timeout: 6_000 }),
    ).toBeVisible()
  },
}

/** The server cannot verify faces (it has no face model): the user is told to use another method. */
export const Unavailable: Story = {
  play: async ({ canvasElement, args }) => {
    await uploadPhoto(canvasElement)
    const heading = await within(canvasElement).findByRole('heading', { name: 'Face verification is not available' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(within(canvasElement).getByText('Use another method to finish signing in.')).toBeVisible()
    await expect(args.onUnavailable).toHaveBeenCalledOnce()
    await expect(args.onVerified).not.toHaveBeenCalled()
  },
}

/** Japanese. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  play: async ({ canvasElement }) => {
    const messages = await expectLanguage(canvasElement, 'ja-JP', (m) => m.faceChallenge.title)
    await expect(within(canvasElement).getByRole('button', { name: messages.faceCapture.start })).toBeVisible()
  },
}

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }

/** A 320 px wide phone screen. */
export const PhoneScreen: Story = {
  globals: phoneScreen,
  play: ({ canvasElement }) => expectFitsPhoneScreen(canvasElement),
}
