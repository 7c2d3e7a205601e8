import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import type { MediaDevicesSource } from '@mfa-kit/hooks/face'
import type { FaceOptions } from '@mfa-kit/server'
import { createBrowserFaceMatcher } from '@mfa-kit/server/browser-face'
import type { LiveMfa, LiveMfaOptions } from '../../../../.storybook/live'
import { FaceEnrollment } from '../face-enrollment/face-enrollment'
import { createDemoAccount, demoAccount, liveOf, signInToChallenge } from '../stories.testing'
import { FaceChallenge } from './face-challenge'

/**
 * Face verification for real, in this page: a fake camera films a photo, and the reference
 * server's browser face matcher (face-api on the TensorFlow.js wasm backend, with the models and
 * wasm files served by Storybook) compares the faces. Nothing is canned: the same photo of Grace
 * Hopper matches, the astronaut Eileen Collins does not. The photos and their licences are in
 * `.storybook/fixtures/faces/`. The models start loading with the camera: two to three seconds.
 */

const PHOTOS = {
  hopper: new URL('../../../../.storybook/fixtures/faces/grace_hopper.jpg', import.meta.url).href,
  hopperCropped: new URL('../../../../.storybook/fixtures/faces/grace_hopper_512x512.jpg', import.meta.url).href,
  astronaut: new URL('../../../../.storybook/fixtures/faces/astronaut.png', import.meta.url).href,
}

/**
 * Where Storybook serves face-api's files (see `staticDirs` in `.storybook/main.ts`), beside the
 * preview page, so that a Storybook published in any folder finds them.
 */
const served = (path: string) => new URL(path, document.baseURI).href

/** One matcher for every story of the page: its models load once. face-api's module is fetched as it is, not bundled. */
const matcher = createBrowserFaceMatcher({
  modelUrl: served('face-api/model'),
  wasmUrl: served('face-api/wasm/'),
  load: () => import(/* @vite-ignore */ served('face-api/dist/face-api.esm.js')),
})
const face: FaceOptions = { matcher }

/**
 * A camera that films a photo: the photo letterboxed on a 640×480 canvas, streamed with
 * `captureStream`, and handed to the components as their `mediaDevices`.
 */
interface PhotoCamera {
  mediaDevices: MediaDevicesSource
  /** Films another photo from now on. */
  show(url: string): Promise<void>
}

async function photoCamera(url: string): Promise<PhotoCamera> {
  const canvas = document.createElement('canvas')
  canvas.width = 640
  canvas.height = 480
  const context = canvas.getContext('2d')!
  let photo: ImageBitmap | null = null
  const draw = () => {
    context.fillStyle = '#808080'
    context.fillRect(0, 0, canvas.width, canvas.height)
    if (!photo) return
    const scale = Math.min(canvas.width / photo.width, canvas.height / photo.height)
    const [width, height] = [photo.width * scale, photo.height * scale]
    context.drawImage(photo, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height)
  }
  const show = async (next: string) => {
    const bitmap = await createImageBitmap(await (await fetch(next)).blob())
    photo?.close()
    photo = bitmap
    draw()
  }
  await show(url)
  return {
    show,
    mediaDevices: {
      async getUserMedia() {
        const stream = canvas.captureStream(15)
        // A canvas stream sends a frame when the canvas is drawn: keep drawing while it is on.
        const timer = setInterval(() => {
          if (stream.getVideoTracks().every((track) => track.readyState === 'ended')) clearInterval(timer)
          else draw()
        }, 1000 / 15)
        return stream
      },
    },
  }
}

const cameraOf = (context: Pick<StoryContext, 'loaded'>) => context.loaded.camera as PhotoCamera

/** A story's camera, filming `url`; the models start loading meanwhile. */
const filming = (url: string) => async () => {
  // A failure to load shows again on the first photo, where the story reports it.
  matcher.load().catch(() => {})
  return { camera: await photoCamera(url) }
}

/** A fetched photo as a file. */
const photoFile = async (url: string) => (await fetch(url)).blob()

/** The live server with face on (and an authenticator app beside it, as face is never the only factor). */
const withFace = (setup: (live: LiveMfa) => Promise<void>): { mfa: LiveMfaOptions; outbox: false } => ({
  mfa: { factors: ['OTP', 'FACE'], face, setup },
  outbox: false,
})

/** An account with an authenticator app and Grace Hopper's face, signing in again: face can finish it. */
async function signInWithHoppersFace(live: LiveMfa) {
  await createDemoAccount(live, { username: 'grace', totp: true, signedIn: true })
  await live.client.mfa.associateFaceByBlob({
    baseFace: await photoFile(PHOTOS.hopper),
    compareFace: await photoFile(PHOTOS.hopperCropped),
  })
  await signInToChallenge(live)
}

