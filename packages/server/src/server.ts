import type { OutboxMessage } from '@mfa-kit/protocol'
import { Hono } from 'hono'
import { systemClock } from './clock'
import { SyncCryptoError, base64ToBytes, checkSyncCrypto, type RsaPrivateJwk } from './crypto'
import { createOutbox } from './delivery/outbox'
import type { ClientInfo, RequestEnv } from './http/client'
import { ApiError, errors } from './http/errors'
import { SECURITY_HEADERS, errorResponse, hasSecurityHeaders } from './http/respond'
import { silentLogger } from './logger'
import { resolveConfig, MfaConfigError, type MfaServerOptions, type ResolvedConfig } from './options'
import { registerGraphqlRoutes } from './routes/graphql'
import { registerFaceRoutes } from './routes/face'
import { registerDevRoutes, registerRestRoutes } from './routes/rest'
import { createContext } from './services/context'
import { createMemoryStore } from './store/memory'
import type { MfaStore } from './store/types'

export interface MfaServer {
  /**
   * The Web-standard request handler. It is a bound function: `const fetch = server.fetch` works.
   * A host that knows the peer's address passes it as `client`, which enables per-client limits
   * and lets only loopback clients read the dev outbox.
   */
  fetch(request: Request, client?: Partial<ClientInfo>): Promise<Response>
  /** The store behind the server. */
  readonly store: MfaStore
  /** The effective configuration (defaults filled in). */
  readonly config: ResolvedConfig
  /** Messages in the dev outbox, newest first (empty unless `dev` is on). */
  outbox(): OutboxMessage[]
  /** The PEM public key that `/.well-known` serves (generates the RSA key if needed). */
  publicKeyPem(): Promise<string>
  /** Wipes the photos waiting to be used and closes the store (a face matcher passed in stays open). */
  close(): Promise<void>
}

export interface CreateMfaServerInternals {
  /** Called once when an RSA key had to be generated, so a host can persist it. */
  onRsaKeyGenerated?: (jwk: RsaPrivateJwk) => void
}

const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-authing-app-id',
  'x-authing-userpool-id',
  'x-authing-app-tenant-id',
  'x-authing-request-from',
  'x-authing-sdk-version',
  'x-authing-lang',
]

const PURGE_INTERVAL_MS = 60_000
const PURGE_GRACE_MS = 3_600_000

function checkEncryptionKey(key: MfaServerOptions['encryptionKey']): void {
  if (key === undefined) return
  const bytes = typeof key === 'string' ? base64ToBytes(key.trim()) : key instanceof Uint8Array ? key : null
  if (bytes === null || bytes.length !== 32) throw new MfaConfigError(['encryptionKey must be 32 bytes, raw or base64'])
}

/**
 * The reference MFA server as a Web-standard `fetch` handler, usable in Node, browsers and
 * workers. With no options it runs on a memory store with the system clock, no application MFA
 * policy and a random per-process key.
 *
 * @throws {MfaConfigError} for unsafe or inconsistent options.
 */
