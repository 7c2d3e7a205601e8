/**
 * face-api in Node: its node-wasm build (the package's `main` needs tfjs-node, which cannot be
 * installed offline) on the TensorFlow.js wasm backend, with the `.wasm` files and the models read
 * from the installed packages. Nothing is downloaded.
 */

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { prepareFaceApi, type FaceApiModule } from '../../face/face-api'

const require = createRequire(import.meta.url)

/** face-api with its backend and models ready, from the installed packages. */
export async function loadNodeFaceApi(): Promise<FaceApiModule> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule
  // The directory alone, with no URL prefix: emscripten then reads the `.wasm` with `fs`.
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist/')
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model')
  await prepareFaceApi(faceapi, wasmDir, (net) => net.loadFromDisk(modelDir))
  return faceapi
}
