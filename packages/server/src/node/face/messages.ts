/** Messages between the face matcher and its worker threads. */

/** A decoded photo to analyse: RGB pixels, row by row. */
export interface FaceJob {
  id: number
  pixels: Uint8Array
  width: number
  height: number
  /** Count only faces the second detector confirms. */
  confirm: boolean
}

export type FaceJobResult =
  | { id: number; faces: number; descriptor: Float32Array | null; failed?: undefined }
  | { id: number; failed: true; faces?: undefined; descriptor?: undefined }

export type WorkerMessage =
  /** The models are loaded (or could not be). */
  { ready: true; loadMs: number } | { ready: false; error: string } | FaceJobResult
