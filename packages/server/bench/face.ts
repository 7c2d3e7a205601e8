/**
 * The face part of the benchmark: a server process of its own (policy OTP + FACE, the Node face
 * matcher, SQLite), measured from its start:
 *
 * - start-up: spawn to listening, and RSS before any face is seen (the models are not loaded);
 * - model load: the time `matcher.load()` takes in that process (worker thread, wasm backend,
 *   four models), and the time the worker itself reports;
 * - face verification of a 640×480 webcam-like JPEG, each sample one upload (multipart) plus one
 *   verify, with a fresh mfaToken (signed in beforehand, outside the sample): in sequence, then
 *   from 4 clients at once;
 * - the process's peak RSS over all of the above (models included).
 */

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { TOTP } from 'otpauth'
import { fixture, webcamFrame } from '../src/node/face/photos.testing'
import { type Child, memoryOf, spawnChild, trackMemory } from './processes'

const PASSWORD = 'bench password 1'
const STEP_MS = 30_000

export interface FaceBenchOptions {
  dataDir: string
  /** Worker threads of the face matcher. */
  threads: number
  /** Samples in sequence, and in all across the 4 concurrent clients. */
  sequential: number
  concurrent: number
  log: (line: string) => void
  /** Children to stop when the benchmark ends. */
  children: Child[]
}

export interface Latencies {
  count: number
  p50: number
  p99: number
  max: number
  /** Business codes of the verify answers. */
  codes: Record<string, number>
}

export interface FaceFigures {
  /** The same server without face support: time to listening and RSS then. */
  plainStartMs: number
  plainRssMb: number
  startMs: number
  idleRssMb: number
  loadWallMs: number
  loadWorkerMs: number | null
  sequential: Latencies
  concurrent: Latencies
  peakRssMb: number
  frameBytes: number
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return response.json()
}

async function upload(base: string, photo: Uint8Array, token: string): Promise<string> {
  const form = new FormData()
  form.set('file', new Blob([photo as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'personal.jpeg')
  const response = await fetch(`${base}/api/v2/upload?folder=face-photo&private=true`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  })
  const body = (await response.json()) as { code: number; data: { key: string } }
  if (body.code !== 200) throw new Error(`upload failed: ${JSON.stringify(body)}`)
  return body.data.key
}

async function loginForMfaToken(base: string, email: string): Promise<string> {
  const body = await post(base, '/graphql/v2', {
    query: 'mutation loginByEmail($input: LoginByEmailInput!) { loginByEmail(input: $input) { id token } }',
    variables: { input: { email, password: PASSWORD } },
  })
  const error = body.errors?.[0]?.message
  if (error?.code !== 1636 || error.data?.faceMfaEnabled !== true)
    throw new Error(`login did not offer face: ${JSON.stringify(body).slice(0, 300)}`)
  return error.data.mfaToken as string
}

/**
 * An account with TOTP and the Hopper face bound, through the HTTP API, the way a new user of the
 * OTP + FACE policy gets there: TOTP bound during the first sign-in, the face from the session.
 */
async function seed(base: string, email: string): Promise<void> {
  const login = async () =>
    post(base, '/graphql/v2', {
      query: 'mutation loginByEmail($input: LoginByEmailInput!) { loginByEmail(input: $input) { id token } }',
      variables: { input: { email, password: PASSWORD } },
    })
  await post(base, '/graphql/v2', {
    query: 'mutation registerByEmail($input: RegisterByEmailInput!) { registerByEmail(input: $input) { id } }',
    variables: { input: { email, password: PASSWORD } },
  })
  const mfaToken = (await login()).errors?.[0]?.message?.data?.mfaToken
  if (typeof mfaToken !== 'string') throw new Error('the first sign-in did not ask for a second factor')
  const association = await post(base, '/api/v2/mfa/totp/associate', { source: 'APPLICATION' }, mfaToken)
  const totp = new TOTP({ secret: association.data.secret as string })
  const confirmed = await post(
    base,
    '/api/v2/mfa/totp/associate/confirm',
    { totp: totp.generate({ timestamp: Date.now() - STEP_MS }) },
    mfaToken,
  )
  if (confirmed.code !== 200) throw new Error(`TOTP binding failed: ${JSON.stringify(confirmed)}`)
  const token = confirmed.data.token as string
  const photoA = await upload(base, fixture('grace_hopper.jpg'), token)
  const photoB = await upload(base, fixture('grace_hopper_512x512.jpg'), token)
  const bound = await post(base, '/api/v2/mfa/face/associate', { photoA, photoB }, token)
  if (bound.code !== 200) throw new Error(`face binding failed: ${JSON.stringify(bound)}`)
}

/** Asks the server process to load its face models, and waits for its answer. */
function loadModels(server: Child): Promise<{ wallMs: number; modelMs: number | null }> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { faceLoaded?: { wallMs: number; modelMs: number | null; error?: string } }) => {
      if (!message.faceLoaded) return
      server.process.off('message', onMessage)
      if (message.faceLoaded.error) reject(new Error(message.faceLoaded.error))
      else resolve(message.faceLoaded)
    }
    server.process.on('message', onMessage)
    server.process.send({ loadFace: true })
  })
}

function summarize(samples: number[], codes: Record<string, number>): Latencies {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN, codes }
}

