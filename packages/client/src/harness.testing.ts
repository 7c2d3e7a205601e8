import { createFakeClock, createMfaServer } from '@mfa-kit/server'
import type { OutboxMessage } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { createMfaClient } from './client'
import { MfaError } from './errors'
import type { FetchFunction, MfaClient, MfaClientOptions } from './types'

export const APP_HOST = 'http://mfa.test'

/** An outbox address matches an email exactly, and a phone by its digits (the server stores E.164). */
const sameDestination = (sentTo: string, to: string): boolean =>
  to.includes('@') ? sentTo === to : sentTo.replace(/\D/g, '').endsWith(to.replace(/\D/g, ''))

type ServerOptions = NonNullable<Parameters<typeof createMfaServer>[0]>

/**
 * An in-process reference server (memory store, fake clock) and clients wired to it. Every request
 * the clients send is recorded before the server answers it.
 */
export function setup(options: Partial<ServerOptions> = {}) {
  const clock = createFakeClock()
  const server = createMfaServer({ clock, dev: true, factors: [], passwordIterations: 1, allowPlainPasswords: true, ...options })
  const requests: Request[] = []
  const fetch: FetchFunction = async (request) => {
    // Bytes, not text: a photo upload must reach the server unchanged.
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer()
    const copy = (): Request => new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal })
    requests.push(copy())
    return server.fetch(copy())
  }
  const client = (extra: Partial<MfaClientOptions> = {}): MfaClient =>
    createMfaClient({ appId: 'app1', appHost: APP_HOST, fetch, ...extra })

  /** Messages in the dev outbox, newest first. */
  const outbox = async (): Promise<OutboxMessage[]> => {
    const res = await server.fetch(new Request(`${APP_HOST}/api/dev/outbox`))
    return ((await res.json()) as { data: OutboxMessage[] }).data
  }
  /** The newest code sent to `to`. */
  const lastCode = async (to: string): Promise<string> => {
    const hit = (await outbox()).find((m) => m.code !== null && sameDestination(m.to, to))
    if (!hit?.code) throw new Error(`no code was sent to ${to}`)
    return hit.code
  }
  /** The TOTP code an authenticator app shows for `secret` at the server's current time. */
  const totp = (secret: string, offsetSteps = 0): string =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
      timestamp: clock.now() + offsetSteps * 30_000,
    })

  let n = 0
  /** Registers a fresh user through the client (password RSA-encrypted) and returns its credentials. */
  const register = async (c: MfaClient = client()) => {
    n++
    const email = `user${n}@example.com`
    const password = `pass-word-${n}`
    const result = await c.auth.registerByEmail(email, password, { nickname: `User ${n}` })
    if (result.status === 'mfa_required') throw new Error('registration asked for MFA')
    return { email, password, user: result.user }
  }

  /** Signs a fresh user in without MFA (an app with no factors): the client holds a SELF session. */
  const signedIn = async (c: MfaClient = client()) => {
    const credentials = await register(c)
    const result = await c.auth.loginByEmail(credentials.email, credentials.password)
    if (result.status !== 'authenticated') throw new Error('expected a session')
    return { ...credentials, client: c, user: result.user }
  }
  return { clock, server, requests, fetch, client, outbox, lastCode, totp, register, signedIn }
}

export type Setup = ReturnType<typeof setup>

/** The MfaError a promise rejects with; fails when it resolves or rejects with something else. */
export async function failure(p: Promise<unknown>): Promise<MfaError> {
  try {
    await p
  } catch (e) {
    if (e instanceof MfaError) return e
    throw e
  }
  throw new Error('expected the call to fail')
}

/** Path and query of a recorded request. */
export const pathOf = (r: Request): string => {
  const u = new URL(r.url)
  return u.pathname + u.search
}
