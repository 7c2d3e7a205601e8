/**
 * Load test of the reference MFA server on loopback: `pnpm --filter @mfa-kit/server bench`.
 *
 * The server and a bare Hono hello-world each run in a child process (so each one's memory is
 * measured alone); autocannon drives them from this process. See bench/README.md for what each
 * scenario measures and why it is built the way it is.
 *
 *   tsx bench/run.ts [--duration 10] [--users 1000] [--connections 10] [--synchronous FULL|NORMAL] [--profile]
 *                    [--face-only | --no-face] [--face-threads 1] [--face-samples 40]
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon, { type Result } from 'autocannon'
import { TOTP } from 'otpauth'
import { faceReport, runFaceBench } from './face'
import { type Child, memoryOf, spawnChild, trackMemory } from './processes'
import { summarizeProfile } from './profile'

const STEP_MS = 30_000
// Not base64, so the server skips the RSA step for this plain password at once.
const PASSWORD = 'bench password 1'

interface Args {
  duration: number
  users: number
  connections: number
  synchronous: 'FULL' | 'NORMAL' | undefined
  profile: boolean
  /** Run the face scenarios (`both`), only them, or none. */
  face: 'both' | 'only' | 'none'
  faceThreads: number
  /** Face samples in sequence; twice as many run from 4 clients at once. */
  faceSamples: number
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    duration: 10,
    users: 1000,
    connections: 10,
    synchronous: undefined,
    profile: false,
    face: 'both',
    faceThreads: 1,
    faceSamples: 40,
  }
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]
    const next = () => {
      const value = argv[++i]
      if (value === undefined) throw new Error(`${name} needs a value`)
      return value
    }
    const int = (min: number, max: number) => {
      const value = Number(next())
      if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`)
      return value
    }
    if (name === '--') continue
    else if (name === '--duration') args.duration = int(1, 60)
    else if (name === '--users') args.users = int(10, 20_000)
    else if (name === '--connections') args.connections = int(1, 256)
    else if (name === '--profile') args.profile = true
    else if (name === '--face-only') args.face = 'only'
    else if (name === '--no-face') args.face = 'none'
    else if (name === '--face-threads') args.faceThreads = int(1, 4)
    else if (name === '--face-samples') args.faceSamples = int(5, 1000)
    else if (name === '--synchronous') {
      const value = next().toUpperCase()
      if (value !== 'FULL' && value !== 'NORMAL') throw new Error('--synchronous must be FULL or NORMAL')
      args.synchronous = value
    } else throw new Error(`unknown option ${name}`)
  }
  return args
}

/** The file system type holding `path` (from /proc/mounts), e.g. `ext4`. */
function fileSystemOf(path: string): string {
  try {
    let best = { mount: '', type: 'unknown' }
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [, mount, type] = line.split(' ')
      if (
        mount &&
        type &&
        (path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`)) &&
        mount.length > best.mount.length
      ) {
        best = { mount, type }
      }
    }
    return best.type
  } catch {
    return 'unknown'
  }
}

// ---- seeding ---------------------------------------------------------------------------------

