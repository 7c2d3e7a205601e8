/**
 * Demo accounts for the stories, made through the live server's real API (registering, signing
 * in, binding an authenticator app with a code computed as a phone would), never by writing to
 * its store. A story sets one up in `parameters.mfa.setup`; its render and play functions find it
 * with `demoAccount(live)`.
 */

import { useEffect, useState } from 'react'
import * as OTPAuth from 'otpauth'
import { createMfaClient, type MfaClient, type MfaTrigger } from '@mfa-kit/client'
import { APP_HOST, DEMO_PASSWORD, type LiveMfa } from './live'

export interface DemoAccount {
  /** What to type in "Email, phone or username". */
  username: string
  password: string
  /** The authenticator app's secret, when one is bound. */
  secret: string | null
  /** The recovery code, when an authenticator app is bound. */
  recoveryCode: string | null
  /** The second factor the last `signInToChallenge` asked for. */
  trigger: MfaTrigger | null
}

const accounts = new WeakMap<LiveMfa, DemoAccount>()

/** The live server of a story, from its loaders. */
export function liveOf(context: { loaded: Record<string, unknown> }): LiveMfa {
  const live = context.loaded.mfa as LiveMfa | undefined
  if (!live) throw new Error('this story needs `parameters.mfa`')
  return live
}

/** The account a story's setup made. */
export function demoAccount(live: LiveMfa): DemoAccount {
  const account = accounts.get(live)
  if (!account) throw new Error('this story set up no demo account')
  return account
}

/** The code an authenticator app shows for `secret` at `timestamp`. */
export function totpCode(secret: string, timestamp: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '')) }).generate({ timestamp })
}

/**
 * The app's code for the next 30-second step: the clock moves on first, so that no code is used
 * twice (the server refuses a replayed one).
 */
export function nextTotpCode(live: LiveMfa, secret: string): string {
  live.clock.advance(30_000)
  return totpCode(secret, live.clock.now())
}

/** A code that is neither the current one nor a neighbour. */
export function wrongTotpCode(live: LiveMfa, secret: string): string {
  const now = live.clock.now()
  const near = [-1, 0, 1].map((step) => totpCode(secret, now + step * 30_000))
  let n = 0
  while (near.includes(String(n).padStart(6, '0'))) n++
  return String(n).padStart(6, '0')
}

/** A client of its own on the same server, for setting things up beside the story's client. */
function setupClient(live: LiveMfa): MfaClient {
  return createMfaClient({ appId: 'storybook', appHost: APP_HOST, fetch: (request) => live.server.fetch(request) })
}

/**
 * Registers `username` (no email, no phone: its first sign-in may bind a factor) and, with
 * `totp`, binds an authenticator app during that first sign-in. With `signedIn`, the story's own
 * client is then signed in with it, second factor included, so the story starts signed in.
 */
export async function createDemoAccount(
  live: LiveMfa,
  {
    username = 'ada',
    totp = false,
    signedIn = false,
    phone,
  }: {
    username?: string
    totp?: boolean
    signedIn?: boolean
    /** Once signed in, a phone added as a factor too (its code read from the outbox). */
    phone?: string
  } = {},
): Promise<DemoAccount> {
  const client = setupClient(live)
  await client.auth.registerByUsername(username, DEMO_PASSWORD)
  const account: DemoAccount = { username, password: DEMO_PASSWORD, secret: null, recoveryCode: null, trigger: null }
  if (totp) {
    const login = await client.auth.loginByUsername(username, DEMO_PASSWORD)
    if (login.status !== 'mfa_required') throw new Error('the demo server should ask for a second factor')
    const association = await client.mfa.associateMfaAuthenticator({ source: 'APPLICATION', mfaToken: login.mfaToken })
    await client.mfa.confirmAssociateMfaAuthenticator({
      source: 'APPLICATION',
      mfaToken: login.mfaToken,
      totp: totpCode(association.secret, live.clock.now()),
    })
    account.secret = association.secret
    account.recoveryCode = association.recovery_code
  }
  accounts.set(live, account)
  if (signedIn) {
    const login = await live.client.auth.loginByUsername(username, DEMO_PASSWORD)
    if (login.status === 'mfa_required') {
      if (!account.secret) throw new Error('signing in needs a bound authenticator app')
      await live.client.mfa.verifyTotpMfa({ mfaToken: login.mfaToken, totp: nextTotpCode(live, account.secret) })
    }
    if (phone) {
      await live.client.auth.sendSmsCode(phone, { scene: 'mfa-bind' })
      await live.client.mfa.associateSmsMfa({ phone, code: live.lastCode(phone) })
    }
  }
  return account
}

/** Signs the demo account in with its password on the story's client: the second factor is still to come. */
export async function signInToChallenge(live: LiveMfa): Promise<MfaTrigger> {
  const account = demoAccount(live)
  const login = await live.client.auth.loginByUsername(account.username, account.password)
  if (login.status !== 'mfa_required') throw new Error('the demo server should ask for a second factor')
  account.trigger = login.trigger
  return login.trigger
}

/** The code the demo account's authenticator app shows now, as a phone would, every second. */
function useLiveTotpCode(live: LiveMfa, secret: string | null): string | null {
  const read = () => (secret ? totpCode(secret, live.clock.now()) : null)
  const [code, setCode] = useState(read)
  useEffect(() => {
    const timer = setInterval(() => setCode(secret ? totpCode(secret, live.clock.now()) : null), 1000)
    return () => clearInterval(timer)
  }, [live, secret])
  return code
}

/** What a visitor needs to go on by hand: the demo account, and the code its authenticator app shows. */
export function DemoAccountNote({ live }: { live: LiveMfa }) {
  const account = accounts.get(live)
  const code = useLiveTotpCode(live, account?.secret ?? null)
  if (!account) return null
  return (
    <div className="sb-demo-account" data-testid="demo-account">
      <p>
        Demo account: <code>{account.username}</code>, password <code>{account.password}</code>
        {code && (
          <>
            {' '}
            · its authenticator app shows <code>{code}</code>
          </>
        )}
      </p>
    </div>
  )
}
