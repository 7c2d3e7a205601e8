/**
 * The face models, in a worker thread so that a detection (a few hundred milliseconds of CPU) never
 * blocks the server's event loop. Started by `matcher.ts` through `worker-entry.mjs`.
 *
 * - TensorFlow.js on its wasm backend, read from the package's files (no network): `setWasmPaths`
 *   takes the directory alone, so that emscripten reads the `.wasm` with `fs`; the face-api build
 *   is the node-wasm one (the package's `main` needs tfjs-node, which cannot be installed offline).
 * - SSD MobileNet v1 at minimum confidence 0.5 finds the faces; for a photo with exactly one face,
 *   the 68-point landmarks align it and the recognition net describes it (128 numbers).
 * - A face counts only when the tiny face detector finds it too (one of its boxes contains the
 *   centre of SSD's): SSD alone takes some objects, a cat among them, for a face, and at 0.5 it
 *   sometimes sees a second, small "face" in a portrait (a cap badge in a grey Hopper). A binding
 *   (`confirm`) checks every face; a verification only when SSD sees more than one, since a single
 *   face that is not one can only fail to match.
 *
 * Jobs run one at a time. The pixels arrive decoded (see `matcher.ts`) and are wiped once they
 * are in a tensor; tensors are disposed after each job.
 */

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parentPort } from 'node:worker_threads'
import type * as FaceApi from '@vladmandic/face-api'
import type { FaceJob, FaceJobResult, WorkerMessage } from './messages'

const require = createRequire(import.meta.url)
const port = parentPort!

/** The SSD detector's settings: 0.5 is the confidence below which it started to see faces that are not there. */
const SSD_MIN_CONFIDENCE = 0.5
/** More than one face is refused; a few more candidates leave room for the ones the second detector drops. */
const SSD_MAX_RESULTS = 5
const TINY_INPUT_SIZE = 416
const TINY_SCORE_THRESHOLD = 0.5

async function loadModels(): Promise<typeof FaceApi> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist/')
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model')
  // face-api's type declarations leave these tfjs functions out.
  const tf = faceapi.tf as unknown as {
    setWasmPaths(path: string): void
    setBackend(name: string): Promise<boolean>
    ready(): Promise<void>
  }
  tf.setWasmPaths(wasmDir)
  await tf.setBackend('wasm')
  await tf.ready()
  await Promise.all([
    faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir),
    faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir),
    faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir),
    faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir),
  ])
  return faceapi
}

function contains(outer: FaceApi.Box, x: number, y: number): boolean {
  return x >= outer.x && x <= outer.x + outer.width && y >= outer.y && y <= outer.y + outer.height
}

async function analyze(faceapi: typeof FaceApi, job: FaceJob): Promise<FaceJobResult> {
  const tensor = faceapi.tf.tensor3d(job.pixels, [job.height, job.width, 3], 'int32')
  job.pixels.fill(0)
  try {
    const detections = await faceapi.detectAllFaces(
      tensor,
      new faceapi.SsdMobilenetv1Options({ minConfidence: SSD_MIN_CONFIDENCE, maxResults: SSD_MAX_RESULTS }),
    )
    let faces = detections
    if (detections.length > 1 || (job.confirm && detections.length === 1)) {
      const tiny = await faceapi.detectAllFaces(
        tensor,
        new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: TINY_SCORE_THRESHOLD }),
      )
      faces = detections.filter(({ box }) => tiny.some((other) => contains(other.box, box.x + box.width / 2, box.y + box.height / 2)))
    }
    if (faces.length !== 1) return { id: job.id, faces: faces.length, descriptor: null }
    // The landmark and descriptor steps of face-api's task chain, fed with the one detection.
    const found = Promise.resolve([faceapi.extendWithFaceDetection({}, faces[0]!)])
    const [described] = await new faceapi.DetectAllFaceLandmarksTask(found, tensor, false).withFaceDescriptors()
    return { id: job.id, faces: 1, descriptor: described ? described.descriptor : null }
  } finally {
    tensor.dispose()
  }
}

const started = performance.now()
loadModels().then(
  (faceapi) => {
    let queue = Promise.resolve()
    port.on('message', (job: FaceJob) => {
      queue = queue.then(async () => {
        let result: FaceJobResult
        try {
          result = await analyze(faceapi, job)
        } catch {
          result = { id: job.id, failed: true }
        }
        port.postMessage(result satisfies WorkerMessage, result.descriptor ? [result.descriptor.buffer as ArrayBuffer] : [])
      })
    })
    port.postMessage({ ready: true, loadMs: performance.now() - started } satisfies WorkerMessage)
  },
  (error: unknown) => {
    port.postMessage({ ready: false, error: error instanceof Error ? error.name : 'unknown' } satisfies WorkerMessage)
  },
)
