import '@testing-library/jest-dom/vitest'
import { StrictMode } from 'react'
import type { ReactElement, ReactNode } from 'react'
import { notifyManager } from '@tanstack/react-query'
import { act, render } from '@testing-library/react'
import axe from 'axe-core'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import { isMfaError, MfaProvider } from '@mfa-kit/hooks'
import { createFakeClock, createMfaServer } from '@mfa-kit/server'
import type { MfaServerOptions } from '@mfa-kit/server'
// The ui never talks to the client itself; its tests build one to hand to MfaProvider.
import { createMfaClient } from '@mfa-kit/client'
import type { MfaClient } from '@mfa-kit/client'
import { totpCode } from './authenticator.testing'

// axe probes canvas support, which jsdom does not implement (it prints a warning for each probe).
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext

const consoleMethods = ['error', 'warn', 'log', 'info', 'debug'] as const

/** Fails the test on any console output: React warnings, act() warnings, and any logged secret. */
export function failOnConsole(): void {
  let calls: unknown[][] = []
  beforeEach(() => {
    calls = []
    for (const m of consoleMethods) vi.spyOn(console, m).mockImplementation((...args) => void calls.push([m, ...args]))
  })
  afterEach(() => {
    vi.restoreAllMocks()
    expect(calls, 'console output').toEqual([])
  })
}

// Captured before any test fakes timers.
const realSetTimeout = globalThis.setTimeout

/**
 * Waits in real time (inside act) until `check` holds: the server core's WebCrypto work runs on
 * real time, which fake timers do not move.
 */
export async function waitUntil(check: () => boolean, timeoutMs = 4_000): Promise<void> {
  const start = performance.now()
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`waitUntil: still false after ${timeoutMs} ms`)
    await act(() => new Promise<void>((resolve) => realSetTimeout(resolve, 5)))
  }
}

/** TanStack Query delivers updates on a 0 ms timer; with fake timers, deliver them on microtasks. */
export function queryUpdatesOnMicrotasks(): void {
  beforeEach(() => notifyManager.setScheduler((cb) => queueMicrotask(cb)))
  afterEach(() => notifyManager.setScheduler((cb) => setTimeout(cb, 0)))
}

/**
 * Checks the rendered document: axe finds no violation, and nothing relies on inline styles or
 * injected CSS (no `style=` attribute anywhere, no `<style>` element, no constructed sheet), so
 * the components work under `style-src 'self'`. Run it with real timers (axe uses them).
 */
export async function expectAccessibleAndCspSafe(container: Element = document.body): Promise<void> {
  expectNoInlineStyles()
  const result = await axe.run(container, {
    // Components are fragments of a page: the page owns its landmarks.
    rules: { region: { enabled: false } },
  })
  expect(
    result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(', ')})`),
    'axe violations',
  ).toEqual([])
}

/** No `style` attribute in the markup, and no style element or stylesheet added at run time. */
function expectNoInlineStyles(): void {
  expect(document.documentElement.outerHTML).not.toMatch(/\sstyle=/i)
  expect(document.querySelectorAll('style, link[rel="stylesheet"]')).toHaveLength(0)
  expect(document.styleSheets).toHaveLength(0)
}

export const PASSWORD = 'correct horse battery staple'

export { readQrCode, totpCode, wrongTotpCode } from './authenticator.testing'

/** The reference server in-process (memory store, fake clock), and helpers to sign users in. */
export function createKit(options: Partial<MfaServerOptions> = {}) {
  const clock = createFakeClock()
  const server = createMfaServer({
    clock,
    dev: true,
    factors: ['OTP'],
    passwordIterations: 1,
    allowPlainPasswords: true,
    ...options,
  })
  let users = 0
  const newClient = (): MfaClient =>
    createMfaClient({ appId: 'app1', appHost: 'http://mfa.test', fetch: (request: Request) => server.fetch(request) })

  /** Codes sent to `to` (an email, or a phone matched by its digits), newest first. */
  async function outbox(to: string): Promise<string[]> {
    const res = await server.fetch(new Request('http://mfa.test/api/dev/outbox'))
    const body = (await res.json()) as { data: { to: string; code: string | null }[] }
    const same = (sentTo: string) => (to.includes('@') ? sentTo === to : sentTo.replace(/\D/g, '').endsWith(to.replace(/\D/g, '')))
    return body.data.filter((m) => m.code !== null && same(m.to)).map((m) => m.code!)
  }

  const kit = {
    clock,
    server,
    newClient,
    outbox,
    /** The newest code sent to `to`. */
    async lastCode(to: string): Promise<string> {
      const [code] = await outbox(to)
      if (!code) throw new Error(`no code was sent to ${to}`)
      return code
    },
    /** Registers a fresh account by username (no email, no phone) and signs in: it may bind a first factor. */
    async signInToBind(username = `user${++users}_${Date.now()}`) {
      const client = newClient()
      await client.auth.registerByUsername(username, PASSWORD).catch((e: unknown) => {
        if (!(isMfaError(e) && e.code === 'user_exists')) throw e
      })
      const result = await client.auth.loginByUsername(username, PASSWORD)
      if (result.status !== 'mfa_required') throw new Error('expected MFA to be required')
      return { client, username, mfaToken: result.mfaToken, trigger: result.trigger }
    },
    /** An account that bound `phone` during its first sign-in, signed in again: a code goes to that phone. */
    async signInWithPhone(phone: string) {
      const first = await kit.signInToBind()
      await first.client.auth.sendSmsCode(phone)
      await first.client.mfa.verifyAppSmsMfa({ phone, code: await kit.lastCode(phone), mfaToken: first.mfaToken })
      clock.advance(60_000)
      return kit.signInToBind(first.username)
    },
    /** Registers a fresh account and signs in with a password: MFA is required. */
    async signIn(email = `user${++users}.${Date.now()}@example.com`) {
      const client = newClient()
      await client.auth.registerByEmail(email, PASSWORD).catch((e: unknown) => {
        if (!(isMfaError(e) && e.code === 'user_exists')) throw e
      })
      const result = await client.auth.loginByEmail(email, PASSWORD)
      if (result.status !== 'mfa_required') throw new Error('expected MFA to be required')
      return { client, email, mfaToken: result.mfaToken, trigger: result.trigger }
    },
    /** An account with TOTP bound during its first login, signed in again: TOTP must be verified. */
    async signInWithTotp() {
      const first = await kit.signIn()
      const association = await first.client.mfa.associateMfaAuthenticator({ source: 'APPLICATION', mfaToken: first.mfaToken })
      await first.client.mfa.confirmAssociateMfaAuthenticator({
        source: 'APPLICATION',
        mfaToken: first.mfaToken,
        totp: totpCode(association.secret, clock.now()),
      })
      clock.advance(30_000)
      const again = await kit.signIn(first.email)
      return { ...again, secret: association.secret, recoveryCode: association.recovery_code }
    },
    /** Renders `ui` inside an MfaProvider on `client` and the server's clock. */
    render(client: MfaClient, ui: ReactElement, { strict = false } = {}) {
      function Wrapper({ children }: { children?: ReactNode }) {
        const tree = (
          <MfaProvider client={client} now={clock.now}>
            {children}
          </MfaProvider>
        )
        return strict ? <StrictMode>{tree}</StrictMode> : tree
      }
      return render(ui, { wrapper: Wrapper })
    },
  }
  return kit
}

export type Kit = ReturnType<typeof createKit>
