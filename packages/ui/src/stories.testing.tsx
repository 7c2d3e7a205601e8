/**
 * What the ui stories share: accounts prepared through the reference server's real API before a
 * story renders (a sign-in waiting for its second factor, a locked factor, an expired sign-in), the
 * demo accounts of the drop-in stories (shown beside them, to go on by hand), a slower network to
 * show the busy states, and the globals and checks of the language, theme, direction and
 * screen-width stories. Nothing here answers for the server.
 */

import type { Decorator, StoryContext } from '@storybook/react-vite'
import { useEffect, useMemo, useState } from 'react'
import { isMfaError, MfaProvider } from '@mfa-kit/hooks'
import type { MfaClient, MfaTrigger } from '@mfa-kit/hooks'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { DEMO_PASSWORD } from '../../../.storybook/live'
import type { LiveMfa, LiveMfaOptions } from '../../../.storybook/live'
import { totpCode, wrongTotpCode } from './authenticator.testing'
import { loadMfaLocale } from './i18n/provider'
import type { MfaLocale, MfaMessages } from './i18n/types'

const prepared = new WeakMap<LiveMfa, unknown>()

/** The live server of a story, from its loaders. */
export function liveOf(context: Pick<StoryContext, 'loaded'>): LiveMfa {
  const live = context.loaded.mfa as LiveMfa | undefined
  if (!live) throw new Error('This story needs `parameters.mfa`')
  return live
}

/**
 * The `parameters.mfa` of a story that runs against a fresh live server, prepared by `prepare`
 * (through the server's real API) before it renders. The story's render and play read what
 * `prepare` returned with {@link preparedFor}.
 */
export function liveServer<T>(prepare: (live: LiveMfa) => Promise<T>, options: Omit<LiveMfaOptions, 'setup'> = {}): LiveMfaOptions {
  return {
    ...options,
    setup: async (live) => {
      prepared.set(live, await prepare(live))
    },
  }
}

/** What the story's `prepare` returned, with the live server itself as `live`. */
export function preparedFor<T>(context: Pick<StoryContext, 'loaded'>): T & { live: LiveMfa } {
  const live = liveOf(context)
  if (!prepared.has(live)) throw new Error('This story needs `parameters: { mfa: liveServer(…) }`')
  return { ...(prepared.get(live) as T), live }
}

/** An account waiting for its second factor: the mfaToken and what the server said about it. */
export interface PendingSignIn {
  /** The email or username the account signs in with. */
  account: string
  mfaToken: string
  trigger: MfaTrigger
}

function pending(account: string, result: Awaited<ReturnType<MfaClient['auth']['loginByEmail']>>): PendingSignIn {
  if (result.status !== 'mfa_required') throw new Error(`${account} signed in without a second factor`)
  return { account, mfaToken: result.mfaToken, trigger: result.trigger }
}

const ignoreExisting = (error: unknown) => {
  if (!(isMfaError(error) && error.code === 'user_exists')) throw error
}

/** Registers `email` (once) and signs in with the password: the second factor is asked for. */
export async function signIn(live: LiveMfa, email = 'ada@example.com'): Promise<PendingSignIn> {
  await live.client.auth.registerByEmail(email, DEMO_PASSWORD).catch(ignoreExisting)
  return pending(email, await live.client.auth.loginByEmail(email, DEMO_PASSWORD))
}

/** Registers `username` (no email, no phone: the account may bind a first factor) and signs in. */
export async function signInToBind(live: LiveMfa, username = 'grace'): Promise<PendingSignIn> {
  await live.client.auth.registerByUsername(username, DEMO_PASSWORD).catch(ignoreExisting)
  return pending(username, await live.client.auth.loginByUsername(username, DEMO_PASSWORD))
}

export interface TotpSignIn extends PendingSignIn {
  /** The setup key the account's authenticator app holds. */
  secret: string
  /** The recovery code saved when the app was set up. */
  recoveryCode: string
}

/** An account that set up an authenticator app on its first sign-in, signing in again. */
export async function signInWithTotp(live: LiveMfa, email = 'ada@example.com'): Promise<TotpSignIn> {
  const first = await signIn(live, email)
  const app = await bindAuthenticatorApp(live, live.client, first.mfaToken)
  // The next code: the server refuses a code twice (replay).
  live.clock.advance(30_000)
  const again = await signIn(live, email)
  return { ...again, ...app }
}