export async function runFaceBench(options: FaceBenchOptions): Promise<FaceFigures> {
  const { log } = options
  const dataDir = join(options.dataDir, 'face')
  const plainDir = join(options.dataDir, 'face-plain')
  mkdirSync(dataDir)
  mkdirSync(plainDir)

  // The same server without face support, for comparison.
  const plainSpawned = performance.now()
  const plain = await spawnChild('server.ts', [plainDir])
  const plainStartMs = performance.now() - plainSpawned
  const plainRssMb = memoryOf(plain.pid).rssMb
  await plain.stop()
  log(`server without face support listening ${plainStartMs.toFixed(0)} ms after spawn, RSS ${plainRssMb.toFixed(1)} MB`)

  const spawned = performance.now()
  const server = await spawnChild('server.ts', [dataDir, '--face', '--face-threads', String(options.threads)])
  const startMs = performance.now() - spawned
  options.children.push(server)
  const idleRssMb = memoryOf(server.pid).rssMb
  log(`face server listening ${startMs.toFixed(0)} ms after spawn, RSS ${idleRssMb.toFixed(1)} MB (face models not loaded)`)
  const peak = trackMemory(server.pid)
  try {
    return await measure(server, options, { plainStartMs, plainRssMb, startMs, idleRssMb }, peak)
  } catch (error) {
    peak()
    throw error
  }
}

async function measure(
  server: Child,
  options: FaceBenchOptions,
  start: Pick<FaceFigures, 'plainStartMs' | 'plainRssMb' | 'startMs' | 'idleRssMb'>,
  peak: () => number,
): Promise<FaceFigures> {
  const { log } = options
  const load = await loadModels(server)
  log(
    `face models loaded in ${load.wallMs.toFixed(0)} ms (inside the worker: ${load.modelMs?.toFixed(0) ?? '?'} ms), ${options.threads} thread(s)`,
  )

  const email = 'face-bench@example.com'
  await seed(server.url, email)
  const frame = await webcamFrame(fixture('grace_hopper_512x512.jpg'))
  log(`verifying with a 640×480 JPEG of ${(frame.length / 1024).toFixed(1)} KiB`)

  const sample = async (token: string, codes: Record<string, number>): Promise<number> => {
    const started = performance.now()
    const key = await upload(server.url, frame, token)
    const answer = await post(server.url, '/api/v2/mfa/face/verify', { photo: key }, token)
    const elapsed = performance.now() - started
    codes[answer.code] = (codes[answer.code] ?? 0) + 1
    return elapsed
  }

  // Warm-up: the first analyses of a fresh worker are slower (wasm compilation of new shapes).
  const warm: Record<string, number> = {}
  for (let i = 0; i < 3; i++) await sample(await loginForMfaToken(server.url, email), warm)

  const tokens = async (count: number) => {
    const list: string[] = []
    for (let i = 0; i < count; i++) list.push(await loginForMfaToken(server.url, email))
    return list
  }

  const sequentialCodes: Record<string, number> = {}
  const sequentialSamples: number[] = []
  for (const token of await tokens(options.sequential)) sequentialSamples.push(await sample(token, sequentialCodes))
  const sequential = summarize(sequentialSamples, sequentialCodes)

  const concurrentCodes: Record<string, number> = {}
  const concurrentSamples: number[] = []
  const pool = await tokens(options.concurrent)
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let token = pool.pop(); token !== undefined; token = pool.pop()) concurrentSamples.push(await sample(token, concurrentCodes))
    }),
  )
  const concurrent = summarize(concurrentSamples, concurrentCodes)
  const peakRssMb = peak()
  return { ...start, loadWallMs: load.wallMs, loadWorkerMs: load.modelMs, sequential, concurrent, peakRssMb, frameBytes: frame.length }
}

export function faceReport(figures: FaceFigures, threads: number): string[] {
  const fmt = (value: number) => value.toFixed(0)
  const codes = (latencies: Latencies) =>
    Object.entries(latencies.codes)
      .map(([code, count]) => `${code}: ${count}`)
      .join(', ')
  const row = (name: string, l: Latencies) => `| ${name} | ${l.count} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(l.max)} | ${codes(l)} |`
  return [
    `| face verify (upload + verify, 640×480 JPEG), ${threads} matcher thread(s) | samples | p50 ms | p99 ms | max ms | answers |`,
    '| --- | ---: | ---: | ---: | ---: | --- |',
    row('one client at a time', figures.sequential),
    row('4 clients at once', figures.concurrent),
    '',
    `- start-up without face use: listening ${fmt(figures.startMs)} ms after spawn, RSS ${figures.idleRssMb.toFixed(1)} MB ` +
      `(the same server without face support: ${fmt(figures.plainStartMs)} ms, ${figures.plainRssMb.toFixed(1)} MB)`,
    `- model load: ${fmt(figures.loadWallMs)} ms (in the worker: ${figures.loadWorkerMs === null ? '?' : fmt(figures.loadWorkerMs)} ms)`,
    `- peak RSS of the server process (models loaded, both runs): ${figures.peakRssMb.toFixed(1)} MB`,
    `- p50 ≤ 500 ms: ${figures.sequential.p50 <= 500 ? 'meets' : 'MISSES'} one at a time (${fmt(figures.sequential.p50)}), ` +
      `${figures.concurrent.p50 <= 500 ? 'meets' : 'MISSES'} 4 at once (${fmt(figures.concurrent.p50)})`,
    `- peak RSS ≤ 800 MB: ${figures.peakRssMb <= 800 ? 'meets' : 'MISSES'} (${figures.peakRssMb.toFixed(1)} MB)`,
  ]
}
