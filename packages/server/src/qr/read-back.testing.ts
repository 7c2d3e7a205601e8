/**
 * Reading QR codes back in tests, with independent implementations: `pngjs` decodes the PNG
 * (checking every chunk's CRC) and `jsqr` locates and decodes the symbol in the pixels.
 */

import jsQR, { type QRCode as ScannedQr } from 'jsqr'
import { PNG } from 'pngjs'
import { base64ToBytes } from '../crypto/encoding'

export interface DecodedPng {
  width: number
  height: number
  /** RGBA, 4 bytes per pixel. */
  rgba: Uint8ClampedArray
  /** The IHDR fields as stored. */
  bitDepth: number
  colourType: number
}

export function decodePng(png: Uint8Array): DecodedPng {
  const image = PNG.sync.read(Buffer.from(png))
  const header = new DataView(png.buffer, png.byteOffset + 16, 13)
  return {
    width: image.width,
    height: image.height,
    rgba: new Uint8ClampedArray(image.data),
    bitDepth: header.getUint8(8),
    colourType: header.getUint8(9),
  }
}

/** True when the pixel at (x, y) is black (and fully opaque). */
export function isBlackPixel(image: DecodedPng, x: number, y: number): boolean {
  const i = (y * image.width + x) * 4
  const [r, g, b, a] = [image.rgba[i], image.rgba[i + 1], image.rgba[i + 2], image.rgba[i + 3]]
  if (a !== 255 || r !== g || g !== b || (r !== 0 && r !== 255)) throw new Error(`pixel (${x}, ${y}) is neither black nor white`)
  return r === 0
}

export function scan(image: DecodedPng): ScannedQr | null {
  return jsQR(image.rgba, image.width, image.height, { inversionAttempts: 'dontInvert' })
}

export function pngFromDataUrl(dataUrl: string): Uint8Array {
  const prefix = 'data:image/png;base64,'
  if (!dataUrl.startsWith(prefix)) throw new Error('not a PNG data URL')
  const bytes = base64ToBytes(dataUrl.slice(prefix.length))
  if (!bytes) throw new Error('invalid base64')
  return bytes
}
