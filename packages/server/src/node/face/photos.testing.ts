/**
 * Photos for the face tests: the fixtures in `test/fixtures/faces` (see its README for their
 * sources and licences), and images made from them with sharp, so that no derived image needs to
 * be stored.
 */

import { readFileSync } from 'node:fs'
import sharp from 'sharp'

export const FIXTURES = [
  'grace_hopper.jpg',
  'grace_hopper_512x512.jpg',
  'astronaut.png',
  'coffee.png',
  'person-vlado.jpg',
  'person-vlado1.jpg',
] as const
export type Fixture = (typeof FIXTURES)[number]

/** Who is in each fixture (null: nobody). */
export const PERSON: Readonly<Record<Fixture, string | null>> = {
  'grace_hopper.jpg': 'hopper',
  'grace_hopper_512x512.jpg': 'hopper',
  'astronaut.png': 'collins',
  'coffee.png': null,
  'person-vlado.jpg': 'vlado',
  'person-vlado1.jpg': 'vlado',
}

/** A fresh copy of a fixture's bytes (the server wipes the photos it is given). */
export function fixture(name: Fixture): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../test/fixtures/faces/${name}`, import.meta.url)))
}

/** A PNG signature and IHDR chunk declaring any size, with no image data: a decompression bomb's header. */
export function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const view = new DataView(bytes.buffer)
  view.setUint32(16, width)
  view.setUint32(20, height)
  bytes.set([8, 2, 0, 0, 0], 24)
  return bytes
}

/** A plain image of one colour. */
export async function blank(width: number, height: number, format: 'jpeg' | 'png', colour = 255): Promise<Uint8Array> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: colour, g: colour, b: colour } } })
  return new Uint8Array(await (format === 'jpeg' ? image.jpeg() : image.png()).toBuffer())
}

/** The first `fraction` of a file, as a broken download leaves it. */
export function truncated(bytes: Uint8Array, fraction = 0.5): Uint8Array {
  return bytes.slice(0, Math.floor(bytes.length * fraction))
}

/** The photo stored turned 90° clockwise, with an EXIF orientation (6) that says how to turn it back. */
export async function turnedWithExif(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await sharp(bytes).rotate(-90).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer())
}

export async function asWebp(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await sharp(bytes).webp({ quality: 90 }).toBuffer())
}

export async function asGreyJpeg(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await sharp(bytes).greyscale().jpeg({ quality: 90 }).toBuffer())
}

/** Two photos side by side on one canvas: a photo with two faces. */
export async function sideBySide(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const size = 512
  const fit = (bytes: Uint8Array) => sharp(bytes).resize(size, size, { fit: 'cover' }).toBuffer()
  const [a, b] = await Promise.all([fit(left), fit(right)])
  const canvas = sharp({ create: { width: size * 2, height: size, channels: 3, background: { r: 128, g: 128, b: 128 } } })
  return new Uint8Array(
    await canvas
      .composite([
        { input: a, left: 0, top: 0 },
        { input: b, left: size, top: 0 },
      ])
      .jpeg()
      .toBuffer(),
  )
}

/** The photo letterboxed onto a 640×480 grey frame, as a webcam capture would be, as a JPEG. */
export async function webcamFrame(bytes: Uint8Array, quality = 90): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp(bytes)
      .resize(640, 480, { fit: 'contain', background: { r: 128, g: 128, b: 128 } })
      .jpeg({ quality })
      .toBuffer(),
  )
}