/** Binds an authenticator app to the sign-in `mfaToken` of `client`, confirmed with its current code. */
async function bindAuthenticatorApp(live: LiveMfa, client: MfaClient, mfaToken: string): Promise<{ secret: string; recoveryCode: string }> {
  const binding = { source: 'APPLICATION', mfaToken } as const
  const association = await client.mfa.associateMfaAuthenticator(binding)
  await client.mfa.confirmAssociateMfaAuthenticator({ ...binding, totp: totpCode(association.secret, live.clock.now()) })
  return { secret: association.secret, recoveryCode: association.recovery_code }
}

/** An account signed in with its authenticator app: the live client holds its session. */
export async function signedInWithTotp(live: LiveMfa): Promise<TotpSignIn> {
  const account = await signInWithTotp(live)
  await live.client.mfa.verifyTotpMfa({ mfaToken: account.mfaToken, totp: totpCode(account.secret, live.clock.now()) })
  return account
}

/**
 * Sends wrong codes with `attempt` until the server locks the factor (its real threshold), signing
 * in again with `again` whenever a sign-in used up its own attempts first. Returns a fresh sign-in
 * whose first code the server answers with the lock and its countdown.
 */
async function signInAgainLocked<T extends PendingSignIn>(
  account: T,
  again: () => Promise<PendingSignIn>,
  attempt: (mfaToken: string) => Promise<unknown>,
): Promise<T> {
  let { mfaToken } = account
  for (;;) {
    const error = await attempt(mfaToken).then(
      () => null,
      (e: unknown) => e,
    )
    if (!isMfaError(error)) throw new Error('a wrong code was accepted')
    if (error.code === 'rate_limited') return { ...account, ...(await again()) }
    if (error.code === 'too_many_attempts') mfaToken = (await again()).mfaToken
    else if (error.code !== 'invalid_code' && error.code !== 'invalid_recovery_code') throw error
  }
}

/** An account with an authenticator app whose codes the server locked after wrong ones, signing in again. */
export async function signInWithTotpLocked(live: LiveMfa): Promise<TotpSignIn> {
  const account = await signInWithTotp(live)
  return signInAgainLocked(
    account,
    () => signIn(live, account.account),
    (mfaToken) => live.client.mfa.verifyTotpMfa({ mfaToken, totp: wrongTotpCode(account.secret, live.clock.now()) }),
  )
}

/** A recovery code that was never issued. */
export const WRONG_RECOVERY_CODE = 'abcd-ef01-2345-6789-abcd-ef01'

/** As {@link signInWithTotpLocked}, with wrong recovery codes: the recovery code is locked. */
export async function signInWithRecoveryCodeLocked(live: LiveMfa): Promise<TotpSignIn> {
  const account = await signInWithTotp(live)
  return signInAgainLocked(
    account,
    () => signIn(live, account.account),
    (mfaToken) => live.client.mfa.verifyTotpRecoveryCode({ mfaToken, recoveryCode: WRONG_RECOVERY_CODE }),
  )
}

/** The demo phone: the codes sent to it show in the demo inbox. */
export const DEMO_PHONE = '13800138000'
/** How the flows show the demo phone. */
export const DEMO_PHONE_MASKED = '+86 138****8000'

export interface PhoneSignIn extends PendingSignIn {
  phone: string
}

/** An account that added the demo phone as its factor on its first sign-in, signing in again: a code goes to that phone. */
export async function signInWithPhone(live: LiveMfa): Promise<PhoneSignIn> {
  const first = await signInToBind(live)
  await live.client.auth.sendSmsCode(DEMO_PHONE)
  await live.client.mfa.verifyAppSmsMfa({ phone: DEMO_PHONE, code: live.lastCode(DEMO_PHONE), mfaToken: first.mfaToken })
  // A minute on, so that the next code may be sent at once (the server paces codes to one phone).
  live.clock.advance(60_000)
  return { ...(await signInToBind(live, first.account)), phone: DEMO_PHONE }
}

/** An account signed in with a code sent to the demo phone: the live client holds its session. */
export async function signedInWithPhone(live: LiveMfa): Promise<PhoneSignIn> {
  const account = await signInWithPhone(live)
  await live.client.auth.sendSmsCode(DEMO_PHONE)
  await live.client.mfa.verifyAppSmsMfa({ phone: DEMO_PHONE, code: live.lastCode(DEMO_PHONE), mfaToken: account.mfaToken })
  return account
}

