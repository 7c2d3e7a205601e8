/**
 * The face matcher the server core calls: it finds the faces in a photo, describes the face when
 * there is exactly one, and measures how far apart two descriptions are. The core decides what
 * the answers mean (one face, same person); an implementation only computes them.
 *
 * `createNodeFaceMatcher` (`@mfa-kit/server/node`) is the reference implementation: the models of
 * `@vladmandic/face-api` on the TensorFlow.js wasm backend, off the event loop in a worker thread.
 * Another host (a browser, a worker) can supply its own with the same contract.
 */

export interface FaceAnalysisOptions {
  /**
   * Count only faces a second, independent detector also finds. Binding asks for it: a single
   * detector takes some objects (a cat, for one) for a face, and a binding must hold a real one.
   * Without it an implementation may still use the second detector, e.g. to drop a spurious face.
   */
  confirm: boolean
  /** Largest width or height of the decoded image, after EXIF orientation. Larger images are refused. */
  maxDimension: number
}

export interface FaceAnalysis {
  /** How many faces the photo shows. */
  faces: number
  /** A description of the face when there is exactly one, else null. */
  descriptor: Float32Array | null
}

export interface FaceMatcher {
  /**
   * Finds the faces in a JPEG, PNG or WebP photo, turned upright by its EXIF orientation.
   * @throws {FaceImageError} when the bytes are not such an image within the limits.
   * @throws {FaceMatcherBusyError} when too many photos are waiting to be analysed.
   */
  analyze(image: Uint8Array, options: FaceAnalysisOptions): Promise<FaceAnalysis>
  /** How far apart two descriptors are: 0 for the same photo, larger for less alike faces. */
  distance(a: Float32Array, b: Float32Array): number
  /** Prepares the models now instead of at the first analysis. */
  load?(): Promise<void>
  /** Releases the models and any thread. */
  close?(): Promise<void>
}

/** The bytes are not a supported image, it is damaged, or it is larger than allowed. */
export class FaceImageError extends Error {
  override readonly name = 'FaceImageError'
}

/** Too many photos are queued for analysis; the request may be retried shortly. */
export class FaceMatcherBusyError extends Error {
  override readonly name = 'FaceMatcherBusyError'
}

/** Length of a face-api descriptor. */
export const DESCRIPTOR_LENGTH = 128

/** Plain euclidean distance, the measure face-api's descriptors are trained for. */
export function euclideanDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError('descriptors of different lengths')
  let sum = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!
    sum += d * d
  }
  return Math.sqrt(sum)
}
