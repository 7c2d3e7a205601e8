/**
 * The face rules of every matcher built on `@vladmandic/face-api`, written once for every host:
 * the Node matcher runs them in its worker thread, the browser matcher in the page. A host brings
 * face-api (its own build, models read its own way) and turns photos into RGB pixels; everything
 * from the pixels to the answer is here.
 *
 * - TensorFlow.js runs on its wasm backend; `prepareFaceApi` points it at the `.wasm` files and
 *   loads the four models.
 * - SSD MobileNet v1 at minimum confidence 0.5 finds the faces; for a photo with exactly one face,
 *   the 68-point landmarks align it and the recognition net describes it (128 numbers).
 * - A face counts only when the tiny face detector finds it too (one of its boxes contains the
 *   centre of SSD's): SSD alone takes some objects, a cat among them, for a face, and at 0.5 it
 *   sometimes sees a second, small "face" in a portrait (a cap badge in a grey Hopper). A binding
 *   (`confirm`) checks every face; a verification only when SSD sees more than one, since a single
 *   face that is not one can only fail to match.
 *
 * Only face-api's types are imported here: the module itself comes from the host.
 */

import type * as FaceApi from '@vladmandic/face-api'
import { euclideanDistance, type FaceAnalysis, type FaceAnalysisOptions, type FaceMatcher } from './matcher'

/** face-api's module, whichever build a host loads (they share one API). */
export type FaceApiModule = typeof FaceApi

/** An upright photo as RGB pixels, row by row (3 bytes a pixel). */
export interface RgbImage {
  pixels: Uint8Array
  width: number
  height: number
}

/** The SSD detector's settings: 0.5 is the confidence below which it started to see faces that are not there. */
const SSD_MIN_CONFIDENCE = 0.5
/** More than one face is refused; a few more candidates leave room for the ones the second detector drops. */
const SSD_MAX_RESULTS = 5
const TINY_INPUT_SIZE = 416
const TINY_SCORE_THRESHOLD = 0.5

/** The models a face-api matcher uses, by their name in `faceapi.nets`. */
const MODELS = ['ssdMobilenetv1', 'faceLandmark68Net', 'faceRecognitionNet', 'tinyFaceDetector'] as const

type Model = FaceApiModule['nets'][(typeof MODELS)[number]]

/**
 * Puts TensorFlow.js on its wasm backend and loads the models.
 * @param wasmPath where the `.wasm` files of `@tensorflow/tfjs-backend-wasm/dist/` are: a URL
 *   ending in `/` in a browser, the directory in Node (so that emscripten reads them with `fs`).
 * @param loadModel loads one model, e.g. `(net) => net.loadFromUri(modelUrl)`.
 */
export async function prepareFaceApi(faceapi: FaceApiModule, wasmPath: string, loadModel: (net: Model) => Promise<void>): Promise<void> {
  // face-api's type declarations leave these tfjs functions out.
  const tf = faceapi.tf as unknown as {
    setWasmPaths(path: string): void
    setBackend(name: string): Promise<boolean>
    ready(): Promise<void>
  }
  tf.setWasmPaths(wasmPath)
  // A backend that fails to start leaves TensorFlow on its slow JavaScript one: refuse that.
  if (!(await tf.setBackend('wasm'))) throw new Error(`the TensorFlow.js wasm backend did not start (wasm files: ${wasmPath})`)
  await tf.ready()
  await Promise.all(MODELS.map((name) => loadModel(faceapi.nets[name])))
}

function contains(outer: FaceApi.Box, x: number, y: number): boolean {
  return x >= outer.x && x <= outer.x + outer.width && y >= outer.y && y <= outer.y + outer.height
}

/**
 * Counts the faces in a photo and describes the face when there is exactly one. The pixels are
 * wiped once they are in a tensor; every tensor is disposed before it returns.
 */
export async function analyzeRgb(faceapi: FaceApiModule, image: RgbImage, confirm: boolean): Promise<FaceAnalysis> {
  const tensor = faceapi.tf.tensor3d(image.pixels, [image.height, image.width, 3], 'int32')
  image.pixels.fill(0)
  try {
    const detections = await faceapi.detectAllFaces(
      tensor,
      new faceapi.SsdMobilenetv1Options({ minConfidence: SSD_MIN_CONFIDENCE, maxResults: SSD_MAX_RESULTS }),
    )
    let faces = detections
    if (detections.length > 1 || (confirm && detections.length === 1)) {
      const tiny = await faceapi.detectAllFaces(
        tensor,
        new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: TINY_SCORE_THRESHOLD }),
      )
      faces = detections.filter(({ box }) => tiny.some((other) => contains(other.box, box.x + box.width / 2, box.y + box.height / 2)))
    }
    if (faces.length !== 1) return { faces: faces.length, descriptor: null }
    // The landmark and descriptor steps of face-api's task chain, fed with the one detection.
    const found = Promise.resolve([faceapi.extendWithFaceDetection({}, faces[0]!)])
    const [described] = await new faceapi.DetectAllFaceLandmarksTask(found, tensor, false).withFaceDescriptors()
    return { faces: 1, descriptor: described ? described.descriptor : null }
  } finally {
    tensor.dispose()
  }
}

export interface FaceApiMatcherOptions {
  /** face-api with its backend and models ready (see `prepareFaceApi`); called once, at the first analysis or `load()`. */
  faceApi: () => Promise<FaceApiModule>
  /**
   * The photo as upright RGB pixels: a JPEG, PNG or WebP turned by its EXIF orientation, refused
   * with `FaceImageError` when it is not one or is larger than `maxDimension` either way.
   */
  decode: (image: Uint8Array, maxDimension: number) => Promise<RgbImage>
}

export interface FaceApiMatcher extends FaceMatcher {
  load(): Promise<void>
  /** Refuses further work once the photos under way are done. */
  close(): Promise<void>
  /** How long face-api took to get ready, once it has. */
  readonly modelLoadMs: number | null
}

/**
 * A face matcher that runs face-api in the calling thread, one photo at a time. Nothing loads
 * until the first analysis or `load()`; a load that failed is tried again on the next call.
 */
export function createFaceApiMatcher(options: FaceApiMatcherOptions): FaceApiMatcher {
  let ready: Promise<FaceApiModule> | undefined
  let modelLoadMs: number | null = null
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  const faceApi = (): Promise<FaceApiModule> => {
    if (closed) return Promise.reject(new Error('the face matcher is closed'))
    if (!ready) {
      const started = performance.now()
      ready = options.faceApi().then((faceapi) => {
        modelLoadMs = performance.now() - started
        return faceapi
      })
      ready.catch(() => {
        ready = undefined
      })
    }
    return ready
  }

  return {
    async analyze(image: Uint8Array, analysis: FaceAnalysisOptions): Promise<FaceAnalysis> {
      const rgb = await options.decode(image, analysis.maxDimension)
      let faceapi: FaceApiModule
      try {
        faceapi = await faceApi()
      } catch (error) {
        rgb.pixels.fill(0)
        throw error
      }
      // TensorFlow's backend is shared by the whole thread: one photo at a time.
      const result = queue.then(() => analyzeRgb(faceapi, rgb, analysis.confirm))
      queue = result.catch(() => {})
      return result
    },
    distance: euclideanDistance,
    async load() {
      await faceApi()
    },
    // face-api keeps its models in its module, which other matchers of the page may share: they stay loaded.
    async close() {
      closed = true
      ready = undefined
      await queue
    },
    get modelLoadMs() {
      return modelLoadMs
    },
  }
}