/** Waits for the camera's picture, then takes a photo and uses it. */
async function takePhoto(canvasElement: HTMLElement) {
  const canvas = within(canvasElement)
  if (canvasElement.querySelector('[data-part="face-capture"]')?.getAttribute('data-step') === 'intro')
    await userEvent.click(canvas.getByRole('button', { name: 'Turn on camera' }))
  const shutter = await canvas.findByRole('button', { name: 'Take photo' })
  await waitFor(() => expect(canvasElement.querySelector('video')?.readyState).toBeGreaterThanOrEqual(2), { timeout: 5_000 })
  await newFrame(canvasElement.querySelector('video')!)
  await waitFor(() => expect(shutter).not.toHaveAttribute('aria-disabled'))
  await userEvent.click(shutter)
  // Drawing the frame and encoding the photo can take seconds on a busy machine.
  await userEvent.click(await canvas.findByRole('button', { name: 'Use this photo' }, { timeout: 10_000 }))
}

/** Resolves once the video has shown a frame drawn after this call. */
const newFrame = (video: HTMLVideoElement) =>
  new Promise<void>((resolve) => video.requestVideoFrameCallback(() => video.requestVideoFrameCallback(() => resolve())))

interface LiveFaceArgs {
  onDone: () => void
  onVerified: () => void
}

const meta: Meta<LiveFaceArgs> = {
  title: 'Components/Face, live',
  args: { onDone: fn(), onVerified: fn() },
  // The models are several megabytes: the docs page does not run these stories all at once.
  tags: ['!autodocs'],
}

export default meta
type Story = StoryObj<LiveFaceArgs>

/**
 * Setting up face verification with two photos of Grace Hopper from the camera. The server finds
 * exactly one face in each, checks that the two match, and keeps their descriptors.
 */
export const BindsWithTwoPhotos: Story = {
  parameters: withFace(async (live) => {
    await createDemoAccount(live, { username: 'grace', totp: true, signedIn: true })
  }),
  loaders: [filming(PHOTOS.hopper)],
  render: (args, context) => (
    <FaceEnrollment.Root onDone={args.onDone} mediaDevices={cameraOf(context).mediaDevices} permissions={null} countdown={0} />
  ),
  play: async ({ canvasElement, loaded, args }) => {
    const canvas = within(canvasElement)
    await takePhoto(canvasElement)
    await canvas.findByText('Photo 2 of 2', {}, { timeout: 20_000 })
    await cameraOf({ loaded }).show(PHOTOS.hopperCropped)
    await takePhoto(canvasElement)
    await expect(await canvas.findByRole('heading', { name: 'Face verification turned on' }, { timeout: 20_000 })).toBeVisible()
    await expect(args.onDone).toHaveBeenCalledOnce()
    await expect(canvas.queryByText('The face did not match. Try again.')).toBeNull()
  },
}

/** Signing in with the face that was set up: the camera films Grace Hopper, and the sign-in is verified. */
export const SignsInWithTheSameFace: Story = {
  parameters: withFace(signInWithHoppersFace),
  loaders: [filming(PHOTOS.hopperCropped)],
  render: (args, context) => (
    <FaceChallenge.Root
      mfaToken={demoAccount(liveOf(context)).trigger!.mfaToken}
      onVerified={args.onVerified}
      mediaDevices={cameraOf(context).mediaDevices}
      permissions={null}
      countdown={0}
    />
  ),
  play: async ({ canvasElement, loaded, args }) => {
    const canvas = within(canvasElement)
    await takePhoto(canvasElement)
    await expect(await canvas.findByRole('heading', { name: 'Verified' }, { timeout: 20_000 })).toBeVisible()
    await expect(canvasElement.querySelector('[data-part="face-challenge"]')).toHaveAttribute('data-state', 'verified')
    await expect(args.onVerified).toHaveBeenCalledOnce()
    await expect(args.onVerified).toHaveBeenCalledWith(expect.objectContaining({ token: liveOf({ loaded }).client.getToken() }))
  },
}

/** Someone else in front of the camera (the astronaut Eileen Collins): the face is refused, and another photo may be taken. */
export const RefusesAnotherFace: Story = {
  parameters: withFace(signInWithHoppersFace),
  loaders: [filming(PHOTOS.astronaut)],
  render: SignsInWithTheSameFace.render,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await takePhoto(canvasElement)
    await waitFor(
      () => expect(canvasElement.querySelector('[data-part="face-error"]')).toHaveTextContent('The face did not match. Try again.'),
      {
        timeout: 20_000,
      },
    )
    await expect(canvasElement.querySelector('[data-part="face-challenge"]')).not.toHaveAttribute('data-state', 'verified')
    await expect(args.onVerified).not.toHaveBeenCalled()
    await expect(await canvas.findByRole('button', { name: 'Take photo' })).toBeVisible()
  },
}
