import { createRef, version } from 'react'
import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadMfaLocale } from '../i18n/provider'
import { expectAccessibleAndCspSafe, failOnConsole } from '../harness.testing'
import { FaceCapture } from './face-capture'
import { fakeCamera, fixture, fixtureFile, mediaError } from './face.testing'

failOnConsole()

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0'

const announcer = () => document.querySelector('[data-part="announcer"]')!
const root = () => document.querySelector('[data-part="face-capture"]')!
const step = () => root().getAttribute('data-step')

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer())
}

describe('FaceCapture', () => {
  it('turns the camera on after a click, shows the preview with an oval guide, and takes a photo after a countdown', async () => {
    // The countdown runs on fake timers; the camera and the photo on real ones.
    const user = userEvent.setup()
    const camera = fakeCamera({ shows: 'grace_hopper_512x512.jpg' })
    const onCapture = vi.fn()
    render(<FaceCapture.Root onCapture={onCapture} mediaDevices={camera.mediaDevices} permissions={null} />)
    expect(step()).toBe('intro')
    expect(document.querySelector('[data-part="face-status"]')).toHaveTextContent('Turn on your camera to take a photo of your face.')
    expect(document.querySelector('[data-part="face-guide"]')).toHaveAttribute('aria-hidden', 'true')

    await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
    await waitFor(() => expect(step()).toBe('live'))
    const video = document.querySelector('video')!
    expect(video).toHaveAttribute('data-part', 'face-video')
    expect(video.srcObject).toBe(camera.streams[0])
    const status = () => document.querySelector('[data-part="face-status"]')
    expect(status()).toHaveTextContent('Center your face in the oval, in good light, then take the photo.')
    expect(announcer()).toHaveTextContent('Center your face in the oval, in good light, then take the photo.')
    // Only the camera: no upload while it is on.
    expect(screen.queryByText('Upload a photo instead')).not.toBeInTheDocument()

    const shutter = screen.getByRole('button', { name: 'Take photo' })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    act(() => shutter.click())
    expect(step()).toBe('countdown')
    expect(document.querySelector('[data-part="face-countdown"]')).toHaveTextContent('3')
    expect(announcer()).toHaveTextContent('Hold still. Taking the photo in 3 seconds.')
    // The same button cancels, and keeps focus.
    expect(shutter).toHaveAccessibleName('Cancel')
    act(() => vi.advanceTimersByTime(1000))
    expect(document.querySelector('[data-part="face-countdown"]')).toHaveTextContent('2')
    act(() => vi.advanceTimersByTime(1000))
    expect(document.querySelector('[data-part="face-countdown"]')).toHaveTextContent('1')
    act(() => vi.advanceTimersByTime(1000))
    vi.useRealTimers()
    await waitFor(() => expect(step()).toBe('review'))
    expect(screen.getByRole('img', { name: 'The photo you took' })).toBeVisible()
    const confirm = screen.getByRole('button', { name: 'Use this photo' })
    expect(confirm).toHaveFocus()
    expect(announcer()).toHaveTextContent('Check the photo: your face should be clear and inside the oval.')
    expect(onCapture).not.toHaveBeenCalled()
    await expectAccessibleAndCspSafe()
    await user.click(confirm)
    expect(onCapture).toHaveBeenCalledOnce()
    const photo = onCapture.mock.calls[0]![0] as Blob
    expect(photo.type).toBe('image/jpeg')
    expect(await bytesOf(photo)).toEqual(fixture('grace_hopper_512x512.jpg'))
    expect(step()).toBe('live')
    expect(screen.getByRole('button', { name: 'Take photo' })).toHaveFocus()
  })

  it('retakes a photo', async () => {
    const user = userEvent.setup()
    const camera = fakeCamera()
    const onCapture = vi.fn()
    render(<FaceCapture.Root onCapture={onCapture} mediaDevices={camera.mediaDevices} permissions={null} countdown={0} autoStart />)
    await waitFor(() => expect(step()).toBe('live'))
    await user.click(screen.getByRole('button', { name: 'Take photo' }))
    await waitFor(() => expect(step()).toBe('review'))
    await user.click(screen.getByRole('button', { name: 'Retake' }))
    expect(step()).toBe('live')
    expect(screen.getByRole('button', { name: 'Take photo' })).toHaveFocus()
    expect(onCapture).not.toHaveBeenCalled()
    await expectAccessibleAndCspSafe()
  })

  it('takes no photo while the flow is busy, but stays focusable', async () => {
    const user = userEvent.setup()
    const camera = fakeCamera()
    const onCapture = vi.fn()
    render(
      <FaceCapture.Root onCapture={onCapture} mediaDevices={camera.mediaDevices} permissions={null} countdown={0} autoStart disabled />,
    )
    await waitFor(() => expect(step()).toBe('live'))
    const shutter = screen.getByRole('button', { name: 'Take photo' })
    expect(shutter).toHaveAttribute('aria-disabled', 'true')
    await user.click(shutter)
    expect(step()).toBe('live')
    expect(root()).toHaveAttribute('data-disabled')
    await expectAccessibleAndCspSafe()
  })

  it('offers a photo upload before the camera is on, and hands over the file', async () => {
    const user = userEvent.setup()
    const onCapture = vi.fn()
    render(<FaceCapture.Root onCapture={onCapture} mediaDevices={fakeCamera().mediaDevices} permissions={null} />)
    const input = screen.getByLabelText('Upload a photo instead')
    expect(input).toHaveAttribute('type', 'file')
    expect(input).toHaveAttribute('accept', 'image/jpeg,image/png,image/webp')
    const file = fixtureFile('grace_hopper.jpg')
    await user.upload(input, file)
    expect(onCapture).toHaveBeenCalledExactlyOnceWith(file)
    await expectAccessibleAndCspSafe()
  })

  it.each<[string, DOMException, string, string, string, boolean]>([
    [
      'blocked in the browser',
      mediaError('NotAllowedError', 'Permission denied'),
      CHROME_MAC,
      'The camera is blocked',
      'Select the site settings icon at the left of the address bar, allow the camera, then try again.',
      true,
    ],
    [
      'blocked in Firefox',
      mediaError('NotAllowedError', 'The request is not allowed'),
      FIREFOX_WINDOWS,
      'The camera is blocked',
      'Select the permissions icon at the left of the address bar, remove the block on the camera, then try again.',
      true,
    ],
    [
      'kept from the browser by macOS',
      mediaError('NotAllowedError', 'Permission denied by system'),
      CHROME_MAC,
      'The camera is blocked',
      'macOS keeps the camera from your browser. Open System Settings › Privacy & Security › Camera, turn it on for your browser, then restart the browser.',
      true,
    ],
    ['missing', mediaError('NotFoundError'), CHROME_MAC, 'No camera available', 'No camera was found. Connect one, then try again.', true],
    [
      'in use',
      mediaError('NotReadableError'),
      CHROME_MAC,
      'The camera did not start',
      'The camera is in use by another app, or could not start. Close other apps that use it, then try again.',
      true,
    ],
  ])('says what to check when the camera is %s, and offers the upload instead', async (_, error, userAgent, title, hint, retry) => {
    const user = userEvent.setup()
    const camera = fakeCamera({ fails: error })
    const onCapture = vi.fn()
    render(<FaceCapture.Root onCapture={onCapture} mediaDevices={camera.mediaDevices} permissions={null} userAgent={userAgent} />)
    await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
    await waitFor(() => expect(step()).toBe('fallback'))
    expect(screen.getByText(title)).toBeInTheDocument()
    expect(screen.getByText(hint)).toBeInTheDocument()
    expect(screen.getByText('You can upload a photo of your face instead.')).toBeInTheDocument()
    expect(announcer()).toHaveTextContent(`${title} ${hint}`)
    expect(document.querySelector('[data-part="face-viewport"]')).toBeNull()
    expect(!!screen.queryByRole('button', { name: 'Try the camera again' })).toBe(retry)
    await expectAccessibleAndCspSafe()
    await user.upload(screen.getByLabelText('Upload a photo instead'), fixtureFile('grace_hopper.jpg'))
    expect(onCapture).toHaveBeenCalledOnce()
  })

  it('shows a blocked camera at once when the browser says so, and picks up a change of the setting', async () => {
    const status = Object.assign(new EventTarget(), { state: 'denied' as PermissionState })
    const permissions = { query: async () => status as unknown as PermissionStatus }
    render(
      <FaceCapture.Root onCapture={() => {}} mediaDevices={fakeCamera().mediaDevices} permissions={permissions} userAgent={CHROME_MAC} />,
    )
    await waitFor(() => expect(step()).toBe('fallback'))
    expect(screen.getByText('The camera is blocked')).toBeInTheDocument()
    act(() => {
      status.state = 'prompt'
      status.dispatchEvent(new Event('change'))
    })
    expect(step()).toBe('intro')
    expect(screen.getByRole('button', { name: 'Turn on camera' })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })

  it('falls back to the upload on a browser without a camera, without a retry that cannot help', async () => {
    const user = userEvent.setup()
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: undefined, permissions: undefined, userAgent: CHROME_MAC })
    render(<FaceCapture.Root onCapture={() => {}} />)
    await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
    expect(step()).toBe('fallback')
    expect(screen.getByText('No camera available')).toBeInTheDocument()
    expect(screen.getByText('This browser cannot use a camera here.')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Try the camera again' })).toBeNull()
    expect(screen.getByLabelText('Upload a photo instead')).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })

  describe('with the pre-check', () => {
    /** A stand-in for face-api's browser module that finds `faces` faces in anything. */
    const precheck = (faces: number) => ({
      moduleUrl: `/face/${faces}/face-api.esm.js`,
      modelUrl: `/face/${faces}/model/`,
      wasmUrl: `/face/${faces}/wasm/`,
      load: async () => ({
        tf: { setWasmPaths: () => {}, setBackend: async () => true, ready: async () => {} },
        nets: { tinyFaceDetector: { loadFromUri: async () => {} } },
        TinyFaceDetectorOptions: class {},
        detectAllFaces: async () => Array.from({ length: faces }, () => ({ score: 0.9 })),
      }),
    })

    it.each([
      [0, 'No face in view. Center your face in the oval and try again.'],
      [2, 'More than one face in view. Make sure only you are in the picture.'],
    ])('says so before anything is sent when it finds %i faces', async (faces, message) => {
      const user = userEvent.setup()
      const onCapture = vi.fn()
      render(
        <FaceCapture.Root
          onCapture={onCapture}
          mediaDevices={fakeCamera().mediaDevices}
          permissions={null}
          countdown={0}
          autoStart
          precheck={precheck(faces)}
        />,
      )
      await waitFor(() => expect(step()).toBe('live'))
      await user.click(screen.getByRole('button', { name: 'Take photo' }))
      await waitFor(() => expect(document.querySelector('[data-part="face-status"]')).toHaveTextContent(message))
      expect(document.querySelector('[data-part="face-status"]')).toHaveAttribute('data-notice')
      expect(step()).toBe('live')
      expect(announcer()).toHaveTextContent(message)
      expect(onCapture).not.toHaveBeenCalled()
      await expectAccessibleAndCspSafe()
    })

    it('lets a photo with one face through', async () => {
      const user = userEvent.setup()
      render(
        <FaceCapture.Root
          onCapture={() => {}}
          mediaDevices={fakeCamera().mediaDevices}
          permissions={null}
          countdown={0}
          autoStart
          precheck={precheck(1)}
        />,
      )
      await waitFor(() => expect(step()).toBe('live'))
      await user.click(screen.getByRole('button', { name: 'Take photo' }))
      await waitFor(() => expect(step()).toBe('review'))
    })
  })

  it('stops the camera when it unmounts', async () => {
    const camera = fakeCamera()
    const view = render(<FaceCapture.Root onCapture={() => {}} mediaDevices={camera.mediaDevices} permissions={null} autoStart />)
    await waitFor(() => expect(step()).toBe('live'))
    view.unmount()
    await act(() => Promise.resolve())
    expect(camera.streams[0]!.track.stopped).toBe(true)
  })

  it('forwards refs, passes props on, and takes parts of your own with asChild', async () => {
    const user = userEvent.setup()
    const ref = createRef<HTMLDivElement>()
    const onCapture = vi.fn()
    render(
      <FaceCapture.Root
        ref={ref}
        onCapture={onCapture}
        mediaDevices={fakeCamera().mediaDevices}
        permissions={null}
        countdown={0}
        className="mine"
      >
        <FaceCapture.Viewport>
          <FaceCapture.Video />
          <FaceCapture.Still />
        </FaceCapture.Viewport>
        <FaceCapture.Status />
        <FaceCapture.Start asChild>
          <button type="button" className="my-button">
            Camera on
          </button>
        </FaceCapture.Start>
        <FaceCapture.Shutter>Smile</FaceCapture.Shutter>
        <FaceCapture.Confirm />
      </FaceCapture.Root>,
    )
    expect(ref.current).toBe(root())
    expect(root()).toHaveClass('mine')
    const start = screen.getByRole('button', { name: 'Camera on' })
    expect(start).toHaveClass('my-button')
    expect(start).toHaveAttribute('data-part', 'face-start')
    await user.click(start)
    await user.click(await screen.findByRole('button', { name: 'Smile' }))
    await user.click(await screen.findByRole('button', { name: 'Use this photo' }))
    expect(onCapture).toHaveBeenCalledOnce()
    await expectAccessibleAndCspSafe()
  })

  it.each(['zh-CN', 'zh-TW', 'ja-JP'] as const)('speaks %s', async (locale) => {
    const messages = await loadMfaLocale(locale)
    render(<FaceCapture.Root onCapture={() => {}} mediaDevices={fakeCamera().mediaDevices} permissions={null} locale={locale} />)
    expect(await screen.findByText(messages.faceCapture.intro)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: messages.faceCapture.start })).toBeInTheDocument()
    expect(root()).toHaveAttribute('lang', locale)
    await expectAccessibleAndCspSafe()
  })

  // react-webcam is CommonJS and requires React itself: the React 18 run would hand it React 19.
  it.skipIf(!version.startsWith('19'))('opens the browser camera with react-webcam, loaded on first use', async () => {
    const user = userEvent.setup()
    const camera = fakeCamera()
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: camera.mediaDevices, permissions: undefined })
    render(<FaceCapture.Root onCapture={() => {}} countdown={0} />)
    await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
    await waitFor(() => expect(step()).toBe('live'))
    const video = document.querySelector('video')!
    expect(video).toHaveAttribute('data-part', 'face-video')
    expect(video.srcObject).toBe(camera.streams[0])
    expect(video).not.toHaveAttribute('style')
    await user.click(screen.getByRole('button', { name: 'Take photo' }))
    await waitFor(() => expect(step()).toBe('review'))
    await expectAccessibleAndCspSafe()
  })
})
