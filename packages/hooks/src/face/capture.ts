/** Options of {@link captureFrame}. */
export interface CaptureFrameOptions {
  /** Draw into this canvas (to show the still), instead of one made for the capture. */
  canvas?: HTMLCanvasElement | null
  /** @default 'image/jpeg' */
  type?: string
  /** Encoder quality between 0 and 1. @default 0.92 */
  quality?: number
  /** Largest width or height of the photo; larger frames are scaled down. @default 1280 */
  maxSize?: number
}

/**
 * Takes the video's current frame as a photo, upright and not mirrored (whatever the preview
 * shows), at most `maxSize` pixels on its longer side. Rejects when the video has no frame yet.
 */
export function captureFrame(video: HTMLVideoElement, options: CaptureFrameOptions = {}): Promise<Blob> {
  const { type = 'image/jpeg', quality = 0.92, maxSize = 1280 } = options
  const width = video.videoWidth
  const height = video.videoHeight
  if (!width || !height) return Promise.reject(new Error('The camera has no picture yet'))
  const scale = Math.min(1, maxSize / Math.max(width, height))
  const canvas = options.canvas ?? video.ownerDocument.createElement('canvas')
  canvas.width = Math.round(width * scale)
  canvas.height = Math.round(height * scale)
  const context = canvas.getContext('2d')
  if (!context) return Promise.reject(new Error('This browser cannot draw the photo'))
  context.drawImage(video, 0, 0, canvas.width, canvas.height)
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The photo could not be encoded'))), type, quality),
  )
}

/** The photo formats the reference server reads, for a file input's `accept`. */
export const PHOTO_TYPES = 'image/jpeg,image/png,image/webp'
