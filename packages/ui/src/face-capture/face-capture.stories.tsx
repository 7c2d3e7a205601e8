import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import type { MediaDevicesSource } from '@mfa-kit/hooks/face'
import { expectDarkTheme, expectFitsPhoneScreen, expectRightToLeft, phoneScreen, pickedPhoto, turnOnCamera } from '../stories.testing'
import { loadMfaLocale } from '../i18n/provider'
import { FaceCapture } from './face-capture'
import './face.css'

/**
 * One photo of the user's face, from the camera or an upload. The camera is your browser's: allow
 * it when asked. (The story tests run Chromium with its fake camera, a generated test pattern.)
 * No server is involved; the photo goes to `onCapture`.
 */
const meta = {
  title: 'Components/FaceCapture',
  component: FaceCapture.Root,
  args: { onCapture: fn() },
} satisfies Meta<typeof FaceCapture.Root>

export default meta
type Story = StoryObj<typeof meta>

const root = (canvasElement: HTMLElement) => canvasElement.querySelector('[data-part="face-capture"]')!

/** Before the camera is on: the browser's permission prompt only follows a click, and an upload is offered. */
export const Intro: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(root(canvasElement)).toHaveAttribute('data-step', 'intro')
    await expect(canvas.getByText('Turn on your camera to take a photo of your face.')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Turn on camera' })).toBeVisible()
    await expect(canvas.getByLabelText('Upload a photo instead')).toHaveAttribute('type', 'file')
  },
}

/** The camera's live picture in the oval guide, ready for "Take photo". */
export const CameraOn: Story = {
  play: async ({ canvasElement }) => {
    await turnOnCamera(canvasElement)
    await expect(root(canvasElement)).toHaveAttribute('data-step', 'live')
    await expect(root(canvasElement)).toHaveAttribute('data-state', 'streaming')
    await expect(canvasElement.querySelector('[data-part="face-status"]')).toHaveTextContent(
      'Center your face in the oval, in good light, then take the photo.',
    )
  },
}

/** "Take photo" counts down, said once; the same button cancels and keeps focus. */
export const CountingDown: Story = {
  args: { countdown: 3 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await turnOnCamera(canvasElement))
    await expect(root(canvasElement)).toHaveAttribute('data-step', 'countdown')
    await expect(canvas.getByText(/^Hold still\. Taking the photo in \d seconds\.$/)).toBeVisible()
    const cancel = canvas.getByRole('button', { name: 'Cancel' })
    await expect(cancel).toHaveFocus()
    await userEvent.click(cancel)
    await expect(root(canvasElement)).toHaveAttribute('data-step', 'live')
  },
}

/** The photo taken (no countdown here): "Use this photo" has focus, "Retake" goes back to the camera. */
export const Review: Story = {
  args: { countdown: 0 },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await turnOnCamera(canvasElement))
    const use = await canvas.findByRole('button', { name: 'Use this photo' })
    await waitFor(() => expect(use).toHaveFocus())
    await expect(root(canvasElement)).toHaveAttribute('data-step', 'review')
    await expect(canvas.getByRole('button', { name: 'Retake' })).toBeVisible()
    await expect(args.onCapture).not.toHaveBeenCalled()
  },
}

/** "Use this photo": the JPEG goes to `onCapture`. */
export const Captured: Story = {
  args: { countdown: 0 },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await turnOnCamera(canvasElement))
    await userEvent.click(await canvas.findByRole('button', { name: 'Use this photo' }))
    await waitFor(() => expect(args.onCapture).toHaveBeenCalledOnce())
    await expect(args.onCapture).toHaveBeenCalledWith(expect.objectContaining({ type: 'image/jpeg' }))
  },
}

/** A photo picked from the device instead of the camera goes to `onCapture` as it is. */
export const Uploaded: Story = {
  play: async ({ canvasElement, args }) => {
    const photo = await pickedPhoto()
    await userEvent.upload(within(canvasElement).getByLabelText('Upload a photo instead'), photo)
    await waitFor(() => expect(args.onCapture).toHaveBeenCalledWith(photo))
  },
}

/** What a browser answers when the camera is blocked for the page (a `NotAllowedError`). */
const blockedCamera: MediaDevicesSource = {
  getUserMedia: () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
}

/**
 * The camera blocked in the browser's site settings: what is wrong, where to allow it (for the
 * browser named in `userAgent`, Chrome here), "Try the camera again", and the upload. The story
 * hands the component a camera source that answers as a browser does once the camera is blocked.
 */
export const CameraBlocked: Story = {
  args: {
    mediaDevices: blockedCamera,
    permissions: null,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Turn on camera' }))
    await expect(await canvas.findByText('The camera is blocked')).toBeVisible()
    await expect(root(canvasElement)).toHaveAttribute('data-step', 'fallback')
    await expect(
      canvas.getByText('Select the site settings icon at the left of the address bar, allow the camera, then try again.'),
    ).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Try the camera again' })).toBeVisible()
    await expect(canvas.getByLabelText('Upload a photo instead')).toBeInTheDocument()
  },
}

/** Simplified Chinese. */
export const SimplifiedChinese: Story = {
  globals: { locale: 'zh-CN' },
  play: async ({ canvasElement }) => {
    const messages = await loadMfaLocale('zh-CN')
    await expect(await within(canvasElement).findByRole('button', { name: messages.faceCapture.start })).toBeVisible()
  },
}

/** Traditional Chinese. */
export const TraditionalChinese: Story = {
  globals: { locale: 'zh-TW' },
  play: async ({ canvasElement }) => {
    const messages = await loadMfaLocale('zh-TW')
    await expect(await within(canvasElement).findByRole('button', { name: messages.faceCapture.start })).toBeVisible()
  },
}

/** Japanese, with the camera on. */
export const Japanese: Story = {
  globals: { locale: 'ja-JP' },
  play: async ({ canvasElement }) => {
    const messages = await loadMfaLocale('ja-JP')
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: messages.faceCapture.start }))
    await expect(await canvas.findByRole('button', { name: messages.faceCapture.shutter }, { timeout: 5_000 })).toBeVisible()
  },
}

/** The dark theme. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await turnOnCamera(canvasElement)
    await expectDarkTheme(canvasElement)
  },
}

/** A right-to-left page; the preview is mirrored like a mirror whatever the direction. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => {
    await turnOnCamera(canvasElement)
    await expectRightToLeft(canvasElement)
  },
}

/** A 320 px wide phone screen: the 4:3 preview and its buttons fit. */
export const PhoneScreen: Story = {
  globals: phoneScreen,
  play: async ({ canvasElement }) => {
    await turnOnCamera(canvasElement)
    await expectFitsPhoneScreen(canvasElement)
  },
}
