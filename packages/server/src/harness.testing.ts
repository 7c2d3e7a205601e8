/**
 * Helpers for the server's own tests: an in-process server with a fake clock and a captured log,
 * and small wrappers around its REST and GraphQL endpoints. Codes are computed with the independent
 * `otpauth` package, never with the server's own TOTP code.
 */

import { paths, type ApplicationMfaTriggerData, type MfaAssociation, type User } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { createFakeClock, type FakeClock } from './clock'
import { bytesToBase64, createSecretBox, importSecretBoxKey } from './crypto'
import type { LogFields, Logger, LogLevel } from './logger'
import type { MfaServerOptions } from './options'
import { createMfaServer, type MfaServer } from './server'

export interface LogEntry {
  level: LogLevel
  event: string
  fields: LogFields | undefined
}

export interface Envelope {
  code: number
  message: string
  data: any
  [extra: string]: any
}

export interface CallOptions {
  body?: unknown
  /** Sent as `Bearer <token>` unless `bare` is set. */
  token?: string | null
  bare?: boolean
  headers?: Record<string, string>
  rawBody?: BodyInit
}

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 10)

export type Fetch = (request: Request) => Promise<Response>

export function createCaller(fetch: Fetch, base = 'http://mfa.test') {
  async function call(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<{ status: number; body: Envelope; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = options.bare ? options.token : `Bearer ${options.token}`
    let body: BodyInit | undefined = options.rawBody
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] = 'application/json'
    }
    const response = await fetch(new Request(base + path, { method, headers, ...(body !== undefined ? { body } : {}) }))
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers }
  }

  async function gql(operation: string, variables: Record<string, unknown>, token?: string | null) {
    const query = `mutation ${operation}($input: Input!) { ${operation}(input: $input) { id token } }`
    const result = await call('POST', paths.graphql, { body: { query, variables }, token: token ?? null })
    return result.body as { data?: Record<string, any> | null; errors?: Array<{ message: { code: number; message: string; data: any } }> }
  }

  return { call, gql }
}

export interface Harness {
  server: MfaServer
  clock: FakeClock
  logs: LogEntry[]
  call: ReturnType<typeof createCaller>['call']
  gql: ReturnType<typeof createCaller>['gql']
  /** Registers an email account and returns its id. */
  register(email: string, password?: string): Promise<string>
  /** Password login: `{user}` on success, `{code, data}` when MFA (or an error) answers. */
  login(email: string, password?: string): Promise<{ user?: User; code?: number; data?: any }>
  /** Login that must end in an MFA trigger; returns the mfaToken and trigger data. */
  loginForMfa(email: string, password?: string): Promise<{ mfaToken: string; code: number; data: ApplicationMfaTriggerData }>
  /** Signs in without application MFA and binds TOTP (SELF); returns the user's access token and the TOTP. */
  bindTotp(accessToken: string): Promise<{ totp: OTPAuth.TOTP; association: MfaAssociation }>
  /** The code the given authenticator shows at the fake clock's time (plus `offsetSteps`). */
  code(totp: OTPAuth.TOTP, offsetSteps?: number): string
  /** The newest outbox code sent to `to`. */
  lastCode(to: string): string
}

export const PASSWORD = 'correct horse battery'

/** The fixed server key of test harnesses (32 bytes, base64). */
export const TEST_KEY = bytesToBase64(new Uint8Array(32).map((_, i) => i + 1))

/**
 * Gives a user a TOTP authenticator with a known secret (e.g. an RFC 6238 test key), sealed the way
 * the server seals it, with `lastStep` as the last accepted step.
 */
export async function injectTotp(server: MfaServer, userId: string, secret: Uint8Array, lastStep = 0, key = TEST_KEY): Promise<void> {
  const box = createSecretBox([{ id: 'v1', key: await importSecretBoxKey(key) }])
  const sealedSecret = await box.seal(secret, { userId, factor: 'totp' })
  await server.store.putPendingTotp({
    id: `injected-${userId}`,
    userId,
    sealedSecret,
    recoveryCodeHash: 'unused',
    source: 'SELF',
    createdAt: 0,
    expiresAt: Number.MAX_SAFE_INTEGER,
  })
  const result = await server.store.activatePendingTotp(userId, `injected-${userId}`, lastStep, 0)
  if (!result.ok) throw new Error(`could not inject TOTP: ${result.reason}`)
}

export function createHarness(options: MfaServerOptions = {}): Harness {
  const clock = createFakeClock(T0)
  const logs: LogEntry[] = []
  const logger: Logger = { log: (level, event, fields) => logs.push({ level, event, fields }) }
  const server = createMfaServer({
    clock,
    dev: true,
    passwordIterations: 1,
    allowPlainPasswords: true,
    logger,
    encryptionKey: TEST_KEY,
    ...options,
  })
  const { call, gql } = createCaller(server.fetch)

  const harness: Harness = {
    server,
    clock,
    logs,
    call,
    gql,
    async register(email, password = PASSWORD) {
      const result = await gql('registerByEmail', { input: { email, password } })
      if (!result.data?.registerByEmail) throw new Error(`register failed: ${JSON.stringify(result.errors)}`)
      return result.data.registerByEmail.id as string
    },
    async login(email, password = PASSWORD) {
      const result = await gql('loginByEmail', { input: { email, password } })
      if (result.data?.loginByEmail) return { user: result.data.loginByEmail as User }
      const error = result.errors![0]!.message
      return { code: error.code, data: error.data }
    },
    async loginForMfa(email, password = PASSWORD) {
      const result = await harness.login(email, password)
      if (result.code !== 1635 && result.code !== 1636) throw new Error(`expected an MFA trigger, got ${JSON.stringify(result)}`)
      return { mfaToken: result.data.mfaToken as string, code: result.code, data: result.data }
    },
    async bindTotp(accessToken) {
      const associated = await call('POST', paths.totpAssociate, {
        body: { authenticator_type: 'totp', source: 'SELF' },
        token: accessToken,
      })
      if (associated.body.code !== 200) throw new Error(`associate failed: ${JSON.stringify(associated.body)}`)
      const association = associated.body.data as MfaAssociation
      const totp = OTPAuth.URI.parse(association.qrcode_uri) as OTPAuth.TOTP
      const confirmed = await call('POST', paths.totpAssociateConfirm, {
        body: { authenticator_type: 'totp', totp: harness.code(totp), source: 'SELF' },
        token: accessToken,
      })
      if (confirmed.body.code !== 200) throw new Error(`confirm failed: ${JSON.stringify(confirmed.body)}`)
      // The confirming code's step is now used; move to the next step so that tests get fresh codes.
      clock.advance(30_000)
      return { totp, association }
    },
    code(totp, offsetSteps = 0) {
      return totp.generate({ timestamp: clock.now() + offsetSteps * 30_000 })
    },
    lastCode(to) {
      const message = server.outbox().find((m) => m.code !== null && m.to.endsWith(to))
      if (!message?.code) throw new Error(`no code was sent to ${to}`)
      return message.code
    },
  }
  return harness
}