/**
 * An account with the demo phone whose codes the server locked after wrong ones, signing in
 * again. No code is sent meanwhile, so that the story's own code goes out at once.
 */
export async function signInWithPhoneLocked(live: LiveMfa): Promise<PhoneSignIn> {
  const account = await signInWithPhone(live)
  const wrong = otherCode(live.lastCode(DEMO_PHONE))
  return signInAgainLocked(
    account,
    () => signInToBind(live, account.account),
    (mfaToken) => live.client.mfa.verifyAppSmsMfa({ phone: DEMO_PHONE, code: wrong, mfaToken }),
  )
}

/** How recent a sign-in must be for a change to the account's factors on the reference server (its default). */
export const RECENT_SIGN_IN_MS = 5 * 60_000

/** The lifetime of a sign-in waiting for its second factor on the reference server (its default). */
const MFA_TOKEN_LIFETIME_MS = 10 * 60_000

/** Moves the server's clock past the lifetime of the sign-in: the next answer says it expired. */
function expireSignIn(live: LiveMfa): void {
  live.clock.advance(MFA_TOKEN_LIFETIME_MS + 1_000)
}

/** `prepare`, then the clock moved past the sign-in's lifetime. */
export function thenExpired<T>(prepare: (live: LiveMfa) => Promise<T>): (live: LiveMfa) => Promise<T> {
  return async (live) => {
    const prepared = await prepare(live)
    expireSignIn(live)
    return prepared
  }
}

/** Waits until the code flow on screen says its code was sent. */
export async function expectCodeSent(canvasElement: HTMLElement): Promise<void> {
  await waitFor(() => expect(canvasElement.querySelector('[data-mfa]')).toHaveAttribute('data-state', 'code_sent'), { timeout: 3_000 })
}

/** The code a flow on screen sent to `to`, as the demo inbox shows it, once the flow says it was sent. */
export async function codeSentTo(canvasElement: HTMLElement, live: LiveMfa, to: string): Promise<string> {
  await expectCodeSent(canvasElement)
  return live.lastCode(to)
}

/** A six-digit code that is not `right`. */
export const otherCode = (right: string) => (right === '000000' ? '111111' : '000000')

/**
 * The server answering `latencyMs` later, as on a slow mobile network, so that the busy state of a
 * flow can be seen (and asserted) before the answer lands. The answers are the server's own.
 */
export function slowNetwork(latencyMs = 800): Decorator {
  return function SlowNetwork(Story, context) {
    const { live } = preparedFor(context)
    const client = useMemo(() => live.newClient(latencyMs), [live])
    return (
      <MfaProvider client={client} now={live.clock.now}>
        <Story />
      </MfaProvider>
    )
  }
}

/** The globals of a story on a 320 px wide phone screen (Storybook's smallest viewport). */
export const phoneScreen = { viewport: { value: 'mobile1', isRotated: false } }

/** Asserts that nothing is wider than a 320 px screen: no sideways scrolling. */
export async function expectFitsPhoneScreen(canvasElement: HTMLElement): Promise<void> {
  await expect(window.innerWidth).toBeLessThanOrEqual(320)
  await expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(window.innerWidth)
  for (const card of canvasElement.querySelectorAll('[data-mfa]'))
    await expect(card.getBoundingClientRect().right).toBeLessThanOrEqual(window.innerWidth)
}

/** Asserts the page is in the dark theme: the cards use the dark colours. */
export async function expectDarkTheme(canvasElement: HTMLElement): Promise<void> {
  await waitFor(() => expect(document.documentElement).toHaveAttribute('data-theme', 'dark'))
  const card = canvasElement.querySelector('[data-mfa], [data-part="otp-slot"]')!
  const [red, green, blue] = getComputedStyle(card).color.match(/\d+/g)!.map(Number)
  // Light text on a dark card.
  await expect(red! + green! + blue!).toBeGreaterThan(3 * 180)
}

/** Asserts a right-to-left page whose code boxes stay left to right. */
export async function expectRightToLeft(canvasElement: HTMLElement): Promise<void> {
  await waitFor(() => expect(document.documentElement).toHaveAttribute('dir', 'rtl'))
  for (const group of canvasElement.querySelectorAll('[data-part="otp-group"]')) await expect(group).toHaveAttribute('dir', 'ltr')
}

