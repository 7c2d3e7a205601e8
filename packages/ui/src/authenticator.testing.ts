/**
 * What an authenticator app does, for tests and stories: read the QR code it is shown, and compute
 * the codes for a setup key. No DOM testing library and no test runner, so it runs in a story too.
 */

import jsQR from 'jsqr'
import * as OTPAuth from 'otpauth'

/**
 * Reads back a QR code drawn as SVG: the dark modules' path (`M x y h w v1 H x z` runs) is
 * rasterised and decoded with jsQR, as a phone camera would.
 */
export function readQrCode(svg: Element): string | null {
  const size = Number(svg.getAttribute('viewBox')?.split(/\s+/)[2])
  const dark = [...svg.querySelectorAll('path')].at(-1)?.getAttribute('d') ?? ''
  const scale = 4
  const width = size * scale
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255)
  for (const [, x, y, w] of dark.matchAll(/M(\d+)[ ,](\d+)\s*h(\d+)v1H\d+z/g)) {
    for (let row = Number(y) * scale; row < (Number(y) + 1) * scale; row++)
      for (let col = Number(x) * scale; col < (Number(x) + Number(w)) * scale; col++) {
        const i = (row * width + col) * 4
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 0
      }
  }
  return jsQR(pixels, width, width)?.data ?? null
}

/** The TOTP code an authenticator app shows for `secret` (spaces allowed) at `timestamp`, computed by `otpauth`. */
export function totpCode(secret: string, timestamp: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '')) }).generate({ timestamp })
}

/** A code that is neither the current one nor a neighbour. */
export function wrongTotpCode(secret: string, timestamp: number): string {
  const near = [-1, 0, 1].map((d) => totpCode(secret, timestamp + d * 30_000))
  let n = 0
  while (near.includes(String(n).padStart(6, '0'))) n++
  return String(n).padStart(6, '0')
}
