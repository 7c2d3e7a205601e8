/**
 * The face models, in a worker thread so that a detection (a few hundred milliseconds of CPU) never
 * blocks the server's event loop. Started by `matcher.ts` through `worker-entry.mjs`; the face
 * rules themselves are in `face/face-api.ts`.
 *
 * Jobs run one at a time. The pixels arrive decoded (see `decode.ts`) and are wiped once they are
 * in a tensor; tensors are disposed after each job.
 */

import { parentPort } from 'node:worker_threads'
import { analyzeRgb } from '../../face/face-api'
import { loadNodeFaceApi } from './face-api'
import type { FaceJob, FaceJobResult, WorkerMessage } from './messages'

const port = parentPort!

const started = performance.now()
loadNodeFaceApi().then(
  (faceapi) => {
    let queue = Promise.resolve()
    port.on('message', (job: FaceJob) => {
      queue = queue.then(async () => {
        let result: FaceJobResult
        try {
          result = { id: job.id, ...(await analyzeRgb(faceapi, job, job.confirm)) }
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
