/**
 * Photos turned into the pixels the face models read, with sharp: JPEG, PNG or WebP only, EXIF
 * orientation applied, the decoded size capped, scaled down to fit the detector's working size.
 */

import type { Sharp, SharpOptions } from 'sharp'
import type { RgbImage } from '../../face/face-api'
import { FaceImageError } from '../../face/matcher'

const SUPPORTED_FORMATS = new Set(['jpeg', 'png', 'webp'])

type SharpFactory = (input: Uint8Array, options: SharpOptions) => Sharp

let sharpFactory: Promise<SharpFactory> | undefined

/** sharp, imported on first use (its native library is not needed by a server without faces). */
const loadSharp = () => (sharpFactory ??= import('sharp').then((module) => module.default as unknown as SharpFactory))

/**
 * RGB pixels of the upright photo, scaled to fit a `workingSize` square.
 * @throws {FaceImageError} when it is not a JPEG, PNG or WebP, is damaged, or is larger than `maxDimension` either way.
 */
export async function decodePhoto(image: Uint8Array, maxDimension: number, workingSize: number): Promise<RgbImage> {
  const sharp = await loadSharp()
  const input: SharpOptions = { limitInputPixels: maxDimension * maxDimension, failOn: 'warning' }
  try {
    const meta = await sharp(image, input).metadata()
    if (!SUPPORTED_FORMATS.has(meta.format ?? '')) throw new FaceImageError('not a JPEG, PNG or WebP image')
    if ((meta.width ?? 0) < 1 || (meta.height ?? 0) < 1 || meta.width! > maxDimension || meta.height! > maxDimension) {
      throw new FaceImageError('the image is larger than allowed')
    }
    const { data, info } = await sharp(image, input)
      .rotate()
      .resize({ width: workingSize, height: workingSize, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) {
      data.fill(0)
      throw new FaceImageError('the image could not be turned into RGB')
    }
    // A buffer of its own, so that handing it to a worker moves exactly these bytes.
    const pixels = new Uint8Array(data)
    data.fill(0)
    return { pixels, width: info.width, height: info.height }
  } catch (error) {
    if (error instanceof FaceImageError) throw error
    throw new FaceImageError('the image could not be decoded')
  }
}
