/**
 * The key routes again, over real HTTP, with the SQLite store and the files of a data directory.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { AuthingCode, paths, type MfaAssociation } from '@mfa-kit/protocol'
import Database from 'better-sqlite3'
import * as OTPAuth from 'otpauth'
import { afterEach, describe, expect, it } from 'vitest'
import { createFakeClock, type FakeClock } from '../clock'
import type { LogEntry } from '../harness.testing'
import { createCaller, PASSWORD, T0 } from '../harness.testing'
import type { ApplicationFactor } from '../options'
import { fixture, type Fixture } from './face/photos.testing'
import { DATABASE_FILE, startServer, type RunningServer, type StartServerOptions } from './start'

const dirs: string[] = []
const running: RunningServer[] = []

afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-http-'))
  dirs.push(dir)
  return dir
}

async function start(
  dataDir: string,
  clock: FakeClock,
  factors: ApplicationFactor[] = [],
  logs: LogEntry[] = [],
  more: StartServerOptions = {},
) {
  const server = await startServer({
    port: 0,
    dataDir,
    env: {},
    ...more,
    clock,
    dev: true,
    factors,
    passwordIterations: 1,
    allowPlainPasswords: true,
    logger: { log: (level, event, fields) => logs.push({ level, event, fields }) },
    ...more,
  })
  running.push(server)
  const caller = createCaller((request) => fetch(request), server.url)
  const register = async (email: string) =>
    (await caller.gql('registerByEmail', { input: { email, password: PASSWORD } })).data!.registerByEmail
  const login = async (email: string) => caller.gql('loginByEmail', { input: { email, password: PASSWORD } })
  return { server, ...caller, register, login }
}

/** An IPv4 address of this machine that is not loopback: requests to it come from that address too. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4')?.address

const codeAt = (totp: OTPAuth.TOTP, clock: FakeClock) => totp.generate({ timestamp: clock.now() })

describe('startServer over HTTP with SQLite', () => {
  it('creates the data directory files, the key file with mode 0600, and listens on a free port', async () => {
    const dir = tempDir()
    const clock = createFakeClock(T0)
    const { server, call } = await start(join(dir, 'nested'), clock)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
    expect((await call('GET', paths.wellKnown)).body.data.publicKey).toContain('BEGIN PUBLIC KEY')
    for (const file of [DATABASE_FILE, 'secret.key', 'rsa-key.json']) {
      expect(statSync(join(dir, 'nested', file)).mode & 0o777).toBe(0o600)
    }
    expect(readFileSync(join(dir, 'nested', 'secret.key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/)
  }, 20_000)

  it('runs sign-in, TOTP binding, 1635, verification and recovery over HTTP', async () => {
    const clock = createFakeClock(T0)
    const { call, register, login } = await start(tempDir(), clock)
    await register('alice@example.com')
    const token = (await login('alice@example.com')).data!.loginByEmail.token
    const association = (await call('POST', paths.totpAssociate, { body: { source: 'SELF' }, token })).body.data as MfaAssociation
    const totp = OTPAuth.URI.parse(association.qrcode_uri) as OTPAuth.TOTP
    expect((await call('POST', paths.totpAssociateConfirm, { body: { totp: codeAt(totp, clock) }, token })).body.code).toBe(200)
    clock.advance(30_000)
    const trigger = (await login('alice@example.com')).errors![0]!.message
    expect(trigger.code).toBe(AuthingCode.MFA_TOTP_REQUIRED)
    const verified = await call('POST', paths.totpVerify, { body: { totp: codeAt(totp, clock) }, token: trigger.data.mfaToken })
    expect(verified.body.data.token).toBeTruthy()
    const second = (await login('alice@example.com')).errors![0]!.message.data.mfaToken
    const recovered = await call('POST', paths.totpRecovery, {
      body: { recoveryCode: association.recovery_code },
      token: second,
      bare: true,
    })
    expect(recovered.body.code).toBe(200)
    expect(recovered.body.recoveryCode).toMatch(/^[0-9a-f-]{29}$/)
  })

  it('runs 1636 with an SMS code from the dev outbox, and answers preflights', async () => {
    const clock = createFakeClock(T0)
    const { server, call, register, login } = await start(tempDir(), clock, ['SMS'])
    await register('bob@example.com')
    const trigger = (await login('bob@example.com')).errors![0]!.message
    expect(trigger.code).toBe(AuthingCode.MFA_APP_REQUIRED)
    await call('POST', paths.smsSend, { body: { phone: '13800001111', scene: 'mfa-verify' } })
    const outbox = (await call('GET', paths.devOutbox)).body.data
    const verified = await call('POST', paths.applicationSmsVerify, {
      body: { phone: '13800001111', code: outbox[0].code },
      token: trigger.data.mfaToken,
    })
    expect(verified.body.code).toBe(200)
    const preflight = await fetch(`${server.url}${paths.totpVerify}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
  })

  it('lets exactly one of 50 parallel verifies of one code through, and locks after 5 parallel failures', async () => {
    const clock = createFakeClock(T0)
    const { call, register, login } = await start(tempDir(), clock)
    await register('carol@example.com')
    const token = (await login('carol@example.com')).data!.loginByEmail.token
    const association = (await call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
    const totp = OTPAuth.URI.parse(association.qrcode_uri) as OTPAuth.TOTP
    await call('POST', paths.totpAssociateConfirm, { body: { totp: codeAt(totp, clock) }, token })
    clock.advance(30_000)
    const tokens: string[] = []
    for (let i = 0; i < 50; i++) tokens.push((await login('carol@example.com')).errors![0]!.message.data.mfaToken)
    const code = codeAt(totp, clock)
    const results = await Promise.all(
      tokens.map(async (t) => (await call('POST', paths.totpVerify, { body: { totp: code }, token: t })).body.code),
    )
    expect(results.filter((c) => c === 200)).toHaveLength(1)
    // The failures that followed the success may have locked the account: wait that lock out.
    clock.advance(30_000)
    const more: string[] = []
    for (let i = 0; i < 50; i++) more.push((await login('carol@example.com')).errors![0]!.message.data.mfaToken)
    const wrong = await Promise.all(
      more.map(async (t) => (await call('POST', paths.totpVerify, { body: { totp: '000000' }, token: t })).body.code),
    )
    expect(wrong.filter((c) => c === AuthingCode.INVALID_TOTP)).toHaveLength(5)
    expect(wrong.filter((c) => c === AuthingCode.TOO_MANY_ATTEMPTS)).toHaveLength(45)
  })

  it('keeps accounts, factors and failure counters across a restart (VER-04)', async () => {
    const dir = tempDir()
    const clock = createFakeClock(T0)
    const first = await start(dir, clock)
    await first.register('dave@example.com')
    const token = (await first.login('dave@example.com')).data!.loginByEmail.token
    const association = (await first.call('POST', paths.totpAssociate, { body: {}, token })).body.data as MfaAssociation
    const totp = OTPAuth.URI.parse(association.qrcode_uri) as OTPAuth.TOTP
    await first.call('POST', paths.totpAssociateConfirm, { body: { totp: codeAt(totp, clock) }, token })
    clock.advance(30_000)
    for (let i = 0; i < 5; i++) {
      const mfaToken = (await first.login('dave@example.com')).errors![0]!.message.data.mfaToken
      await first.call('POST', paths.totpVerify, { body: { totp: '000000' }, token: mfaToken })
    }
    await running.pop()!.close()

    const second = await start(dir, clock)
    const mfaToken = (await second.login('dave@example.com')).errors![0]!.message.data.mfaToken
    const locked = await second.call('POST', paths.totpVerify, { body: { totp: codeAt(totp, clock) }, token: mfaToken })
    expect(locked.body.code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
    expect((await second.call('GET', paths.authenticators, { token })).body.data).toHaveLength(1)
    clock.advance(30_000)
    const fresh = (await second.login('dave@example.com')).errors![0]!.message.data.mfaToken
    expect((await second.call('POST', paths.totpVerify, { body: { totp: codeAt(totp, clock) }, token: fresh })).body.code).toBe(200)
  })

  it('sends the security headers on every answer over HTTP, and CORS headers to allowed origins only', async () => {
    const { server } = await start(tempDir(), createFakeClock(T0), [], [], { allowedOrigins: ['https://app.example.com'] })
    const plain = await fetch(`${server.url}${paths.authenticators}`)
    const cors = await fetch(`${server.url}${paths.authenticators}`, { headers: { origin: 'https://app.example.com' } })
    const missing = await fetch(`${server.url}/no/such/path`, { headers: { origin: 'https://app.example.com' } })
    const foreign = await fetch(`${server.url}${paths.authenticators}`, { headers: { origin: 'https://elsewhere.example' } })
    for (const response of [plain, cors, missing, foreign]) {
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.get('content-type')).toContain('application/json')
      expect(typeof (await response.json()).code).toBe('number')
    }
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
    expect(cors.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(cors.headers.get('access-control-allow-credentials')).toBe('true')
    expect(cors.headers.get('vary')).toBe('Origin')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('reads bodies by Content-Length or chunked, and refuses either over 1 MiB with 413', async () => {
    const { server } = await start(tempDir(), createFakeClock(T0))
    const url = `${server.url}${paths.smsSend}`
    const send = (body: BodyInit) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit)
    const chunked = (text: string, chunk = 64 * 1024) => {
      const bytes = new TextEncoder().encode(text)
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += chunk) controller.enqueue(bytes.slice(at, at + chunk))
          controller.close()
        },
      })
    }
    const body = JSON.stringify({ phone: '13800003333', scene: 'mfa-verify' })
    expect((await (await send(body)).json()).code).toBe(200)
    expect((await (await send(chunked(JSON.stringify({ phone: '13800004444', scene: 'mfa-verify' }), 7))).json()).code).toBe(200)
    const oversized = JSON.stringify({ phone: '13800005555', pad: 'x'.repeat(1024 * 1024) })
    for (const response of [await send(oversized), await send(chunked(oversized))]) {
      expect(response.status).toBe(413)
      expect((await response.json()).code).toBe(413)
    }
    expect((await (await send('{"phone": 138')).json()).code).toBe(400)
  })

  it('SEC-01: the database file holds no TOTP secret, recovery code, token or one-time code in the clear', async () => {
    const dir = tempDir()
    const clock = createFakeClock(T0)
    const { call, register, login } = await start(dir, clock, ['SMS'])
    await register('erin@example.com')
    const mfaToken = (await login('erin@example.com')).errors![0]!.message.data.mfaToken
    await call('POST', paths.smsSend, { body: { phone: '13800002222', scene: 'mfa-verify' } })
    const smsCode = (await call('GET', paths.devOutbox)).body.data[0].code as string
    const access = (await call('POST', paths.applicationSmsVerify, { body: { phone: '13800002222', code: smsCode }, token: mfaToken })).body
      .data.token
    const association = (await call('POST', paths.totpAssociate, { body: {}, token: access })).body.data as MfaAssociation
    await running.pop()!.close()

    const db = new Database(join(dir, DATABASE_FILE), { readonly: true })
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    const dump = tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n')
    db.close()
    expect(dump).toContain('erin@example.com')
    for (const secret of [
      association.secret,
      association.recovery_code,
      association.recovery_code.replace(/-/g, ''),
      mfaToken,
      access,
      PASSWORD,
    ]) {
      expect(dump).not.toContain(secret)
    }
  })

  it('keeps the server key in the keyFile it names, outside the data directory, and seals with that key', async () => {
    const dataDir = tempDir()
    const keyFile = join(tempDir(), 'keys', 'mfa.key')
    const clock = createFakeClock(T0)
    const first = await start(dataDir, clock, [], [], { keyFile })
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(statSync(join(keyFile, '..')).mode & 0o777).toBe(0o700)
    const key = readFileSync(keyFile, 'utf8').trim()
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false)
    await first.register('frank@example.com')
    const token = (await first.login('frank@example.com')).data!.loginByEmail.token
    await running.pop()!.close()

    // Tokens are stored as keyed hashes: the access token still works under the same key, given another way...
    const sameKey = await start(dataDir, clock, [], [], { env: { MFA_SERVER_KEY: key } })
    expect((await sameKey.call('GET', paths.authenticators, { token })).body.code).toBe(200)
    await running.pop()!.close()
    // ...and not under the key a data directory of its own would hold.
    const otherKey = await start(dataDir, clock)
    expect((await otherKey.call('GET', paths.authenticators, { token })).body.code).toBe(AuthingCode.LOGIN_EXPIRED)
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()).not.toBe(key)
  })

  it('reads the key file path from MFA_KEY_FILE, and the keyFile option wins over it', async () => {
    const dataDir = tempDir()
    const keys = tempDir()
    const fromEnv = join(keys, 'env.key')
    const fromOption = join(keys, 'option.key')
    await start(dataDir, createFakeClock(T0), [], [], { env: { MFA_KEY_FILE: fromEnv } })
    await running.pop()!.close()
    expect(statSync(fromEnv).mode & 0o777).toBe(0o600)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false)
    const envKey = readFileSync(fromEnv, 'utf8')

    await start(dataDir, createFakeClock(T0), [], [], { env: { MFA_KEY_FILE: fromEnv }, keyFile: fromOption })
    expect(statSync(fromOption).mode & 0o777).toBe(0o600)
    expect(readFileSync(fromOption, 'utf8')).not.toBe(envKey)
    expect(readFileSync(fromEnv, 'utf8')).toBe(envKey)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false)
  })

  it('uses an existing key file as it is, and refuses one that holds no 32-byte key', async () => {
    const keys = tempDir()
    const keyFile = join(keys, 'mfa.key')
    const key = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 })
    await start(tempDir(), createFakeClock(T0), [], [], { keyFile })
    expect(readFileSync(keyFile, 'utf8')).toBe(`${key}\n`)

    const junk = join(keys, 'junk.key')
    writeFileSync(junk, 'not a key\n', { mode: 0o600 })
    const dataDir = tempDir()
    await expect(start(dataDir, createFakeClock(T0), [], [], { keyFile: junk })).rejects.toThrow(
      `${junk} does not hold a base64 32-byte key`,
    )
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false)
  })

  it('refuses dev mode on a host that is not loopback, unless devExpose is set', async () => {
    const dataDir = join(tempDir(), 'data')
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      await expect(start(dataDir, createFakeClock(T0), [], [], { host }), host).rejects.toThrow(`listens only on loopback, not on ${host}`)
    }
    expect(existsSync(dataDir)).toBe(false)
    const exposed = await start(dataDir, createFakeClock(T0), [], [], { host: '0.0.0.0', devExpose: true })
    expect(exposed.server.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
    const outbox = await fetch(`http://127.0.0.1:${exposed.server.port}${paths.devOutbox}`)
    expect((await outbox.json()).code).toBe(200)
    const loopback = await start(tempDir(), createFakeClock(T0), [], [], { host: '::1' })
    expect(loopback.server.url).toMatch(/^http:\/\/\[::1\]:\d+$/)
  })

  it.skipIf(lanAddress === undefined)(
    'passes the peer address to the core, so the dev outbox stays loopback-only when exposed',
    async () => {
      const { server } = await start(tempDir(), createFakeClock(T0), [], [], { host: '0.0.0.0', devExpose: true })
      const local = await fetch(`http://127.0.0.1:${server.port}${paths.devOutbox}`)
      expect((await local.json()).code).toBe(200)
      const remote = await fetch(`http://${lanAddress}:${server.port}${paths.devOutbox}`)
      expect(remote.status).toBe(404)
      expect((await remote.json()).code).toBe(404)
    },
  )
})

describe('startServer with face verification', () => {
  it('binds a face and signs in with it over HTTP, with the SQLite store and the models loaded on first use', async () => {
    const clock = createFakeClock(T0)
    const dataDir = tempDir()
    const { server, call, register, login } = await start(dataDir, clock, ['OTP', 'FACE'])
    const upload = async (photo: Fixture, token: string) => {
      const form = new FormData()
      form.set('file', new Blob([fixture(photo) as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'personal.jpeg')
      const response = await fetch(`${server.url}${paths.upload}?folder=face-photo&private=true`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${token}` },
      })
      return ((await response.json()) as { data: { key: string } }).data.key
    }

    await register('hopper@example.com')
    const first = (await login('hopper@example.com')).errors![0]!.message
    expect(first).toMatchObject({ code: AuthingCode.MFA_APP_REQUIRED, data: { faceMfaEnabled: false } })
    const association = (await call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token: first.data.mfaToken })).body
      .data as MfaAssociation
    const totp = OTPAuth.URI.parse(association.qrcode_uri) as OTPAuth.TOTP
    const confirmed = await call('POST', paths.totpAssociateConfirm, { body: { totp: codeAt(totp, clock) }, token: first.data.mfaToken })
    const session = confirmed.body.data.token as string

    const photos = { photoA: await upload('grace_hopper.jpg', session), photoB: await upload('grace_hopper_512x512.jpg', session) }
    expect((await call('POST', paths.faceAssociate, { body: photos, token: session })).body.code).toBe(200)
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true })
    const rows = db.prepare('SELECT sealed_descriptors FROM face_authenticators').all()
    db.close()
    expect(rows).toEqual([{ sealed_descriptors: expect.stringMatching(/^v1\./) }])

    const again = (await login('hopper@example.com')).errors![0]!.message
    expect(again.data).toMatchObject({ faceMfaEnabled: true })
    const verified = await call('POST', paths.faceVerify, {
      body: { photo: await upload('grace_hopper_512x512.jpg', again.data.mfaToken) },
      token: again.data.mfaToken,
    })
    expect(verified.body).toMatchObject({ code: 200, data: { email: 'hopper@example.com', token: expect.any(String) } })
  }, 60_000)
})