export function createMfaServer(options: MfaServerOptions = {}, internals: CreateMfaServerInternals = {}): MfaServer {
  const config = resolveConfig(options)
  checkEncryptionKey(options.encryptionKey)
  if (options.crypto !== undefined) {
    try {
      checkSyncCrypto(options.crypto)
    } catch (error) {
      throw new MfaConfigError([error instanceof SyncCryptoError ? error.message : 'crypto could not be checked'])
    }
  }
  const store = options.store ?? createMemoryStore()
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const outbox = config.dev ? createOutbox(clock) : null
  const ctx = createContext({
    store,
    clock,
    config,
    logger,
    senders: { sms: options.senders?.sms, email: options.senders?.email },
    outbox,
    encryptionKey: options.encryptionKey,
    rsaPrivateKey: options.rsaPrivateKey,
    onRsaKeyGenerated: internals.onRsaKeyGenerated,
    crypto: options.crypto ?? {},
    faceMatcher: options.face?.matcher ?? null,
    photoFetcher: options.face?.fetcher ?? null,
  })
  for (const warning of config.warnings) ctx.log('warn', 'config.warning', { warning })

  const app = new Hono<RequestEnv>()
  registerRestRoutes(app, ctx)
  registerFaceRoutes(app, ctx)
  registerGraphqlRoutes(app, ctx)
  registerDevRoutes(app, ctx)
  app.notFound(() => errorResponse(errors.notFound()))
  app.onError((error) => {
    if (error instanceof ApiError) return errorResponse(error)
    ctx.log('error', 'request.failed', { error: error instanceof Error ? error.name : typeof error, where: stackFrames(error) })
    return errorResponse(errors.internal())
  })

  let lastPurge = Number.NEGATIVE_INFINITY
  const purgeIfDue = () => {
    const now = clock.now()
    if (now - lastPurge < PURGE_INTERVAL_MS) return
    lastPurge = now
    // Keep expired records for a while, so that a late code is still answered "expired" (2300).
    store.purgeExpired(now - PURGE_GRACE_MS).catch(() => ctx.log('warn', 'store.purge_failed'))
  }

  const allowedOrigin = (request: Request): string | null => {
    const origin = request.headers.get('origin')
    return origin !== null && config.allowedOrigins.includes(origin) ? origin : null
  }

  async function fetch(request: Request, client: Partial<ClientInfo> = {}): Promise<Response> {
    const origin = allowedOrigin(request)
    if (request.method === 'OPTIONS') return preflight(request, origin)
    purgeIfDue()
    const env: ClientInfo = {
      clientAddress: typeof client.clientAddress === 'string' && client.clientAddress !== '' ? client.clientAddress : null,
    }
    let response: Response
    try {
      response = await app.fetch(request, env)
    } catch (error) {
      ctx.log('error', 'request.failed', { error: error instanceof Error ? error.name : typeof error, where: stackFrames(error) })
      response = errorResponse(errors.internal())
    }
    return withHeaders(response, origin)
  }

  return {
    fetch,
    store,
    config,
    outbox: () => outbox?.list() ?? [],
    publicKeyPem: async () => (await ctx.rsa()).publicKeyPem,
    close: () => {
      ctx.face.uploads.clear()
      return store.close()
    },
  }
}

function preflight(request: Request, origin: string | null): Response {
  const requested = (request.headers.get('access-control-request-headers') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => /^[a-z0-9-]{1,64}$/.test(name))
  const allowed = [...new Set([...ALLOWED_HEADERS, ...requested])]
  return new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-allow-headers': allowed.join(', '),
      'access-control-max-age': '600',
      ...(origin ? corsHeaders(origin) : {}),
      ...SECURITY_HEADERS,
    },
  })
}

function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' }
}

/**
 * CORS for an allowed origin (echoing it, with credentials) and security headers on every
 * response. Other origins get no CORS headers, so browsers keep their pages from reading answers.
 * The
 * response is changed in place: wrapping its body in a new Response would turn it into a stream
 * and take the Node adapter off its direct path. Responses built by `jsonResponse` carry the
 * security headers already, so without an Origin they pass through untouched.
 */
function withHeaders(response: Response, origin: string | null): Response {
  const secured = hasSecurityHeaders(response)
  if (secured && !origin) return response
  try {
    const { headers } = response
    if (origin) {
      headers.set('access-control-allow-origin', origin)
      headers.set('access-control-allow-credentials', 'true')
      headers.append('vary', 'Origin')
    }
    if (!secured) for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value)
    return response
  } catch {
    // Immutable headers (a Response from elsewhere, e.g. fetch or Response.error()): copy them.
    const headers = new Headers(response.headers)
    if (origin) for (const [name, value] of Object.entries(corsHeaders(origin))) headers.append(name, value)
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

/** Where an error happened (function names and positions), without its message, which may quote input. */
function stackFrames(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return ''
  return error.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 5)
    .map((line) => line.trim())
    .join(' | ')
}