/**
 * The strings of `locale`, once the story shows them: waits for `heading` (picked from those
 * strings) to be on screen, and for the root to carry the language.
 */
export async function expectLanguage(
  canvasElement: HTMLElement,
  locale: MfaLocale,
  heading: (messages: MfaMessages) => string,
): Promise<MfaMessages> {
  const messages = await loadMfaLocale(locale)
  await within(canvasElement).findByRole('heading', { name: heading(messages) })
  await expect(canvasElement.querySelector('[data-mfa]')).toHaveAttribute('lang', locale)
  return messages
}

/** What a story's play function is given that the shared stories below read. */
type PlayContext = Pick<StoryContext, 'canvasElement' | 'loaded'>

/** The story on the dark theme: the cards use the dark colours. */
export const darkThemeStory = {
  globals: { theme: 'dark' },
  play: ({ canvasElement }: PlayContext) => expectDarkTheme(canvasElement),
}

/** The story on a right-to-left page: the code boxes stay left to right. */
export const rightToLeftStory = {
  globals: { dir: 'rtl' },
  play: ({ canvasElement }: PlayContext) => expectRightToLeft(canvasElement),
}

/**
 * The story in `locale`: its `heading` shows, the root carries the language, and the text box
 * labelled `label` is on screen; `then` goes on from there (e.g. with a wrong code, whose error is
 * in that language too).
 */
export function languageStory(
  locale: MfaLocale,
  heading: (messages: MfaMessages) => string,
  label: (messages: MfaMessages) => string,
  then?: (input: HTMLElement, messages: MfaMessages, context: PlayContext) => Promise<void>,
) {
  return {
    globals: { locale },
    play: async (context: PlayContext) => {
      const messages = await expectLanguage(context.canvasElement, locale, heading)
      const input = within(context.canvasElement).getByRole('textbox', { name: label(messages) })
      await expect(input).toBeVisible()
      await then?.(input, messages, context)
    },
  }
}

/**
 * Asserts the step of a sign-in that expired: its heading focused, `onExpired` called, and "Sign
 * in again" calling `onRestart`.
 */
export async function expectExpiredStep(
  canvasElement: HTMLElement,
  args: { onExpired?: (...a: never[]) => unknown; onRestart?: (...a: never[]) => unknown },
): Promise<void> {
  const canvas = within(canvasElement)
  const heading = await canvas.findByRole('heading', { name: 'Your sign-in has expired' })
  await waitFor(() => expect(heading).toHaveFocus())
  await expect(args.onExpired).toHaveBeenCalledOnce()
  await userEvent.click(canvas.getByRole('button', { name: 'Sign in again' }))
  await expect(args.onRestart).toHaveBeenCalledOnce()
}

/** The text of the elements that describe `input` (its error or countdown). */
function description(input: HTMLElement): string {
  const ids = input.getAttribute('aria-describedby')?.split(/\s+/) ?? []
  return ids.map((id) => input.ownerDocument.getElementById(id)?.textContent ?? '').join(' ')
}

/**
 * Asserts the lock a code input shows after the server refused an attempt: the countdown linked to
 * the input, which stays focused and read-only, and which follows the server's clock (moved on ten
 * seconds here).
 */
export async function expectLockCountdown(input: HTMLElement, live: LiveMfa): Promise<void> {
  const countdown = /^Too many attempts\. Try again in (\d+) seconds\.$/
  const secondsLeft = () => Number(countdown.exec(description(input))?.[1] ?? Number.NaN)
  await waitFor(() => expect(secondsLeft()).toBeGreaterThan(10))
  const before = secondsLeft()
  await expect(input).toHaveAttribute('readonly')
  await expect(input).toHaveAttribute('aria-disabled', 'true')
  await expect(input).toHaveFocus()
  live.clock.advance(10_000)
  // Ten seconds less, give or take the second that real time may have ticked meanwhile.
  await waitFor(() => expect(before - secondsLeft()).toBeGreaterThanOrEqual(10))
  await expect(before - secondsLeft()).toBeLessThanOrEqual(12)
}

/** The setup key a TOTP binding shows (without the spaces between its groups), as a person would type it into an app. */
export function shownSetupKey(canvasElement: HTMLElement): string {
  const key = canvasElement.querySelector('[data-part="totp-secret-value"]')?.textContent
  if (!key) throw new Error('no setup key on screen')
  return key.replace(/\s/g, '')
}