interface SeedUser {
  email: string
  accessToken: string
  totp: TOTP
  /** The last TOTP step the server accepted for this user. */
  lastStep: number
  /** A code that matches no step from seeding until well after the run. */
  wrongCode: string
  validTokens: string[]
  wrongTokens: string[]
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}`)
  return response.json()
}

async function graphql(base: string, operation: string, query: string, variables: unknown): Promise<any> {
  return post(base, '/graphql/v2', { query: `mutation ${operation}${query}`, variables })
}

async function loginForMfaToken(base: string, email: string): Promise<string> {
  const body = await graphql(base, 'loginByEmail', '($input: LoginByEmailInput!) { loginByEmail(input: $input) { id token } }', {
    input: { email, password: PASSWORD },
  })
  const error = body.errors?.[0]?.message
  if (error?.code !== 1635 || typeof error.data?.mfaToken !== 'string')
    throw new Error(`login did not ask for TOTP: ${JSON.stringify(body).slice(0, 300)}`)
  return error.data.mfaToken as string
}

function wrongCodeFor(totp: TOTP, fromStep: number, toStep: number): string {
  const taken = new Set<string>()
  for (let step = fromStep; step <= toStep; step++) taken.add(totp.generate({ timestamp: step * STEP_MS }))
  for (let candidate = 0; ; candidate += 7919) {
    const code = String(candidate % 1_000_000).padStart(6, '0')
    if (!taken.has(code)) return code
  }
}

async function seedUser(base: string, index: number, tokens: { valid: number; wrong: number }, runEndStep: number): Promise<SeedUser> {
  const email = `bench-${index}@example.com`
  const registered = await graphql(
    base,
    'registerByEmail',
    '($input: RegisterByEmailInput!) { registerByEmail(input: $input) { id token } }',
    {
      input: { email, password: PASSWORD, generateToken: true },
    },
  )
  const accessToken = registered.data?.registerByEmail?.token
  if (typeof accessToken !== 'string') throw new Error(`registration failed: ${JSON.stringify(registered).slice(0, 300)}`)

  const association = await post(base, '/api/v2/mfa/totp/associate', { authenticator_type: 'totp', source: 'SELF' }, accessToken)
  if (association.code !== 200) throw new Error(`associate failed: ${JSON.stringify(association)}`)
  const totp = new TOTP({ secret: association.data.secret as string, algorithm: 'SHA1', digits: 6, period: 30 })

  // Confirm with the previous step's code (inside the ±1 window), which leaves the current and the
  // next step for the run. Retry with the current step if the step changed in flight.
  let lastStep = Math.floor(Date.now() / STEP_MS) - 1
  for (let attempt = 0; ; attempt++) {
    const confirmed = await post(
      base,
      '/api/v2/mfa/totp/associate/confirm',
      { authenticator_type: 'totp', totp: totp.generate({ timestamp: lastStep * STEP_MS }), source: 'SELF' },
      accessToken,
    )
    if (confirmed.code === 200) break
    if (attempt > 0) throw new Error(`confirm failed: ${JSON.stringify(confirmed)}`)
    lastStep = Math.floor(Date.now() / STEP_MS)
  }

  const validTokens: string[] = []
  const wrongTokens: string[] = []
  for (let i = 0; i < tokens.valid; i++) validTokens.push(await loginForMfaToken(base, email))
  for (let i = 0; i < tokens.wrong; i++) wrongTokens.push(await loginForMfaToken(base, email))
  return { email, accessToken, totp, lastStep, wrongCode: wrongCodeFor(totp, lastStep - 2, runEndStep + 2), validTokens, wrongTokens }
}

async function inParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count)
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++
        results[index] = await task(index)
      }
    }),
  )
  return results
}

// ---- scenarios -------------------------------------------------------------------------------

interface Figures {
  name: string
  requests: number
  reqPerSec: number
  p50: number
  p99: number
  /** Transport errors, timeouts and non-2xx answers. */
  errors: number
  /** Business codes of the answers (HTTP 200 with `{code}`), e.g. `{200: 31000}` or `{6001: 42000}`. */
  codes: Record<string, number>
  peakRssMb: number
  /** The CPU profile summary, when one was recorded. */
  profile: string | null
}

type RequestSpec = { method?: string; path?: string; headers?: Record<string, string>; body?: string }

async function runScenario(
  name: string,
  target: Child,
  options: {
    duration: number
    connections: number
    /** Upper bound of the measured requests, read after the warm-up. */
    maxRequests?: () => number
    warmup?: boolean
    /** Record a CPU profile of the measured part (not the warm-up) into this file. */
    profileFile?: string | null
    request: () => RequestSpec
  },
): Promise<Figures> {
  const codes: Record<string, number> = {}
  const build = (base: Record<string, unknown>) => ({ ...base, ...options.request() })
  const onResponse = (_status: number, body: string) => {
    const code = /^\{"code":(\d+)/.exec(body)?.[1] ?? 'other'
    codes[code] = (codes[code] ?? 0) + 1
  }
  if (options.warmup) {
    await autocannon({ url: target.url, connections: options.connections, duration: 1, requests: [{ setupRequest: build }] })
  }
  const maxRequests = options.maxRequests?.()
  if (options.profileFile) await profiler(target, { profile: 'start' })
  const peak = trackMemory(target.pid)
  // Latencies at full resolution (autocannon's own histogram has 1 ms buckets).
  const latencies: number[] = []
  let last = 0
  const begin = performance.now()
  const instance = autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.duration,
    ...(maxRequests ? { maxOverallRequests: maxRequests } : {}),
    requests: [{ setupRequest: build, onResponse }],
  })
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime)
    last = performance.now()
  })
  const result: Result = await instance
  const peakRssMb = peak()
  if (options.profileFile) await profiler(target, { profile: 'stop', file: options.profileFile })
  latencies.sort((a, b) => a - b)
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN
  const requests = latencies.length
  return {
    name,
    requests,
    reqPerSec: latencies.length / ((last - begin) / 1000),
    p50: percentile(50),
    p99: percentile(99),
    errors: result.errors + result.timeouts + result.non2xx,
    codes,
    peakRssMb,
    profile: options.profileFile
      ? `CPU profile of the server during "${name}" (${options.profileFile}):\n${summarizeProfile(JSON.parse(readFileSync(options.profileFile, 'utf8')), requests)}`
      : null,
  }
}

// ---- profiling -------------------------------------------------------------------------------

/** Starts or stops the server's CPU profiler over IPC; `stop` resolves once the file is written. */
async function profiler(server: Child, message: { profile: 'start' } | { profile: 'stop'; file: string }): Promise<void> {
  if (message.profile === 'start') {
    server.process.send(message)
    return
  }
  await new Promise<void>((done) => {
    const onMessage = (reply: { profile?: string }) => {
      if (reply.profile !== 'written') return
      server.process.off('message', onMessage)
      done()
    }
    server.process.on('message', onMessage)
    server.process.send(message)
  })
}

/** `process.memoryUsage()` of the server process, in MB. */
async function heapOf(server: Child): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    const onMessage = (message: { memory?: Record<string, number> }) => {
      if (!message.memory) return
      server.process.off('message', onMessage)
      resolve(Object.fromEntries(Object.entries(message.memory).map(([key, bytes]) => [key, bytes / 1024 / 1024])))
    }
    server.process.on('message', onMessage)
    server.process.send({ memory: true })
  })
}

// ---- report ----------------------------------------------------------------------------------

const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

function table(figures: readonly Figures[], ceiling: number): string {
  const rows = [
    '| Scenario | requests | req/s | % of hello-world | p50 ms | p99 ms | errors | answers (business code: count) | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ]
  for (const f of figures) {
    const codes = Object.entries(f.codes)
      .sort((a, b) => b[1] - a[1])
      .map(([code, count]) => `${code}: ${fmt(count)}`)
      .join(', ')
    rows.push(
      `| ${f.name} | ${fmt(f.requests)} | ${fmt(f.reqPerSec)} | ${fmt((100 * f.reqPerSec) / ceiling)}% | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${fmt(f.errors)} | ${codes} | ${fmt(f.peakRssMb, 1)} |`,
    )
  }
  return rows.join('\n')
}

function verdicts(verify: readonly Figures[], ceiling: number, server: readonly Figures[]): string[] {
  const lines: string[] = []
  for (const f of verify) {
    const share = f.reqPerSec / ceiling
    lines.push(
      `${f.name}: ${f.reqPerSec >= 3000 ? 'meets' : 'MISSES'} ≥3,000 req/s (${fmt(f.reqPerSec)}); ` +
        `${f.p99 <= 20 ? 'meets' : 'MISSES'} p99 ≤20 ms (${fmt(f.p99, 2)}); ` +
        `${share >= 0.4 ? 'meets' : 'MISSES'} ≥40% of hello-world (${fmt(100 * share)}%)`,
    )
  }
  const peak = Math.max(...server.map((f) => f.peakRssMb))
  lines.push(`server peak RSS: ${peak <= 150 ? 'meets' : 'MISSES'} ≤150 MB (${fmt(peak, 1)} MB)`)
  return lines
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const started = Date.now()
  const dataDir = mkdtempSync(join(tmpdir(), 'mfa-bench-'))
  const log = (line: string) => process.stdout.write(`${line}\n`)
  const children: Child[] = []
  process.once('SIGINT', () => {
    for (const child of children) child.process.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(130)
  })
  try {
    log(`mfa-kit server benchmark: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`)
    const loadAtStart = loadavg()[0]!.toFixed(2)
    log(
      `load average (1, 5, 15 min) at the start: ${loadavg()
        .map((value) => value.toFixed(2))
        .join(', ')}`,
    )
    log(
      `loopback, SQLite in ${dataDir} (synchronous=${args.synchronous ?? 'NORMAL, the default'}), ${args.users} users, ${args.connections} connections, ${args.duration} s per scenario`,
    )

    const face = async () => {
      log('')
      log('---- face verification ----')
      const figures = await runFaceBench({
        dataDir,
        threads: args.faceThreads,
        sequential: args.faceSamples,
        concurrent: 2 * args.faceSamples,
        log,
        children,
      })
      log('')
      log('---- markdown for packages/server/README.md (face) ----')
      log(
        `Measured with \`pnpm --filter @mfa-kit/server bench\` on ${new Date().toISOString().slice(0, 10)}: ` +
          `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, loopback, ` +
          `load average ${loadavg()[0]!.toFixed(2)} at the end.`,
      )
      log('')
      for (const line of faceReport(figures, args.faceThreads)) log(line)
      log('---- end ----')
    }
    if (args.face === 'only') {
      await face()
      log(`total time ${fmt((Date.now() - started) / 1000, 1)} s`)
      return
    }

    const hello = await spawnChild('hello.ts', [])
    children.push(hello)

    // Seed through the HTTP API of a separate server process on the same data directory (with
    // synchronous=NORMAL, which only makes seeding faster), then measure a fresh server process, so
    // that seeding leaves nothing behind in the measured process.
    const seedStart = Date.now()
    const seeder = await spawnChild('server.ts', [dataDir, '--synchronous', 'NORMAL'])
    children.push(seeder)
    const scenarioSeconds = 4 * (args.duration + 1) + 30
    const runEndStep = Math.floor((Date.now() + scenarioSeconds * 1000 + 120_000) / STEP_MS)
    const users = await inParallel(args.users, 16, (index) => seedUser(seeder.url, index, { valid: 4, wrong: 3 }, runEndStep))
    await seeder.stop()
    log(
      `seeded ${fmt(users.length)} users with TOTP and ${fmt(users.length * 7)} mfaTokens in ${fmt((Date.now() - seedStart) / 1000, 1)} s`,
    )

    const server = await spawnChild('server.ts', [dataDir, ...(args.synchronous ? ['--synchronous', args.synchronous] : [])])
    children.push(server)
    const startMemory = memoryOf(server.pid)
    log(`server process started: RSS ${fmt(startMemory.rssMb, 1)} MB before the first request`)

    const figures: Figures[] = []
    const profileDir = args.profile ? join(dataDir, 'profile') : null
    if (profileDir) mkdirSync(profileDir)
    const common = { duration: args.duration, connections: args.connections }

    // 1. Ceiling: bare Hono on the same Node adapter.
    figures.push(
      await runScenario('Hono hello-world (ceiling)', hello, { ...common, warmup: true, request: () => ({ method: 'GET', path: '/' }) }),
    )
    const ceiling = figures[0]!.reqPerSec

    // 2. Authenticator list with each user's access token.
    let listCursor = 0
    figures.push(
      await runScenario('GET /api/v2/mfa/authenticator', server, {
        ...common,
        warmup: true,
        request: () => {
          const user = users[listCursor++ % users.length]!
          return {
            method: 'GET',
            path: '/api/v2/mfa/authenticator?type=totp&source=SELF',
            headers: { authorization: `Bearer ${user.accessToken}` },
          }
        },
      }),
    )

    // 3. TOTP verify with wrong codes, round-robin over every user's wrong-code mfaTokens.
    const wrongPool = users.flatMap((user) => user.wrongTokens.map((token) => ({ token, body: JSON.stringify({ totp: user.wrongCode }) })))
    let wrongCursor = 0
    const verifyRequest = (token: string, body: string): RequestSpec => ({
      method: 'POST',
      path: '/api/v2/mfa/totp/verify',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    })
    figures.push(
      await runScenario('POST /api/v2/mfa/totp/verify, wrong code', server, {
        ...common,
        warmup: true,
        // The warm-up and the run together stay under the per-token budget (20) and the per-account threshold (100).
        maxRequests: () => Math.min(wrongPool.length * 19, users.length * 90) - wrongCursor,
        profileFile: profileDir && join(profileDir, 'verify-wrong.cpuprofile'),
        request: () => {
          const entry = wrongPool[wrongCursor++ % wrongPool.length]!
          return verifyRequest(entry.token, entry.body)
        },
      }),
    )

    // 4. TOTP verify with valid codes: every request is a fresh mfaToken and an unused step of its user.
    const available = (user: SeedUser, now: number) => {
      const step = Math.floor(now / STEP_MS)
      const lowest = Math.max(user.lastStep + 1, now % STEP_MS > STEP_MS - 1000 ? step : step - 1)
      return Math.max(0, Math.min(user.validTokens.length, step + 1 - lowest + 1))
    }
    const validCount = users.reduce((sum, user) => sum + available(user, Date.now()), 0)
    let validCursor = 0
    let exhausted = 0
    figures.push(
      await runScenario('POST /api/v2/mfa/totp/verify, valid code', server, {
        ...common,
        maxRequests: () => Math.max(args.connections, validCount - 2 * args.connections),
        profileFile: profileDir && join(profileDir, 'verify-valid.cpuprofile'),
        request: () => {
          const now = Date.now()
          for (let tries = 0; tries < users.length; tries++) {
            const user = users[validCursor++ % users.length]!
            if (available(user, now) === 0) continue
            const step = Math.floor(now / STEP_MS)
            const use = Math.max(user.lastStep + 1, now % STEP_MS > STEP_MS - 1000 ? step : step - 1)
            user.lastStep = use
            return verifyRequest(user.validTokens.pop()!, JSON.stringify({ totp: user.totp.generate({ timestamp: use * STEP_MS }) }))
          }
          exhausted++
          return verifyRequest('exhausted', '{"totp":"000000"}')
        },
      }),
    )
    if (exhausted > 0) log(`note: the valid-code pool ran dry for ${exhausted} request(s); they are counted under their business code`)

    const heap = await heapOf(server)
    for (const figure of figures) if (figure.profile) log(`\n${figure.profile}`)

    const serverFigures = figures.slice(1)
    log('')
    log('---- markdown for packages/server/README.md ----')
    log(
      `Measured with \`pnpm --filter @mfa-kit/server bench\` on ${new Date().toISOString().slice(0, 10)}: ` +
        `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, loopback, ` +
        `SQLite synchronous=${args.synchronous ?? 'NORMAL'} on ${fileSystemOf(dataDir)}, ${fmt(args.users)} users, ` +
        `${args.connections} connections, up to ${args.duration} s per scenario, load average ${loadAtStart} at the start.`,
    )
    log('')
    log(table(figures, ceiling))
    log('')
    for (const line of verdicts(
      figures.filter((f) => f.name.includes('verify')),
      ceiling,
      serverFigures,
    ))
      log(`- ${line}`)
    log('---- end ----')
    log('')
    log(
      `server memory after the run: ${Object.entries(heap)
        .map(([key, mb]) => `${key} ${fmt(mb, 1)} MB`)
        .join(', ')}`,
    )
    log(
      `load average (1, 5, 15 min) at the end: ${loadavg()
        .map((value) => value.toFixed(2))
        .join(', ')} on ${cpus().length} CPUs`,
    )
    if (args.face === 'both') {
      // The TOTP servers are stopped first, so that they share no CPU with the face scenarios.
      await Promise.all(children.splice(0).map((child) => child.stop()))
      await face()
    }
    log(`total time ${fmt((Date.now() - started) / 1000, 1)} s`)
    if (args.profile) log(`(profile kept in ${dataDir})`)
  } finally {
    await Promise.all(children.map((child) => child.stop()))
    if (!args.profile) rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
