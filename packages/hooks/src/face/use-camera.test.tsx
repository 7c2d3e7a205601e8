import { StrictMode } from 'react'
import { act, render, renderHook, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { failOnConsole } from '../harness.testing'
import { captureFrame } from './capture'
import { fakeMediaDevices, fakePermissions, fakeStream, mediaError } from './face.testing'
import { useCamera } from './use-camera'
import type { UseCameraOptions } from './use-camera'

failOnConsole()

afterEach(() => vi.unstubAllGlobals())

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const EDGE_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'

function renderCamera(options: UseCameraOptions, strict = false) {
  return renderHook(() => useCamera({ permissions: null, userAgent: CHROME_MAC, ...options }), {
    wrapper: strict ? StrictMode : undefined,
  })
}

describe('useCamera', () => {
  it('starts in prompt, streams after start(), and stops the tracks on stop()', async () => {
    const stream = fakeStream()
    const devices = fakeMediaDevices(() => stream)
    const { result } = renderCamera({ mediaDevices: devices })
    expect(result.current).toMatchObject({ status: 'prompt', error: null, data: { stream: null, requesting: false, hint: null } })
    expect(devices.requests).toEqual([])

    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.start()
    })
    expect(result.current.data.requesting).toBe(true)
    expect(result.current.getStartProps().disabled).toBe(true)
    await act(() => pending)
    expect(result.current).toMatchObject({ status: 'streaming', data: { stream, requesting: false, permission: 'granted' } })
    expect(devices.requests).toEqual([{ video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false }])

    act(() => result.current.stop())
    expect(result.current.status).toBe('prompt')
    expect(stream.track.stopped).toBe(true)
  })

  it('asks for the constraints it is given, never for sound', async () => {
    const devices = fakeMediaDevices()
    const { result } = renderCamera({ mediaDevices: devices, constraints: { width: 640, height: 480 } })
    await act(() => result.current.start())
    expect(devices.requests).toEqual([{ video: { width: 640, height: 480 }, audio: false }])
  })

  it('lets go of the camera on unmount, and asks once under StrictMode with autoStart', async () => {
    const stream = fakeStream()
    const devices = fakeMediaDevices(() => stream)
    const { result, unmount } = renderCamera({ mediaDevices: devices, autoStart: true }, true)
    await waitFor(() => expect(result.current.status).toBe('streaming'))
    expect(devices.requests).toHaveLength(1)
    expect(stream.track.stopped).toBe(false)
    unmount()
    await act(() => Promise.resolve())
    expect(stream.track.stopped).toBe(true)
  })

  it('stops a stream that arrives after unmount', async () => {
    const stream = fakeStream()
    let answer!: (s: MediaStream) => void
    const devices = fakeMediaDevices(() => new Promise((resolve) => (answer = resolve)))
    const { result, unmount } = renderCamera({ mediaDevices: devices })
    let pending!: Promise<unknown>
    act(() => {
      pending = result.current.start()
    })
    unmount()
    answer(stream)
    await pending
    expect(stream.track.stopped).toBe(true)
  })

  it.each<[string, unknown, string, string, 'browser' | 'system' | null]>([
    ['the user says no', mediaError('NotAllowedError', 'Permission denied'), 'denied', 'blocked', 'browser'],
    [
      'the system keeps the camera from the browser',
      mediaError('NotAllowedError', 'Permission denied by system'),
      'denied',
      'blocked_by_system',
      'system',
    ],
    ['there is no camera', mediaError('NotFoundError', 'Requested device not found'), 'unavailable', 'no_camera', null],
    ['another app holds it', mediaError('NotReadableError', 'Could not start video source'), 'error', 'in_use', null],
  ])('says what to check when %s', async (_, thrown, status, problem, setting) => {
    const devices = fakeMediaDevices(() => {
      throw thrown
    })
    const { result } = renderCamera({ mediaDevices: devices, userAgent: EDGE_WINDOWS })
    await act(() => result.current.start())
    expect(result.current.status).toBe(status)
    expect(result.current.error).toBe(thrown)
    expect(result.current.data.hint).toEqual({ problem, setting, browser: 'edge', os: 'windows' })
    expect(result.current.data.stream).toBeNull()
  })

  it('tries again after a refusal, and streams once allowed', async () => {
    let allowed = false
    const devices = fakeMediaDevices(() => {
      if (!allowed) throw mediaError('NotAllowedError')
      return fakeStream()
    })
    const { result } = renderCamera({ mediaDevices: devices })
    await act(() => result.current.start())
    expect(result.current.status).toBe('denied')
    expect(result.current.getStartProps().disabled).toBe(false)
    allowed = true
    await act(() => result.current.start())
    expect(result.current.status).toBe('streaming')
    expect(result.current.data.hint).toBeNull()
  })

  it('is unavailable without a camera API, and says when https is the reason, without asking', async () => {
    const { result } = renderCamera({ mediaDevices: null })
    await act(() => result.current.start())
    expect(result.current).toMatchObject({ status: 'unavailable', data: { hint: { problem: 'not_supported' } } })
    vi.stubGlobal('isSecureContext', false)
    const insecure = renderCamera({ mediaDevices: null })
    await act(() => insecure.result.current.start())
    expect(insecure.result.current.data.hint?.problem).toBe('insecure_context')
    // Asking again changes nothing on such a page.
    await act(() => insecure.result.current.start())
    expect(insecure.result.current.status).toBe('unavailable')
  })

  it('follows the camera permission: blocked before asking, back to prompt once allowed in the settings', async () => {
    const permissions = fakePermissions('denied')
    const devices = fakeMediaDevices()
    const { result } = renderCamera({ mediaDevices: devices, permissions })
    await waitFor(() => expect(result.current.status).toBe('denied'))
    expect(result.current.data).toMatchObject({
      permission: 'denied',
      hint: { problem: 'blocked', setting: 'browser', browser: 'chrome', os: 'macos' },
    })
    expect(devices.requests).toEqual([])

    act(() => permissions.set('prompt'))
    expect(result.current).toMatchObject({ status: 'prompt', data: { permission: 'prompt', hint: null } })
    await act(() => result.current.start())
    expect(result.current.status).toBe('streaming')

    // Revoked while streaming: the tracks stop.
    const stream = result.current.data.stream as ReturnType<typeof fakeStream>
    act(() => permissions.set('denied'))
    expect(result.current.status).toBe('denied')
    expect(stream.track.stopped).toBe(true)
  })

  it('reads the permission where the browser knows none as unknown', async () => {
    const { result } = renderCamera({
      mediaDevices: fakeMediaDevices(),
      permissions: { query: () => Promise.reject(new TypeError("'camera' is not a valid value")) },
    })
    await act(() => Promise.resolve())
    expect(result.current).toMatchObject({ status: 'prompt', data: { permission: 'unknown' } })
  })

  it('notices a camera that stops on its own', async () => {
    const stream = fakeStream()
    const { result } = renderCamera({ mediaDevices: fakeMediaDevices(() => stream) })
    await act(() => result.current.start())
    act(() => stream.track.end())
    expect(result.current).toMatchObject({ status: 'error', data: { stream: null, hint: { problem: 'interrupted' } } })
  })

  it('shows the stream in the video it gives props to', async () => {
    const stream = fakeStream()
    function Preview({ start }: { start: boolean }) {
      const camera = useCamera({ mediaDevices: fakeMediaDevices(() => stream), permissions: null, autoStart: start })
      return <video data-testid="v" data-state={camera.status} {...camera.getVideoProps({ className: 'mine' })} />
    }
    const view = render(<Preview start />)
    const video = view.getByTestId('v') as HTMLVideoElement
    await waitFor(() => expect(video.dataset.state).toBe('streaming'))
    expect(video.srcObject).toBe(stream)
    expect(video.muted).toBe(true)
    expect(video.autoplay).toBe(true)
    expect(video.className).toBe('mine')
  })

  it('captures nothing before the video has a picture', async () => {
    const { result } = renderCamera({ mediaDevices: fakeMediaDevices() })
    await expect(result.current.capture()).rejects.toThrow('No video shows the camera')
  })

  describe('opened by a component (react-webcam)', () => {
    it('only marks the request, and takes the stream or the failure the component reports', async () => {
      const devices = fakeMediaDevices()
      const { result } = renderCamera({ mediaDevices: devices, external: true })
      await act(() => result.current.start())
      expect(result.current.data.requesting).toBe(true)
      expect(devices.requests).toEqual([])
      const props = result.current.getWebcamProps()
      expect(props).toMatchObject({ audio: false, videoConstraints: { facingMode: 'user' } })
      const stream = fakeStream()
      act(() => props.onUserMedia(stream))
      expect(result.current).toMatchObject({ status: 'streaming', data: { stream } })
      // The component stops its own stream when it unmounts.
      act(() => result.current.stop())
      expect(stream.track.stopped).toBe(false)
      expect(result.current.status).toBe('prompt')

      await act(() => result.current.start())
      act(() => result.current.getWebcamProps().onUserMediaError('getUserMedia not supported'))
      expect(result.current).toMatchObject({ status: 'unavailable', data: { hint: { problem: 'not_supported' } } })
    })
  })
})

