import { StrictMode } from 'react'
import type { ReactNode } from 'react'
import { notifyManager, QueryClient } from '@tanstack/react-query'
import { renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import * as OTPAuth from 'otpauth'
import { createMfaClient, MfaError } from '@mfa-kit/client'
import type { MfaClient, MfaErrorCode, MfaTrigger } from '@mfa-kit/client'
import { createFakeClock, createMfaServer } from '@mfa-kit/server'
import type { MfaServerOptions } from '@mfa-kit/server'
import { MfaProvider } from './provider'
import type { TokenStore } from './session/session-store'

const methods = ['error', 'warn', 'log', 'info', 'debug'] as const

/**
 * Fails the test when anything is written to the console: React's act() warnings and
 * hook-order errors, and any logging of responses or secrets by the kit. A test that expects a
 * message takes it with `take()`, which empties the record.
 */
export function failOnConsole(): { take: () => unknown[][] } {
  let calls: unknown[][] = []
  beforeEach(() => {
    calls = []
    for (const m of methods) vi.spyOn(console, m).mockImplementation((...args) => void calls.push([m, ...args]))
  })
  afterEach(() => {
    vi.restoreAllMocks()
    expect(calls, 'console output').toEqual([])
  })
  return {
    take: () => {
      const taken = calls
      calls = []
      return taken
    },
  }
}

/**
 * A trigger as the client reports a 1636 (the application's MFA policy): nothing bound, the
 * profile empty, no factor offered. Tests set what they are about.
 */
export function mfaTrigger(overrides: Partial<MfaTrigger> = {}): MfaTrigger {
  return {
    authingCode: 1636,
    mfaToken: 'm',
    nickname: null,
    username: null,
    email: null,
    phone: null,
    phoneCountryCode: null,
    avatar: null,
    mfaPhone: null,
    mfaPhoneCountryCode: null,
    mfaEmail: null,
    totpMfaEnabled: false,
    faceMfaEnabled: false,
    passkeyEnabled: false,
    applicationMfa: [],
    current: null,
    ...overrides,
  }
}

/** An error the way the client reports it. */
export function mfaError(code: MfaErrorCode, retryAfterMs?: number): MfaError {
  return new MfaError(code, code, retryAfterMs === undefined ? {} : { retryAfterMs })
}

export const PASSWORD = 'correct horse battery staple'

/** Who signs in: an email account, or a username account with no email. */
export type Account = { email: string } | { username: string }

/** An outbox address matches an email exactly, and a phone by its digits (the server stores E.164). */
const sameDestination = (sentTo: string, to: string): boolean =>
  to.includes('@') ? sentTo === to : sentTo.replace(/\D/g, '').endsWith(to.replace(/\D/g, ''))

/** The TOTP code an authenticator app shows for `secret` at `timestamp`, computed by `otpauth`. */
export function totpCode(secret: string, timestamp: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp })
}

/** A code that is not the current one (nor a neighbour). */
export function wrongTotpCode(secret: string, timestamp: number): string {
  const near = [-1, 0, 1].map((d) => totpCode(secret, timestamp + d * 30_000))
  let n = 0
  while (near.includes(String(n).padStart(6, '0'))) n++
  return String(n).padStart(6, '0')
}

/**
 * The real reference server in-process (memory store, fake clock, dev outbox), and helpers to
 * create users and read codes. One server per test file; one fresh user and client per test.
 */
