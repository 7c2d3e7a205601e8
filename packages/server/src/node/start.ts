import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import { type AddressInfo, BlockList, isIP } from 'node:net'
import { join, resolve } from 'node:path'
import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server'
import type { MessageSender } from '../delivery/types'
import { trustContentLength } from '../http/body'
import type { MfaServerOptions } from '../options'
import { createMfaServer, type MfaServer } from '../server'
import type { MfaStore } from '../store/types'
import { loadRsaKey, loadServerKeyFile, saveRsaKey, SECRET_KEY_FILE } from './keys'
import { nodeCrypto } from './crypto'
import { createNodeFaceMatcher, type NodeFaceMatcher } from './face/matcher'
import { createNodePhotoFetcher } from './photo-fetcher'
import { createSmtpSender, type SmtpSender } from './smtp'
import { createSqliteStore } from './sqlite-store'

export const DATABASE_FILE = 'mfa.sqlite'

export interface StartServerOptions extends MfaServerOptions {
  /** TCP port; 0 picks a free one. @default 3000 */
  port?: number
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string
  /** Holds the SQLite file, the RSA key and, unless `keyFile` says otherwise, the key file. @default '.data' */
  dataDir?: string
  /**
   * The file holding the server key (base64 of 32 bytes), created with mode 0600 when missing. In
   * production keep it outside the data directory, so that a copy of the data does not carry the
   * key that opens its secrets. `MFA_SERVER_KEY`, when set, wins over any file.
   * @default env MFA_KEY_FILE, else `<dataDir>/secret.key`
   */
  keyFile?: string
  /**
   * With `dev`, allow listening on an address other than loopback. The dev outbox then shows every
   * code sent to whoever can reach the server. @default false
   */
  devExpose?: boolean
  /** SMTP connection URL for email codes. @default env SMTP_URL */
  smtpUrl?: string
  /** From address of emails. @default env SMTP_FROM */
  smtpFrom?: string
  /** Environment to read MFA_SERVER_KEY, MFA_KEY_FILE, SMTP_URL and SMTP_FROM from. @default process.env */
  env?: Record<string, string | undefined>
  /**
   * Durability of the SQLite store it opens (ignored when `store` is given): `NORMAL` survives
   * process crashes and restarts, `FULL` also a power loss, at the cost of an fsync per write.
   * @default 'NORMAL'
   */
  synchronous?: 'NORMAL' | 'FULL'
  /**
   * Load the face models at start (about a second and 300 MB) instead of at the first face
   * binding or verification. Ignored when `face.matcher` is given. @default false
   */
  preloadFaceModels?: boolean
  /**
   * Worker threads running the face models; each holds its own copy of them (about 400 MB).
   * Ignored when `face.matcher` is given. @default 1
   */
  faceThreads?: number
}

export interface RunningServer {
  /** `http://host:port` */
  url: string
  port: number
  server: MfaServer
  /** Stops accepting connections, finishes in-flight requests and closes the store. */
  close(): Promise<void>
}

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/**
 * True for `localhost` and for addresses only this machine can reach: 127.0.0.0/8, `::1` and
 * their IPv4-mapped forms. Any other name may resolve to a public interface, so it counts as not
 * loopback.
 */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true
  const family = isIP(host)
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * Serves the MFA server over HTTP with Node. Unless a store is given, it opens (and on first start
 * creates) `<dataDir>/mfa.sqlite`, the key file (`keyFile`, `MFA_KEY_FILE` or
 * `<dataDir>/secret.key`, mode 0600) and persists the RSA key.
 *
 * @throws {Error} for `dev` on a host that is not loopback, unless `devExpose` is set.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const {
    port = 3000,
    host = '127.0.0.1',
    dataDir = '.data',
    keyFile,
    devExpose = false,
    smtpUrl,
    smtpFrom,
    env = process.env,
    synchronous,
    preloadFaceModels = false,
    faceThreads = 1,
    ...rest
  } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port must be a whole number from 0 to 65535')
  if (rest.dev && !devExpose && !isLoopbackHost(host)) {
    throw new Error(
      `dev mode serves every code sent through its outbox, so it listens only on loopback, not on ${host} (set devExpose to allow it)`,
    )
  }
  const directory = resolve(dataDir)
  mkdirSync(directory, { recursive: true, mode: 0o700 })

  // The keys first: a bad key file then fails the start before the database is opened.
  const keyPath = resolve(keyFile || env.MFA_KEY_FILE || join(directory, SECRET_KEY_FILE))
  const encryptionKey = rest.encryptionKey ?? loadServerKeyFile(keyPath, env.MFA_SERVER_KEY)
  const rsaPrivateKey = rest.rsaPrivateKey ?? loadRsaKey(directory)
  const store: MfaStore =
    rest.store ?? createSqliteStore({ filename: join(directory, DATABASE_FILE), ...(synchronous ? { synchronous } : {}) })

  let smtp: SmtpSender | undefined
  const url = smtpUrl ?? env.SMTP_URL
  if (url) smtp = createSmtpSender({ url, ...((smtpFrom ?? env.SMTP_FROM) ? { from: (smtpFrom ?? env.SMTP_FROM)! } : {}) })
  const email: MessageSender | undefined = rest.senders?.email ?? smtp

  // The face models load in a worker thread on first use (or now, when asked), never on the way
  // to listening: a server that sees no face starts as fast as one without face support.
  const faceMatcher: NodeFaceMatcher | null = rest.face?.matcher
    ? null
    : createNodeFaceMatcher({ preload: preloadFaceModels, threads: faceThreads })
  const fetcher = rest.face?.fetcher === undefined ? createNodePhotoFetcher() : rest.face.fetcher

  let server: MfaServer
  try {
    server = createMfaServer(
      {
        crypto: nodeCrypto,
        ...rest,
        store,
        encryptionKey,
        ...(rsaPrivateKey ? { rsaPrivateKey } : {}),
        senders: { ...rest.senders, ...(email ? { email } : {}) },
        face: { ...rest.face, ...(faceMatcher ? { matcher: faceMatcher } : {}), fetcher },
      },
      { onRsaKeyGenerated: (jwk) => saveRsaKey(directory, jwk) },
    )
  } catch (error) {
    await faceMatcher?.close()
    if (!rest.store) await store.close()
    throw error
  }

  const http = await new Promise<Server>((resolveListen, rejectListen) => {
    const fetch = (request: Request, { incoming }: HttpBindings | Http2Bindings) => {
      // Node's HTTP parser delivers exactly Content-Length bytes of body, or fails the request.
      trustContentLength(request)
      // The peer's address drives the core's per-client limits and its loopback-only dev outbox.
      return server.fetch(request, { clientAddress: incoming.socket.remoteAddress ?? null })
    }
    const listener = serve({ fetch, port, hostname: host }, () => resolveListen(listener as Server))
    ;(listener as Server).once('error', rejectListen)
  })
  const address = http.address() as AddressInfo
  const displayHost = host.includes(':') ? `[${host}]` : host
  // Create (and persist) the RSA key in the background so that start-up stays fast.
  const rsaReady = server.publicKeyPem().then(
    () => undefined,
    () => undefined,
  )

  let closing: Promise<void> | undefined
  return {
    url: `http://${displayHost}:${address.port}`,
    port: address.port,
    server,
    close() {
      closing ??= (async () => {
        await new Promise<void>((done) => {
          http.close(() => done())
          http.closeIdleConnections()
          setTimeout(() => http.closeAllConnections(), 2000).unref()
        })
        await rsaReady
        smtp?.close()
        await faceMatcher?.close()
        await server.close()
      })()
      return closing
    },
  }
}
