/**
 * `@mfa-kit/server/browser-face`: a face matcher for the server core when it runs in a browser
 * page, as in Storybook and in demos. It follows the Node matcher's rules (`face/face-api.ts`):
 * face-api's browser build on the TensorFlow.js wasm backend, SSD at 0.5, exactly one face
 * confirmed by the tiny detector, EXIF orientation, a 128-number descriptor.
 *
 * It runs on the page's main thread, so each photo holds it for a few hundred milliseconds. A
 * deployed server runs `createNodeFaceMatcher` from `@mfa-kit/server/node`.
 */

import { createFaceApiMatcher, prepareFaceApi, type FaceApiMatcher, type FaceApiModule, type RgbImage } from '../face/face-api'
import { inspectImage } from '../face/image'
import { FaceImageError } from '../face/matcher'

export type { FaceApiMatcher, FaceApiModule } from '../face/face-api'

export interface BrowserFaceMatcherOptions {
  /** URL of the folder holding face-api's models and their manifests (the package's `model/`), as you serve it. */
  modelUrl: string
  /** URL of the folder holding the `.wasm` files of `@tensorflow/tfjs-backend-wasm/dist/`, ending in `/`. */
  wasmUrl: string
  /** Photos larger than this square are scaled down to fit it before detection. @default 1280 */
  workingSize?: number
  /**
   * Loads face-api's browser module instead of importing `@vladmandic/face-api`'s
   * `dist/face-api.esm.js` through your bundler. It must resolve to face-api's exports.
   */
  load?: () => Promise<unknown>
}

const importFaceApi = (): Promise<unknown> => import('@vladmandic/face-api/dist/face-api.esm.js')

/**
 * A face matcher in the page. Nothing is fetched until the first analysis or `load()`: face-api's
 * module (about 1.3 MB), the wasm backend and the models (about 12.6 MB) all come from your URLs.
 */
export function createBrowserFaceMatcher(options: BrowserFaceMatcherOptions): FaceApiMatcher {
  const workingSize = options.workingSize ?? 1280
  if (!Number.isSafeInteger(workingSize) || workingSize < 256 || workingSize > 4096)
    throw new RangeError('workingSize must be from 256 to 4096')
  return createFaceApiMatcher({
    async faceApi() {
      const module = (await (options.load ?? importFaceApi)()) as FaceApiModule & { default?: FaceApiModule }
      const faceapi = module.nets ? module : module.default!
      await prepareFaceApi(faceapi, options.wasmUrl, (net) => net.loadFromUri(options.modelUrl))
      return faceapi
    },
    decode: (image, maxDimension) => decodeInPage(image, maxDimension, workingSize),
  })
}

/**
 * The browser's own decoder: the header is read first, so that an image too large is refused
 * before any decoding, then `createImageBitmap` turns it upright by its EXIF orientation, and a
 * canvas scales it to fit the working size.
 */
async function decodeInPage(image: Uint8Array, maxDimension: number, workingSize: number): Promise<RgbImage> {
  const info = inspectImage(image)
  if (!info) throw new FaceImageError('not a JPEG, PNG or WebP image')
  if (info.width > maxDimension || info.height > maxDimension) throw new FaceImageError('the image is larger than allowed')
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(new Blob([image as Uint8Array<ArrayBuffer>], { type: `image/${info.format}` }), {
      imageOrientation: 'from-image',
    })
  } catch {
    throw new FaceImageError('the image could not be decoded')
  }
  try {
    const scale = Math.min(1, workingSize / Math.max(bitmap.width, bitmap.height))
    const width = Math.max(1, Math.round(bitmap.width * scale))
    const height = Math.max(1, Math.round(bitmap.height * scale))
    const canvas = new OffscreenCanvas(width, height)
    const context = canvas.getContext('2d', { willReadFrequently: true })
    if (!context) throw new FaceImageError('the image could not be drawn')
    context.imageSmoothingQuality = 'high'
    context.drawImage(bitmap, 0, 0, width, height)
    const rgba = context.getImageData(0, 0, width, height).data
    const pixels = new Uint8Array(width * height * 3)
    for (let from = 0, to = 0; from < rgba.length; from += 4, to += 3) {
      pixels[to] = rgba[from]!
      pixels[to + 1] = rgba[from + 1]!
      pixels[to + 2] = rgba[from + 2]!
    }
    rgba.fill(0)
    return { pixels, width, height }
  } finally {
    bitmap.close()
  }
}
