import { crc32 as nodeCrc32, inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc32, encodeBlackAndWhitePng } from './png'
import { decodePng, isBlackPixel } from './read-back.testing'

/** The chunks of a PNG file: type and data. */
function chunks(png: Uint8Array): Array<{ type: string; data: Uint8Array }> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const out = []
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset)
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8))
    out.push({ type, data: png.subarray(offset + 8, offset + 8 + length) })
    offset += 12 + length
  }
  return out
}

describe('CRC-32', () => {
  it('gives the check value of "123456789" and agrees with zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array(0))).toBe(0)
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc32(bytes)).toBe(nodeCrc32(bytes))
      }),
    )
  })
})

describe('PNG encoder', () => {
  it('writes a 1-bit grayscale PNG that an independent decoder reads pixel for pixel', async () => {
    const isBlack = (x: number, y: number) => (x * 3 + y * 5) % 7 < 3
    const png = await encodeBlackAndWhitePng(13, 5, isBlack)
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(chunks(png).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
    const image = decodePng(png)
    expect(image).toMatchObject({ width: 13, height: 5, bitDepth: 1, colourType: 0 })
    for (let y = 0; y < 5; y++) for (let x = 0; x < 13; x++) expect(isBlackPixel(image, x, y)).toBe(isBlack(x, y))
  })

  it('stores unfiltered scanlines in a zlib stream', async () => {
    const png = await encodeBlackAndWhitePng(9, 3, (x) => x === 0)
    const idat = chunks(png).find((c) => c.type === 'IDAT')!.data
    expect(Array.from(inflateSync(idat))).toEqual([0, 0x7f, 0x80, 0, 0x7f, 0x80, 0, 0x7f, 0x80])
  })

  it('refuses empty or fractional sizes', async () => {
    await expect(encodeBlackAndWhitePng(0, 1, () => false)).rejects.toThrow(RangeError)
    await expect(encodeBlackAndWhitePng(2.5, 1, () => false)).rejects.toThrow(RangeError)
  })
})
