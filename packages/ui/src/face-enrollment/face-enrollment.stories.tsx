import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { darkThemeStory, expectLanguage, liveServer, pickedPhoto, signedInWithTotp } from '../stories.testing'
import { FaceEnrollment } from './face-enrollment'
import '../face-capture/face.css'

/**
 * Setting up face verification for the signed-in account from two photos, against the reference
 * server running in this page. These stories use a server with no face model: the photos are
 * taken (uploaded here) and sent, and the server answers that face cannot be set up. The stories
 * under "Components/Face, live" bind a face with the server's browser face matcher.
 */
const meta = {
  title: 'Components/FaceEnrollment',
  component: FaceEnrollment.Root,
  args: { onDone: fn(), onUnavailable: fn(), countdown: 0 },
  parameters: { mfa: liveServer(signedInWithTotp, { factors: ['OTP'] }), outbox: false },
} satisfies Meta<typeof FaceEnrollment.Root>

export default meta
type Story = StoryObj<typeof meta>

const uploadPhoto = async (canvasElement: HTMLElement) =>
  userEvent.upload(within(canvasElement).getByLabelText('Upload a photo instead'), await pickedPhoto())

/** The first of two photos. */
export const FirstPhoto: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Set up face verification' })).toBeVisible()
    await expect(canvas.getByText('Photo 1 of 2')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Turn on camera' })).toBeVisible()
  },
}

/** The second photo, to compare with the first, which can be retaken. */
export const SecondPhoto: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await uploadPhoto(canvasElement)
    await expect(await canvas.findByText('Photo 2 of 2')).toBeVisible()
    await expect(canvas.getByText('Now take a second photo, so that the two can be compared. Turn your head a little.')).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Retake the first photo' }))
    await expect(await canvas.findByText('Photo 1 of 2')).toBeVisible()
  },
}

/** Both photos sent to a server that cannot verify faces: face cannot be set up now. */
export const Unavailable: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await uploadPhoto(canvasElement)
    await canvas.findByText('Photo 2 of 2')
    await uploadPhoto(canvasElement)
    const heading = await canvas.findByRole('heading', { name: 'Face verification cannot be set up now' })
    await waitFor(() => expect(heading).toHaveFocus())
    await expect(args.onUnavailable).toHaveBeenCalledOnce()
    await expect(args.onDone).not.toHaveBeenCalled()
  },
}

/** Traditional Chinese. */
export const TraditionalChinese: Story = {
  globals: { locale: 'zh-TW' },
  play: async ({ canvasElement }) => {
    const messages = await expectLanguage(canvasElement, 'zh-TW', (m) => m.faceEnrollment.title)
    await expect(within(canvasElement).getByText(messages.faceEnrollment.photoCount.replace('{n}', '1'))).toBeVisible()
  },
}

/** The dark theme. */
export const Dark: Story = { ...darkThemeStory }