export function createKit(options: Partial<MfaServerOptions> = {}) {
  const clock = createFakeClock()
  let fetchCount = 0
  let tamper: ((body: unknown, request: Request) => unknown) | null = null
  const server = createMfaServer({
    clock,
    dev: true,
    factors: ['OTP', 'SMS', 'EMAIL'],
    passwordIterations: 1,
    allowPlainPasswords: true,
    ...options,
  })
  /** The server's own fetch; counts requests and can rewrite a reply for tampering tests. */
  const fetch = async (request: Request): Promise<Response> => {
    fetchCount++
    const response = await server.fetch(request)
    if (!tamper) return response
    const body = tamper(await response.json(), request)
    return new Response(JSON.stringify(body), { status: response.status, headers: response.headers })
  }
  let users = 0

  const newClient = (): MfaClient => createMfaClient({ appId: 'app1', appHost: 'http://mfa.test', fetch })

  async function outbox(to: string): Promise<string[]> {
    const res = await server.fetch(new Request('http://mfa.test/api/dev/outbox'))
    const body = (await res.json()) as { data: { to: string; code: string | null }[] }
    return body.data.filter((m) => m.code !== null && sameDestination(m.to, to)).map((m) => m.code!)
  }
  async function lastCode(to: string): Promise<string> {
    const [code] = await outbox(to)
    if (!code) throw new Error(`no code was sent to ${to}`)
    return code
  }

  /** Registers `account` unless it exists, and signs in with the password; MFA is required. */
  async function signIn(account: Account = { email: `user${++users}.${Date.now()}@example.com` }) {
    const client = newClient()
    const registered =
      'email' in account ? client.auth.registerByEmail(account.email, PASSWORD) : client.auth.registerByUsername(account.username, PASSWORD)
    await registered.catch((e: unknown) => {
      if (!(e instanceof MfaError && e.code === 'user_exists')) throw e
    })
    const result =
      'email' in account
        ? await client.auth.loginByEmail(account.email, PASSWORD)
        : await client.auth.loginByUsername(account.username, PASSWORD)
    if (result.status !== 'mfa_required') throw new Error('expected MFA to be required')
    return {
      client,
      account,
      email: 'email' in account ? account.email : '',
      mfaToken: result.mfaToken,
      trigger: result.trigger as MfaTrigger,
    }
  }

  /**
   * Signs in an account with no email or phone (registered by username): with no factor it could
   * use, it may bind one during this login.
   */
  const signInToBind = () => signIn({ username: `user${++users}_${Date.now()}` })

  return {
    clock,
    server,
    newClient,
    /** How many requests reached the server so far. */
    requests: () => fetchCount,
    /** Rewrites every reply until called with `null`. */
    tamper: (fn: typeof tamper) => {
      tamper = fn
    },
    /** Codes sent to `to` (an email, or a phone matched by its digits), newest first. */
    outbox,
    /** The newest code sent to `to`. */
    lastCode,
    signIn,
    signInToBind,
    /** An account that bound `phone` during its first login, signed in again: mfaPhone is set. */
    async signInWithPhone(phone: string) {
      const first = await signInToBind()
      await first.client.auth.sendSmsCode(phone)
      await first.client.mfa.verifyAppSmsMfa({ phone, code: await lastCode(phone), mfaToken: first.mfaToken })
      clock.advance(60_000)
      return signIn(first.account)
    },
    /** An account that bound TOTP during its first login, signed in again: TOTP must be verified. */
    async signInWithTotp() {
      const first = await signInToBind()
      const association = await first.client.mfa.associateMfaAuthenticator({ source: 'APPLICATION', mfaToken: first.mfaToken })
      await first.client.mfa.confirmAssociateMfaAuthenticator({
        source: 'APPLICATION',
        mfaToken: first.mfaToken,
        totp: totpCode(association.secret, clock.now()),
      })
      clock.advance(30_000)
      const again = await signIn(first.account)
      return { ...again, secret: association.secret, recoveryCode: association.recovery_code }
    },
    /** An account with TOTP, signed in by verifying it: the client holds a fresh access token. */
    async signedInWithTotp() {
      const pending = await this.signInWithTotp()
      await pending.client.mfa.verifyTotpMfa({ totp: totpCode(pending.secret, clock.now()), mfaToken: pending.mfaToken })
      return pending
    },
    /** A wrapper for renderHook: the provider with a fresh QueryClient and the server's clock. */
    wrapper(
      client: MfaClient,
      {
        strict = false,
        queryClient = new QueryClient(),
        tokenStore,
      }: { strict?: boolean; queryClient?: QueryClient; tokenStore?: TokenStore } = {},
    ) {
      return function Wrapper({ children }: { children?: ReactNode }) {
        const tree = (
          <MfaProvider client={client} queryClient={queryClient} now={clock.now} tokenStore={tokenStore}>
            {children}
          </MfaProvider>
        )
        return strict ? <StrictMode>{tree}</StrictMode> : tree
      }
    },
  }
}

export type Kit = ReturnType<typeof createKit>

/**
 * TanStack Query delivers updates on a 0 ms timer by default. Tests that fake timers deliver
 * them on the microtask queue instead, so `act()` sees them.
 */
export function queryUpdatesOnMicrotasks(): void {
  beforeEach(() => notifyManager.setScheduler((cb) => queueMicrotask(cb)))
  afterEach(() => notifyManager.setScheduler((cb) => setTimeout(cb, 0)))
}

/** Waits until `check` passes (React Testing Library's waitFor, with real timers). */
export function settle(check: () => void): Promise<void> {
  return waitFor(check, { timeout: 4_000 })
}

/** A browser WebOTP API: `navigator.credentials.get({ otp })` requests the test answers. */
export function installWebOtp() {
  const requests: { options: CredentialRequestOptions & { otp?: unknown }; resolve: (v: unknown) => void }[] = []
  ;(window as { OTPCredential?: unknown }).OTPCredential = function OTPCredential() {}
  Object.defineProperty(navigator, 'credentials', {
    configurable: true,
    value: {
      get: (options: CredentialRequestOptions) =>
        new Promise((resolve, reject) => {
          requests.push({ options, resolve })
          options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        }),
    },
  })
  return {
    requests,
    uninstall() {
      delete (window as { OTPCredential?: unknown }).OTPCredential
      delete (navigator as { credentials?: unknown }).credentials
    },
  }
}

/** Renders a flow hook and records every distinct status it passes through, in order. */
export function renderWithStatuses<O, R extends { status: string }>(
  useHook: (options: O) => R,
  options: O,
  wrapper: ReturnType<Kit['wrapper']>,
) {
  const statuses: string[] = []
  const view = renderHook(
    (o: O) => {
      const r = useHook(o)
      if (statuses.at(-1) !== r.status) statuses.push(r.status)
      return r
    },
    { wrapper, initialProps: options },
  )
  return { ...view, statuses }
}
