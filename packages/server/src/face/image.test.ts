import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { pngHeader } from '../node/face/photos.testing'
import { imageFormatOf, inspectImage } from './image'

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/faces/${name}`, import.meta.url)))
const grey = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 90, g: 90, b: 90 } } })

describe('inspectImage', () => {
  it('reads the fixtures', () => {
    expect(inspectImage(fixture('grace_hopper.jpg'))).toEqual({ format: 'jpeg', width: 512, height: 600 })
    expect(inspectImage(fixture('person-vlado1.jpg'))).toEqual({ format: 'jpeg', width: 1024, height: 968 })
    expect(inspectImage(fixture('astronaut.png'))).toEqual({ format: 'png', width: 512, height: 512 })
    expect(inspectImage(fixture('coffee.png'))).toEqual({ format: 'png', width: 600, height: 400 })
  })

  it('reads JPEGs whose frame header comes after EXIF and other segments, baseline or progressive', async () => {
    const exif = await grey(321, 123).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    expect(inspectImage(exif)).toEqual({ format: 'jpeg', width: 321, height: 123 })
    const progressive = await grey(64, 48).jpeg({ progressive: true }).toBuffer()
    expect(inspectImage(progressive)).toEqual({ format: 'jpeg', width: 64, height: 48 })
  })

  it('reads lossy, lossless and extended WebP', async () => {
    expect(inspectImage(await grey(300, 200).webp().toBuffer())).toEqual({ format: 'webp', width: 300, height: 200 })
    expect(inspectImage(await grey(301, 199).webp({ lossless: true }).toBuffer())).toEqual({ format: 'webp', width: 301, height: 199 })
    const alpha = await sharp({ create: { width: 17, height: 4099, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
      .webp()
      .toBuffer()
    expect(inspectImage(alpha)).toEqual({ format: 'webp', width: 17, height: 4099 })
  })

  it('reads the declared size of a 10,000×10,000 PNG header without decoding anything', () => {
    expect(inspectImage(pngHeader(10_000, 10_000))).toEqual({ format: 'png', width: 10_000, height: 10_000 })
  })

  it.each([
    ['an empty file', new Uint8Array(0)],
    ['a text file renamed .jpg', new TextEncoder().encode('I am not a photo, just text in a file called face.jpg\n')],
    ['HTML', new TextEncoder().encode('<!doctype html><title>x</title>')],
    ['a GIF', new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00')],
    ['a JPEG cut before its frame header', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46])],
    ['a JPEG whose scan starts before any frame header', new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 1, 2, 3, 4, 5, 6])],
    ['a JPEG with a broken segment length', new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01, 0, 0, 0, 0])],
    [
      'a PNG without IHDR',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x44, 0x41, 0x54, 0, 0, 0, 1, 0, 0, 0, 1]),
    ],
    ['a PNG declaring 0×0', pngHeader(0, 0)],
    ['a RIFF that is not WebP', new TextEncoder().encode('RIFF\x00\x00\x00\x00WAVEfmt ')],
    [
      'a WebP with an unknown chunk',
      new TextEncoder().encode('RIFF\x00\x00\x00\x00WEBPVP9 \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'),
    ],
  ])('refuses %s', (_name, bytes) => {
    expect(inspectImage(bytes)).toBeNull()
  })

  it('names formats by their magic bytes only', () => {
    expect(imageFormatOf(fixture('grace_hopper.jpg'))).toBe('jpeg')
    expect(imageFormatOf(fixture('coffee.png'))).toBe('png')
    expect(imageFormatOf(new TextEncoder().encode('face.jpg'))).toBeNull()
  })
})
