/** The client over real HTTP against the reference server's Node listener (SQLite in a temp dir). */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from '@mfa-kit/server/node'
import type { OutboxMessage } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMfaClient } from './client'
import { failure } from './harness.testing'

let running: RunningServer
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mfa-client-http-'))
  running = await startServer({ port: 0, dataDir, dev: true, factors: ['OTP', 'EMAIL'], passwordIterations: 1, env: {} })
})

afterAll(async () => {
  await running?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function lastCode(to: string): Promise<string> {
  const { data } = (await (await fetch(`${running.url}/api/dev/outbox`)).json()) as { data: OutboxMessage[] }
  const hit = data.find((m) => m.to === to && m.code !== null)
  if (!hit?.code) throw new Error(`no code was sent to ${to}`)
  return hit.code
}

describe('over HTTP with the SQLite store', () => {
  it('registers, signs in through email MFA, binds TOTP and reads the user', async () => {
    const client = createMfaClient({ appId: 'app1', appHost: running.url })
    await client.auth.registerByEmail('http-user@example.com', 'pass-word-http')

    const login = await client.auth.loginByEmail('http-user@example.com', 'pass-word-http')
    if (login.status !== 'mfa_required') throw new Error('expected MFA')
    expect(login.trigger.authingCode).toBe(1636)
    expect(login.trigger.mfaEmail).toBe('http-user@example.com')

    await client.auth.sendEmailCode('http-user@example.com')
    const user = await client.mfa.verifyAppEmailMfa({
      email: 'http-user@example.com',
      code: await lastCode('http-user@example.com'),
      mfaToken: login.mfaToken,
    })
    expect(client.getToken()).toBe(user.token)
    expect((await client.auth.getCurrentUser())?.email).toBe('http-user@example.com')

    const association = await client.mfa.assosicateMfaAuthenticator()
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(association.secret) }).generate()
    await client.mfa.confirmAssosicateMfaAuthenticator({ totp })
    expect(await client.mfa.getMfaAuthenticators({ type: 'totp' })).toMatchObject([{ enable: true }])
  })

  it('maps a business error sent over HTTP', async () => {
    const client = createMfaClient({ appId: 'app1', appHost: running.url })
    const e = await failure(client.auth.loginByEmail('nobody@example.com', 'wrong-password'))
    expect(e.code).toBe('invalid_credentials')
    expect(e.status).toBe(200)
  })

  it('rejects with aborted when the caller aborts an in-flight request', async () => {
    const client = createMfaClient({ appId: 'app1', appHost: running.url })
    const ctl = new AbortController()
    const call = failure(client.mfa.getMfaAuthenticators({ type: 'totp', signal: ctl.signal }))
    ctl.abort()
    expect((await call).code).toBe('aborted')
  })

  it('maps a refused connection to network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-client-closed-'))
    const closed = await startServer({ port: 0, dataDir: dir, passwordIterations: 1, env: {} })
    await closed.close()
    rmSync(dir, { recursive: true, force: true })
    const client = createMfaClient({ appId: 'app1', appHost: closed.url, retries: 0 })
    expect((await failure(client.mfa.verifyTotpMfa({ totp: '123456', mfaToken: 'x' }))).code).toBe('network')
  })
})
