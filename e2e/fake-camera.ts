/**
 * A fake webcam for Chromium: a fixture photo turned into a Y4M video at test time, for
 * `--use-file-for-fake-video-capture` (TOOLCHAIN.md §5, FACE.md §6). A browser decodes the photo
 * (no image library needed in Node): it is letterboxed onto a grey 640×480 frame, converted to
 * full-range BT.601 I420 and written as two identical frames.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, extname, join, resolve } from 'node:path'
import type { Browser } from '@playwright/test'

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

/** Writes `<dir>/<photo name>.y4m` for the photo, decoded in `browser`, and returns its absolute path. */
export async function writeFakeCamera(browser: Browser, photo: string, dir = '.tmp/e2e-camera'): Promise<string> {
  const frame = toI420(await framePixels(browser, photo))
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\n`)
  const marker = Buffer.from('FRAME\n')
  mkdirSync(dir, { recursive: true })
  const file = resolve(join(dir, `${basename(photo, extname(photo))}.y4m`))
  writeFileSync(file, Buffer.concat([header, marker, frame, marker, frame]))
  return file
}
