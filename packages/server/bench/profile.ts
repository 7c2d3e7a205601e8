/**
 * Reads a V8 CPU profile (`.cpuprofile`) and says where the time went:
 * - self time grouped by where the code lives (SQLite calls, WebCrypto, the Web Request/Response
 *   layer, Node's HTTP server, the server's own source, garbage collection, ...);
 * - the functions with the most self time;
 * - inclusive time of the server's own functions (time with the function on the stack). Awaits cut
 *   stacks, so inclusive time covers the synchronous part of each step only.
 */

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

export interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

function area(frame: CallFrame, caller: CallFrame | undefined): string {
  const { url, functionName } = frame
  if (url === '' && caller) {
    // Natives are named by what called them: better-sqlite3 and WebCrypto jobs both call `run`.
    if (caller.url.includes('better-sqlite3') || caller.url.includes('/sqlite-store.'))
      return 'SQLite statements (better-sqlite3 native: run/get, commits, fsync)'
    if (caller.url.startsWith('node:internal/crypto')) return 'WebCrypto native jobs (HMAC, AES-GCM, digest)'
  }
  if (functionName === '(garbage collector)') return 'garbage collection'
  if (functionName === '(idle)') return 'idle'
  if (functionName === '(program)') return 'V8/libuv native (unattributed)'
  if (url === '' && /Job$/.test(functionName)) return 'WebCrypto native jobs (HMAC, AES-GCM, digest)'
  if (url.includes('better-sqlite3')) return 'better-sqlite3 JS wrapper'
  if (url.startsWith('node:internal/crypto') || url.startsWith('node:internal/worker/js_transferable'))
    return 'WebCrypto JS layer (importKey, CryptoKey objects, webidl)'
  if (
    url.includes('undici') ||
    url.startsWith('node:internal/webstreams') ||
    url.startsWith('node:internal/abort_controller') ||
    url.startsWith('node:internal/event_target')
  ) {
    return 'Web Request/Response/streams (undici, webstreams, AbortSignal)'
  }
  if (url.includes('@hono/node-server')) return '@hono/node-server adapter'
  if (url.includes('/node_modules/hono/')) return 'hono router/context'
  if (
    url.startsWith('node:_http') ||
    url.startsWith('node:internal/http') ||
    url.startsWith('node:net') ||
    url.startsWith('node:internal/stream_base') ||
    url.startsWith('node:internal/streams') ||
    (url === '' &&
      /^(writev|writeUtf8String|writeLatin1String|writeBuffer|readStop|readStart|onStreamRead|parse|execute)$/.test(functionName))
  ) {
    return 'Node HTTP server and sockets'
  }
  if (url.includes('/packages/server/src/node/')) return 'server source: node/ (SQLite store JS)'
  if (url.includes('/packages/server/src/crypto/')) return 'server source: crypto/'
  if (url.includes('/packages/server/src/')) return 'server source: routes and services'
  if (url.includes('/packages/protocol/')) return 'protocol package'
  if (url.startsWith('node:')) return 'other Node internals (timers, microtasks, encoding, ...)'
  if (url === '') return 'other natives'
  return 'other JS'
}

function shortUrl(url: string): string {
  const index = url.indexOf('/packages/')
  if (index !== -1) return url.slice(index + 1)
  const modules = url.lastIndexOf('/node_modules/')
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length)
  return url
}

const keyOf = (frame: CallFrame) =>
  `${frame.functionName || '(anonymous)'}${frame.url ? `  ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : ''}`

/**
 * A plain-text report: self time by area, top functions by self time, inclusive time of the
 * server's functions. With `requests`, each area is also given as CPU microseconds per request.
 */
export function summarizeProfile(profile: CpuProfile, requests = 0, top = 20): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

  const self = new Map<number, number>()
  for (const [index, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  let total = 0
  let idle = 0
  const areas = new Map<string, number>()
  const functions = new Map<string, number>()
  const inclusive = new Map<string, number>()
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame
    if (!frame) continue
    total += micros
    if (frame.functionName === '(idle)') {
      idle += micros
      continue
    }
    const parentId = parent.get(id)
    const caller = parentId === undefined ? undefined : byId.get(parentId)?.callFrame
    const where = area(frame, caller)
    areas.set(where, (areas.get(where) ?? 0) + micros)
    const name =
      frame.url === '' && caller
        ? `${keyOf(frame)}  (native, called from ${caller.functionName || '(anonymous)'} ${shortUrl(caller.url)})`
        : keyOf(frame)
    functions.set(name, (functions.get(name) ?? 0) + micros)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const callFrame = byId.get(at)?.callFrame
      if (!callFrame?.url.includes('/packages/server/src/')) continue
      const key = keyOf(callFrame)
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros)
    }
  }
  const busy = total - idle
  const pct = (value: number) => `${((100 * value) / busy).toFixed(1).padStart(5)}%`
  const perRequest = (value: number) => (requests > 0 ? `${(value / requests).toFixed(0).padStart(5)} µs/req  ` : '')
  const lines = [
    `sampled ${(total / 1e6).toFixed(1)} s, main thread busy ${((100 * busy) / total).toFixed(0)}% of it` +
      (requests > 0 ? `: ${requests} requests, ${(busy / requests).toFixed(0)} µs of main-thread time per request` : '') +
      ' (CPU, or blocked in a system call such as fsync); shares below are of busy time',
    '',
    'self time by area:',
  ]
  for (const [name, micros] of [...areas].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(micros)}  ${perRequest(micros)}${name}`)
  lines.push('', `top ${top} functions by self time:`)
  for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(micros)}  ${name}`)
  lines.push('', `server functions by inclusive time (synchronous part):`)
  for (const [name, micros] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(micros)}  ${name}`)
  return lines.join('\n')
}
