import { describe, expect, it } from 'vitest'
import { QrCapacityError, qrCodeDataUrl } from './index'
import { decodePng, isBlackPixel, pngFromDataUrl, scan, type DecodedPng } from './read-back.testing'

const uri =
  'otpauth://totp/mfa-kit:bob%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=mfa-kit&algorithm=SHA1&digits=6&period=30'

/** A payload of exactly `length` bytes that looks like an otpauth URI. */
const payloadOf = (length: number) => 'otpauth://totp/mfa-kit:alice%40example.com?secret='.padEnd(length, 'A').slice(0, length)

async function imageOf(text: string, moduleSize?: number): Promise<DecodedPng> {
  return decodePng(pngFromDataUrl(await qrCodeDataUrl(text, moduleSize === undefined ? {} : { moduleSize })))
}

describe('qrCodeDataUrl', () => {
  it('makes a PNG data URL whose image scans back to the URI', async () => {
    const url = await qrCodeDataUrl(uri)
    expect(url).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/)
    const image = decodePng(pngFromDataUrl(url))
    expect(image).toMatchObject({ bitDepth: 1, colourType: 0 })
    const scanned = scan(image)
    expect(scanned?.data).toBe(uri)
    // 6 pixels per module, and a quiet zone of 4 modules on each side of the 17 + 4 × version modules.
    expect([image.width, image.height]).toEqual([(17 + 4 * scanned!.version + 8) * 6, (17 + 4 * scanned!.version + 8) * 6])
  })

  it('draws each module as a square of moduleSize pixels, inside a light quiet zone of four modules', async () => {
    const moduleSize = 3
    const image = await imageOf(uri, moduleSize)
    const modules = image.width / moduleSize
    expect(Number.isInteger(modules)).toBe(true)
    const dark = (row: number, column: number) => isBlackPixel(image, column * moduleSize, row * moduleSize)
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++)
        expect(isBlackPixel(image, x, y)).toBe(dark(Math.floor(y / moduleSize), Math.floor(x / moduleSize)))
    }
    for (let i = 0; i < modules; i++) {
      for (let edge = 0; edge < 4; edge++) {
        for (const [row, column] of [
          [edge, i],
          [modules - 1 - edge, i],
          [i, edge],
          [i, modules - 1 - edge],
        ] as const)
          expect(dark(row, column)).toBe(false)
      }
    }
    // The top-left finder pattern starts right after the quiet zone: a dark 7×7 ring around a dark 3×3 core.
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 7; c++) {
        const ring = r === 0 || r === 6 || c === 0 || c === 6
        const core = r >= 2 && r <= 4 && c >= 2 && c <= 4
        expect(dark(4 + r, 4 + c), `finder module (${r}, ${c})`).toBe(ring || core)
      }
    }
    expect(scan(image)?.data).toBe(uri)
  })

  it('uses level M: 14 bytes fit version 1, 15 need version 2, and 213 fit version 10', async () => {
    for (const [length, version] of [
      [14, 1],
      [15, 2],
      [62, 4],
      [63, 5],
      [213, 10],
    ] as const) {
      const text = payloadOf(length)
      const scanned = scan(await imageOf(text))
      expect(scanned?.data, `${length} bytes`).toBe(text)
      expect(scanned?.version, `${length} bytes`).toBe(version)
    }
  })

  it('encodes text as UTF-8 in byte mode, whatever characters it holds', async () => {
    for (const text of ['otpauth://totp/Ünïcødé:ユーザー?secret=ABC', '123456', 'OTPAUTH://TOTP/A']) {
      const scanned = scan(await imageOf(text))
      expect(scanned?.data).toBe(text)
      expect(scanned?.binaryData).toEqual(Array.from(new TextEncoder().encode(text)))
      expect(scanned?.chunks.map((chunk) => chunk.type)).toEqual(['byte'])
    }
    // A lone surrogate becomes U+FFFD, as TextEncoder writes it, rather than failing.
    expect(scan(await imageOf('a\ud800b'))?.binaryData).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62])
  })

  it('refuses text over 213 UTF-8 bytes with a QrCapacityError carrying the byte length', async () => {
    const tooLong = qrCodeDataUrl('a'.repeat(214))
    await expect(tooLong).rejects.toThrow(QrCapacityError)
    await expect(tooLong).rejects.toThrow('QR code payload too long: 214 bytes, at most 213 fit (version 10, level M)')
    const error = await qrCodeDataUrl('é'.repeat(107)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(QrCapacityError)
    expect(error).toBeInstanceOf(RangeError)
    expect(error).toMatchObject({ name: 'QrCapacityError', byteLength: 214 })
    expect(scan(await imageOf('é'.repeat(106)))?.version).toBe(10)
  })

  it('refuses a module size that is not an integer from 1 to 64', async () => {
    for (const moduleSize of [0, 65, 2.5, Number.NaN])
      await expect(qrCodeDataUrl('a', { moduleSize }), String(moduleSize)).rejects.toThrow(RangeError)
    expect((await imageOf('a', 1)).width).toBe(21 + 8)
  })
})
