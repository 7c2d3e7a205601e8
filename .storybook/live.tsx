/**
 * Stories run against the reference server core in the browser: a memory store, a clock that
 * follows real time and that a story can move forward, and a client whose `fetch` is the server's
 * own handler. No response is canned: a lock, an expiry or a wrong code comes from the server's
 * real rules. A story asks for it with `parameters.mfa`; its play function finds it in
 * `context.loaded.mfa`.
 */

import { createMfaClient, type MfaClient } from '@mfa-kit/client'
import { createMfaServer, type ApplicationFactor, type Clock, type FaceOptions, type MfaLimits, type MfaServer } from '@mfa-kit/server'
import type { OutboxMessage } from '@mfa-kit/protocol'

/** A clock at real time plus an offset that only grows, so TOTP codes from a real phone still match. */
export interface LiveClock extends Clock {
  advance(ms: number): void
}

export function createLiveClock(): LiveClock {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms
    },
  }
}

export interface LiveMfaOptions {
  /** The application MFA policy. @default ['OTP', 'SMS', 'EMAIL'] */
  factors?: ApplicationFactor[]
  /** The server's limits (lock thresholds, token lifetimes), where a story needs other than the defaults. */
  limits?: MfaLimits
  /** Face verification, e.g. the page's own matcher from `@mfa-kit/server/browser-face`. @default none */
  face?: FaceOptions
  /** Prepares accounts and state through the server's real API before the story renders. */
  setup?: (live: LiveMfa) => Promise<void>
}

export interface LiveMfa {
  server: MfaServer
  client: MfaClient
  clock: LiveClock
  /** Another client on this server (another browser, say), its answers `latencyMs` late as on a slow network. */
  newClient(latencyMs?: number): MfaClient
  /** The newest code sent to a phone or email (see the outbox panel). */
  lastCode(to: string): string
  outbox(): OutboxMessage[]
}

export const APP_HOST = 'https://mfa.storybook'
/** The password every demo account has. */
export const DEMO_PASSWORD = 'correct horse battery staple'

export function createLiveMfa(options: LiveMfaOptions = {}): LiveMfa {
  const clock = createLiveClock()
  const server = createMfaServer({
    clock,
    dev: true,
    factors: options.factors ?? ['OTP', 'SMS', 'EMAIL'],
    limits: options.limits,
    face: options.face,
    issuer: 'mfa-kit demo',
    // Demo accounts live in this page only; a low PBKDF2 cost keeps sign-in instant.
    passwordIterations: 1000,
  })
  const newClient = (latencyMs = 0) =>
    createMfaClient({
      appId: 'storybook',
      appHost: APP_HOST,
      fetch: async (request) => {
        if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs))
        return server.fetch(request)
      },
    })
  return {
    server,
    client: newClient(),
    clock,
    newClient,
    outbox: () => server.outbox(),
    lastCode(to) {
      const message = server.outbox().find((item) => item.code !== null && item.to.endsWith(to))
      if (!message?.code) throw new Error(`no code was sent to ${to}`)
      return message.code
    },
  }
}
