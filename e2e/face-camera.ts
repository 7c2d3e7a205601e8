/**
 * A fake webcam for Chromium: a fixture photo turned into a Y4M video at test time, for
 * `--use-file-for-fake-video-capture` (TOOLCHAIN.md §5, FACE.md §6). A browser decodes the photo
 * (no image library needed in Node): it is letterboxed onto a grey 640×480 frame, converted to
 * full-range BT.601 I420 and written as two identical frames. Each camera is its own file in its
 * own temporary directory, complete before any browser opens it.
 */

import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, extname, join } from 'node:path'
import type { Browser, Page } from '@playwright/test'

const WIDTH = 640
const HEIGHT = 480

/** The RGBA pixels of the photo letterboxed onto the frame, drawn by the browser. */
async function framePixels(browser: Browser, photo: string): Promise<Uint8Array> {
  const type = extname(photo) === '.png' ? 'image/png' : 'image/jpeg'
  const dataUrl = `data:${type};base64,${readFileSync(photo).toString('base64')}`
  const page = await browser.newPage()
  try {
    const rgba = await page.evaluate(
      async ({ src, width, height }) => {
        const image = new Image()
        image.src = src
        await image.decode()
        const canvas = new OffscreenCanvas(width, height)
        const context = canvas.getContext('2d')!
        context.fillStyle = 'rgb(128, 128, 128)'
        context.fillRect(0, 0, width, height)
        const scale = Math.min(width / image.naturalWidth, height / image.naturalHeight)
        const [w, h] = [image.naturalWidth * scale, image.naturalHeight * scale]
        context.drawImage(image, (width - w) / 2, (height - h) / 2, w, h)
        return Array.from(context.getImageData(0, 0, width, height).data)
      },
      { src: dataUrl, width: WIDTH, height: HEIGHT },
    )
    return Uint8Array.from(rgba)
  } finally {
    await page.close()
  }
}

/** RGBA to one I420 frame: Y per pixel, U and V averaged over each 2×2 block. */
function toI420(rgba: Uint8Array): Buffer {
  const frame = Buffer.alloc((WIDTH * HEIGHT * 3) / 2)
  const quarter = (WIDTH / 2) * (HEIGHT / 2)
  const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)))
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = (y * WIDTH + x) * 4
      frame[y * WIDTH + x] = clamp(0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!)
    }
  }
  for (let y = 0; y < HEIGHT / 2; y++) {
    for (let x = 0; x < WIDTH / 2; x++) {
      let [r, g, b] = [0, 0, 0]
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const i = ((2 * y + dy) * WIDTH + 2 * x + dx) * 4
        r += rgba[i]! / 4
        g += rgba[i + 1]! / 4
        b += rgba[i + 2]! / 4
      }
      const at = WIDTH * HEIGHT + y * (WIDTH / 2) + x
      frame[at] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)
      frame[at + quarter] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
    }
  }
  return frame
}

/**
 * Writes a Y4M of the photo, decoded in `browser`, to a new temporary directory and returns its
 * path: written under another name and renamed, so a browser never reads a file being written.
 */
export async function writeFakeCamera(browser: Browser, photo: string): Promise<string> {
  const frame = toI420(await framePixels(browser, photo))
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\n`)
  const marker = Buffer.from('FRAME\n')
  const file = join(mkdtempSync(join(tmpdir(), 'mfa-e2e-camera-')), `${basename(photo, extname(photo))}.y4m`)
  writeFileSync(`${file}.part`, Buffer.concat([header, marker, frame, marker, frame]))
  renameSync(`${file}.part`, file)
  return file
}

/** Removes a camera file written by {@link writeFakeCamera}, with its directory. */
export function removeFakeCamera(file: string): void {
  rmSync(dirname(file), { recursive: true, force: true })
}

/**
 * What the camera preview shows now: the spread of brightness in its frame (about 0 while blank),
 * and the state of the video and its track, to say why when it stays blank.
 */
function preview(page: Page) {
  return page.locator('video').evaluate((video: HTMLVideoElement) => {
    const track = (video.srcObject as MediaStream | null)?.getVideoTracks()[0]
    const state = {
      readyState: video.readyState,
      size: `${video.videoWidth}x${video.videoHeight}`,
      time: video.currentTime,
      paused: video.paused,
      track: track ? `${track.readyState} ${track.muted ? 'muted' : 'unmuted'} ${track.label}` : 'none',
    }
    if (video.readyState < 2 || !video.videoWidth) return { contrast: 0, ...state }
    const canvas = new OffscreenCanvas(64, 48)
    const context = canvas.getContext('2d')!
    context.drawImage(video, 0, 0, 64, 48)
    const { data } = context.getImageData(0, 0, 64, 48)
    let [low, high] = [255, 0]
    for (let i = 0; i < data.length; i += 4) {
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!
      low = Math.min(low, luma)
      high = Math.max(high, luma)
    }
    return { contrast: high - low, ...state }
  })
}

/**
 * Waits, as a person would, until the camera preview shows the picture rather than a blank frame;
 * returns how long that took. When it stays blank, the error says what the video and its track were.
 */
export async function waitForPicture(page: Page, timeout = 20_000): Promise<number> {
  const started = Date.now()
  for (;;) {
    const now = await preview(page)
    if (now.contrast > 40) return Date.now() - started
    if (Date.now() - started > timeout) throw new Error(`the camera preview stayed blank for ${timeout} ms: ${JSON.stringify(now)}`)
    await page.waitForTimeout(100)
  }
}