describe('captureFrame', () => {
  function fakeCanvas() {
    const drawn: unknown[][] = []
    const canvas = {
      width: 0,
      height: 0,
      getContext: () => ({ drawImage: (...args: unknown[]) => drawn.push(args) }),
      toBlob: (done: (blob: Blob | null) => void, type: string, quality: number) => done(new Blob([`${type} ${quality}`], { type })),
    }
    return { canvas: canvas as unknown as HTMLCanvasElement, drawn }
  }

  it('draws the frame, scaled down to 1280 pixels, and encodes a JPEG', async () => {
    const video = { videoWidth: 1920, videoHeight: 1080, ownerDocument: document } as unknown as HTMLVideoElement
    const { canvas, drawn } = fakeCanvas()
    const photo = await captureFrame(video, { canvas })
    expect([canvas.width, canvas.height]).toEqual([1280, 720])
    expect(drawn).toEqual([[video, 0, 0, 1280, 720]])
    expect(photo.type).toBe('image/jpeg')
    expect(await photo.text()).toBe('image/jpeg 0.92')
  })

  it('keeps a small frame as it is', async () => {
    const video = { videoWidth: 640, videoHeight: 480, ownerDocument: document } as unknown as HTMLVideoElement
    const { canvas } = fakeCanvas()
    await captureFrame(video, { canvas, type: 'image/webp', quality: 0.8 })
    expect([canvas.width, canvas.height]).toEqual([640, 480])
  })

  it('refuses a video without a picture', async () => {
    const video = { videoWidth: 0, videoHeight: 0 } as unknown as HTMLVideoElement
    await expect(captureFrame(video)).rejects.toThrow('The camera has no picture yet')
  })
})
