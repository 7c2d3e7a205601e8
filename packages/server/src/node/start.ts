import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import type { MessageSender } from '../delivery/types'
import { trustContentLength } from '../http/body'
import type { MfaServerOptions } from '../options'
import { createMfaServer, type MfaServer } from '../server'
import type { MfaStore } from '../store/types'
import { loadRsaKey, loadServerKey, saveRsaKey } from './keys'
import { nodeCrypto } from './crypto'
import { createSmtpSender, type SmtpSender } from './smtp'
import { createSqliteStore } from './sqlite-store'

export const DATABASE_FILE = 'mfa.sqlite'

export interface StartServerOptions extends MfaServerOptions {
  /** TCP port; 0 picks a free one. @default 3000 */
  port?: number
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string
  /** Holds the SQLite file, the key file and the RSA key. @default '.data' */
  dataDir?: string
  /** SMTP connection URL for email codes. @default env SMTP_URL */
  smtpUrl?: string
  /** From address of emails. @default env SMTP_FROM */
  smtpFrom?: string
  /** Environment to read MFA_SERVER_KEY, SMTP_URL and SMTP_FROM from. @default process.env */
  env?: Record<string, string | undefined>
  /**
   * Durability of the SQLite store it opens (ignored when `store` is given): `NORMAL` survives
   * process crashes and restarts, `FULL` also a power loss, at the cost of an fsync per write.
   * @default 'NORMAL'
   */
  synchronous?: 'NORMAL' | 'FULL'
}

export interface RunningServer {
  /** `http://host:port` */
  url: string
  port: number
  server: MfaServer
  /** Stops accepting connections, finishes in-flight requests and closes the store. */
  close(): Promise<void>
}

/**
 * Serves the MFA server over HTTP with Node. Unless a store is given, it opens (and on first start
 * creates) `<dataDir>/mfa.sqlite`, `<dataDir>/secret.key` (mode 0600) and persists the RSA key.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const { port = 3000, host = '127.0.0.1', dataDir = '.data', smtpUrl, smtpFrom, env = process.env, synchronous, ...rest } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port must be a whole number from 0 to 65535')
  const directory = resolve(dataDir)
  mkdirSync(directory, { recursive: true, mode: 0o700 })

  const store: MfaStore = rest.store ?? createSqliteStore({ filename: join(directory, DATABASE_FILE), ...(synchronous ? { synchronous } : {}) })
  const encryptionKey = rest.encryptionKey ?? loadServerKey(directory, env.MFA_SERVER_KEY)
  const rsaPrivateKey = rest.rsaPrivateKey ?? loadRsaKey(directory)

  let smtp: SmtpSender | undefined
  const url = smtpUrl ?? env.SMTP_URL
  if (url) smtp = createSmtpSender({ url, ...((smtpFrom ?? env.SMTP_FROM) ? { from: (smtpFrom ?? env.SMTP_FROM)! } : {}) })
  const email: MessageSender | undefined = rest.senders?.email ?? smtp

  const server = createMfaServer(
    {
      crypto: nodeCrypto,
      ...rest,
      store,
      encryptionKey,
      ...(rsaPrivateKey ? { rsaPrivateKey } : {}),
      senders: { ...rest.senders, ...(email ? { email } : {}) },
    },
    { onRsaKeyGenerated: (jwk) => saveRsaKey(directory, jwk) },
  )

  const http = await new Promise<Server>((resolveListen, rejectListen) => {
    const fetch = (request: Request) => {
      // Node's HTTP parser delivers exactly Content-Length bytes of body, or fails the request.
      trustContentLength(request)
      return server.fetch(request)
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
        await server.close()
      })()
      return closing
    },
  }
}
