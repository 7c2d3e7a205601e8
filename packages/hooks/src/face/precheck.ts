/**
 * An optional in-browser check that a photo shows a face before it is uploaded: face-api's tiny
 * face detector (about 200 KB of model, 30-60 ms a photo once loaded). Nothing is bundled: the
 * app serves face-api's browser build, the model and the wasm files, and passes their URLs.
 */

/** Where the pre-check loads from. There are no defaults: every file comes from your own origin. */
export interface FacePrecheckOptions {
  /** URL of face-api's browser module, `@vladmandic/face-api/dist/face-api.esm.js`, as you serve it. */
  moduleUrl: string
  /** URL of the folder holding `tiny_face_detector_model-weights_manifest.json` and its `.bin` (face-api's `model/`). */
  modelUrl: string
  /** URL of the folder holding the `.wasm` files of `@tensorflow/tfjs-backend-wasm/dist/`, ending in `/`. */
  wasmUrl: string
  /** The smallest detection score that counts as a face. @default 0.5 */
  minScore?: number
  /** The detector's input size (a multiple of 32; larger finds smaller faces, slower). @default 320 */
  inputSize?: number
  /**
   * Loads the module instead of `import(moduleUrl)`, for an app that bundles face-api itself.
   * It must resolve to face-api's exports.
   */
  load?: (moduleUrl: string) => Promise<unknown>
}

/** What the detector found. */
export interface FacePrecheckResult {
  /** How many faces it found. */
  faces: number
  /** The best detection score, or null without a face. */
  score: number | null
}

/** What a photo to check can be: an element face-api reads, or a photo file. */
export type FacePrecheckInput = HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | Blob

/** The part of face-api the pre-check uses. */
interface FaceApi {
  tf: { setWasmPaths(prefix: string): void; setBackend(name: string): Promise<boolean>; ready(): Promise<void> }
  nets: { tinyFaceDetector: { loadFromUri(url: string): Promise<void> } }
  TinyFaceDetectorOptions: new (options: { inputSize: number; scoreThreshold: number }) => unknown
  detectAllFaces(input: unknown, options: unknown): Promise<Array<{ score: number }>>
}

export interface FacePrecheck {
  /** Loads the module, the wasm backend and the model (once per set of URLs). */
  load(): Promise<void>
  /** Finds the faces in `input`, loading first if needed. */
  check(input: FacePrecheckInput): Promise<FacePrecheckResult>
}

/** One load per set of URLs: TensorFlow's backend is global to the page. */
const loaded = new Map<string, Promise<FaceApi>>()

// Kept out of sight of bundlers: the module is the app's file, fetched at run time.
const importModule = (url: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ url)

async function loadFaceApi(options: FacePrecheckOptions): Promise<FaceApi> {
  const module = (await (options.load ?? importModule)(options.moduleUrl)) as FaceApi & { default?: FaceApi }
  const faceapi = module.nets ? module : (module.default as FaceApi)
  faceapi.tf.setWasmPaths(options.wasmUrl)
  await faceapi.tf.setBackend('wasm')
  await faceapi.tf.ready()
  await faceapi.nets.tinyFaceDetector.loadFromUri(options.modelUrl)
  return faceapi
}

/** A photo file drawn on a canvas, which face-api reads. */
async function canvasOf(photo: Blob): Promise<HTMLCanvasElement> {
  const bitmap = await createImageBitmap(photo)
  const canvas = globalThis.document.createElement('canvas')
  canvas.width = bitmap.width
  canvas.height = bitmap.height
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0)
  bitmap.close()
  return canvas
}

/** A pre-check on the given URLs; nothing loads until `load()` or the first `check()`. */
export function createFacePrecheck(options: FacePrecheckOptions): FacePrecheck {
  const key = [options.moduleUrl, options.modelUrl, options.wasmUrl].join('\n')
  const api = (): Promise<FaceApi> => {
    let promise = loaded.get(key)
    if (!promise) {
      promise = loadFaceApi(options)
      // A failed load may be tried again.
      promise.catch(() => loaded.delete(key))
      loaded.set(key, promise)
    }
    return promise
  }
  return {
    load: async () => {
      await api()
    },
    check: async (input) => {
      const faceapi = await api()
      const source = input instanceof Blob ? await canvasOf(input) : input
      const detector = new faceapi.TinyFaceDetectorOptions({ inputSize: options.inputSize ?? 320, scoreThreshold: options.minScore ?? 0.5 })
      const found = await faceapi.detectAllFaces(source, detector)
      return { faces: found.length, score: found.length ? Math.max(...found.map((f) => f.score)) : null }
    },
  }
}
