/**
 * The reference face matcher for Node: `@vladmandic/face-api` 1.7.15 on the TensorFlow.js 4.22
 * wasm backend, with every model read from the installed packages (nothing is downloaded).
 *
 * - Photos are decoded here with sharp (JPEG, PNG, WebP; EXIF orientation applied; the decoded
 *   size capped; see `decode.ts`), scaled down to fit the detector's working size, and handed to
 *   a worker thread as RGB pixels. The models run in that thread (see `worker.ts`, and the face
 *   rules in `face/face-api.ts`), so the event loop keeps answering other requests while a face
 *   is analysed.
 * - Nothing is loaded until the first analysis or an explicit `load()`: a server that never sees
 *   a face never pays for the models (about 300 MB and a second of start-up).
 * - Distances are euclidean between 128-number descriptors.
 */

import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { FaceMatcherBusyError, euclideanDistance, type FaceAnalysis, type FaceAnalysisOptions, type FaceMatcher } from '../../face/matcher'
import { decodePhoto } from './decode'
import type { FaceJob, FaceJobResult, WorkerMessage } from './messages'

export interface NodeFaceMatcherOptions {
  /** Load the models now rather than at the first analysis. @default false */
  preload?: boolean
  /** Worker threads running the models. Each holds its own copy of them (about 150 MB). @default 1 */
  threads?: number
  /** Photos in analysis or waiting for a thread; more are refused with `FaceMatcherBusyError`. @default 16 */
  maxQueued?: number
  /**
   * Photos larger than this square are scaled down to fit it before detection (the detector works
   * at 512 pixels and a descriptor at 150, so more pixels only cost memory). @default 1280
   */
  workingSize?: number
}

export interface NodeFaceMatcher extends FaceMatcher {
  load(): Promise<void>
  close(): Promise<void>
  /** How long the models took to load in the slowest thread, once they have. */
  readonly modelLoadMs: number | null
}

interface Thread {
  worker: Worker
  ready: Promise<void>
  loadMs: number | null
  jobs: Map<number, { resolve(result: FaceJobResult): void; reject(error: Error): void }>
}

/**
 * The worker thread's script: from the sources, the loader entry that runs `worker.ts` through
 * tsx; from the published build, the bundled `face-worker.js` beside this chunk.
 */
const WORKER_FILE = import.meta.url.endsWith('.ts') ? './worker-entry.mjs' : './face-worker.js'

export function createNodeFaceMatcher(options: NodeFaceMatcherOptions = {}): NodeFaceMatcher {
  const threadCount = options.threads ?? 1
  const maxQueued = options.maxQueued ?? 16
  const workingSize = options.workingSize ?? 1280
  if (!Number.isSafeInteger(threadCount) || threadCount < 1 || threadCount > 16)
    throw new RangeError('threads must be a whole number from 1 to 16')
  if (!Number.isSafeInteger(maxQueued) || maxQueued < 1) throw new RangeError('maxQueued must be a positive whole number')
  if (!Number.isSafeInteger(workingSize) || workingSize < 256 || workingSize > 4096)
    throw new RangeError('workingSize must be from 256 to 4096')

  const threads: Thread[] = []
  let nextJobId = 1
  let queued = 0
  let closed = false

  function startThread(): Thread {
    const worker = new Worker(fileURLToPath(new URL(WORKER_FILE, import.meta.url)))
    const jobs: Thread['jobs'] = new Map()
    let settleReady: { resolve(): void; reject(error: Error): void } | undefined
    const thread: Thread = {
      worker,
      jobs,
      loadMs: null,
      ready: new Promise<void>((resolve, reject) => {
        settleReady = { resolve, reject }
      }),
    }
    // A thread that fails to start is reported by `ready`; keep that rejection from going unhandled.
    thread.ready.catch(() => {})
    const stop = (error: Error) => {
      const index = threads.indexOf(thread)
      if (index !== -1) threads.splice(index, 1)
      settleReady?.reject(error)
      for (const job of jobs.values()) job.reject(error)
      jobs.clear()
    }
    worker.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        if (message.ready) {
          thread.loadMs = message.loadMs
          settleReady?.resolve()
        } else {
          stop(new Error(`the face models could not be loaded (${message.error})`))
          void worker.terminate()
        }
        return
      }
      const job = jobs.get(message.id)
      if (!job) return
      jobs.delete(message.id)
      job.resolve(message)
    })
    worker.on('error', (error) => stop(error instanceof Error ? error : new Error('face worker failed')))
    worker.on('exit', () => stop(new Error('the face worker stopped')))
    threads.push(thread)
    return thread
  }

  function pool(): Thread[] {
    if (closed) throw new Error('the face matcher is closed')
    while (threads.length < threadCount) startThread()
    return threads
  }

  async function run(job: Omit<FaceJob, 'id'>): Promise<FaceJobResult> {
    const thread = pool().reduce((best, candidate) => (candidate.jobs.size < best.jobs.size ? candidate : best))
    await thread.ready
    const id = nextJobId++
    return new Promise<FaceJobResult>((resolve, reject) => {
      thread.jobs.set(id, { resolve, reject })
      thread.worker.postMessage({ ...job, id } satisfies FaceJob, [job.pixels.buffer as ArrayBuffer])
    })
  }

  const matcher: NodeFaceMatcher = {
    async analyze(image: Uint8Array, analysis: FaceAnalysisOptions): Promise<FaceAnalysis> {
      if (queued >= maxQueued) throw new FaceMatcherBusyError('too many photos are being analysed')
      queued++
      try {
        const { pixels, width, height } = await decodePhoto(image, analysis.maxDimension, workingSize)
        const result = await run({ pixels, width, height, confirm: analysis.confirm })
        if (result.failed) throw new Error('the face analysis failed')
        return { faces: result.faces, descriptor: result.descriptor }
      } finally {
        queued--
      }
    },
    distance: euclideanDistance,
    async load() {
      await Promise.all(pool().map((thread) => thread.ready))
    },
    async close() {
      closed = true
      await Promise.all(threads.splice(0).map((thread) => thread.worker.terminate()))
    },
    get modelLoadMs() {
      const times = threads.map((thread) => thread.loadMs)
      return times.length > 0 && times.every((ms) => ms !== null) ? Math.max(...(times as number[])) : null
    },
  }
  // A failure to load shows again on the first analysis, where it can be answered.
  if (options.preload) matcher.load().catch(() => {})
  return matcher
}