/** A photo as a person would pick one to upload: a JPEG drawn in the page (a face-shaped oval, not a real face). */
export async function pickedPhoto(): Promise<File> {
  const canvas = document.createElement('canvas')
  canvas.width = 320
  canvas.height = 240
  const context = canvas.getContext('2d')!
  context.fillStyle = '#8aa1b1'
  context.fillRect(0, 0, canvas.width, canvas.height)
  context.fillStyle = '#e0b894'
  context.beginPath()
  context.ellipse(160, 120, 60, 80, 0, 0, 2 * Math.PI)
  context.fill()
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no JPEG'))), 'image/jpeg'),
  )
  return new File([blob], 'me.jpg', { type: 'image/jpeg' })
}

/** Clicks "Turn on camera" and waits until the camera's picture plays and a photo can be taken. */
export async function turnOnCamera(canvasElement: HTMLElement): Promise<HTMLElement> {
  const canvas = within(canvasElement)
  await userEvent.click(canvas.getByRole('button', { name: 'Turn on camera' }))
  const shutter = await canvas.findByRole('button', { name: 'Take photo' }, { timeout: 5_000 })
  await waitFor(() => expect(canvasElement.querySelector('video')?.readyState).toBeGreaterThanOrEqual(2), { timeout: 5_000 })
  await waitFor(() => expect(shutter).not.toHaveAttribute('aria-disabled'))
  return shutter
}

/** A demo account a visitor may also sign in with by hand (its name and password are shown beside the story). */
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

interface DemoAccountOptions {
  username?: string
  /** An authenticator app bound during the first sign-in. */
  totp?: boolean
  /** The story's own client signed in with it, second factor included, so the story starts signed in. */
  signedIn?: boolean
  /** Once signed in, a phone added as a factor too (its code read from the outbox). */
  phone?: string
}

const accounts = new WeakMap<LiveMfa, DemoAccount>()

/** The account a story's setup made. */
export function demoAccount(live: LiveMfa): DemoAccount {
  const account = accounts.get(live)
  if (!account) throw new Error('this story set up no demo account')
  return account
}

/**
 * The app's code for the next 30-second step: the clock moves on first, so that no code is used
 * twice (the server refuses a replayed one).
 */
export function nextTotpCode(live: LiveMfa, secret: string): string {
  live.clock.advance(30_000)
  return totpCode(secret, live.clock.now())
}

/**
 * Registers `username` (no email, no phone: its first sign-in may bind a factor) on a client of
 * its own, and makes of it what `options` say.
 */
export async function createDemoAccount(
  live: LiveMfa,
  { username = 'ada', totp = false, signedIn = false, phone }: DemoAccountOptions = {},
): Promise<DemoAccount> {
  const client = live.newClient()
  await client.auth.registerByUsername(username, DEMO_PASSWORD)
  const account: DemoAccount = { username, password: DEMO_PASSWORD, secret: null, recoveryCode: null, trigger: null }
  if (totp) {
    const login = pending(username, await client.auth.loginByUsername(username, DEMO_PASSWORD))
    Object.assign(account, await bindAuthenticatorApp(live, client, login.mfaToken))
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

/**
 * The `parameters` of a story whose live server (with `mfa`) has the demo account `options` make,
 * then whatever `then` does.
 */
export function withDemoAccount(
  options: DemoAccountOptions = {},
  mfa: Omit<LiveMfaOptions, 'setup'> = {},
  then?: (live: LiveMfa) => unknown,
): { mfa: LiveMfaOptions } {
  return {
    mfa: {
      ...mfa,
      setup: async (live) => {
        await createDemoAccount(live, options)
        await then?.(live)
      },
    },
  }
}

/** Signs the demo account in with its password on the story's client: the second factor is still to come. */
export async function signInToChallenge(live: LiveMfa): Promise<MfaTrigger> {
  const account = demoAccount(live)
  const { trigger } = pending(account.username, await live.client.auth.loginByUsername(account.username, account.password))
  account.trigger = trigger
  return trigger
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
function DemoAccountNote({ live }: { live: LiveMfa }) {
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

/** Shows the demo account (see {@link DemoAccountNote}) under the story. */
export const withDemoAccountNote: Decorator = (Story, context) => (
  <>
    <Story />
    <DemoAccountNote live={liveOf(context)} />
  </>
)
