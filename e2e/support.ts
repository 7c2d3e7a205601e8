/**
 * What every journey shares: checks that run after each test (no console error, no CSP violation,
 * no secret left in storage, the URL history or the title), an axe scan of a screen, the QR code
 * read back from a screenshot, and the dev inbox of the server.
 */

import AxeBuilder from '@axe-core/playwright'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test as base, type Locator, type Page, type TestInfo } from '@playwright/test'
import jsQR from 'jsqr'
import * as OTPAuth from 'otpauth'
import { PNG } from 'pngjs'

interface OutboxMessage {
  channel: 'sms' | 'email'
  to: string
  code: string | null
  text: string
}

interface JourneyFixtures {
  /** Every value that must never be stored or shown in a URL or title: add secrets, codes, tokens. */
  secrets: Set<string>
}

export const test = base.extend<JourneyFixtures>({
  secrets: async ({ page }, use) => {
    const secrets = new Set<string>()
    const consoleErrors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
    await page.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { __cspViolations: string[] }).__cspViolations = seen
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective}: ${event.blockedURI}`))
    })
    await use(secrets)
    expect(consoleErrors, 'console errors').toEqual([])
    if (!page.isClosed()) {
      expect(
        await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []),
        'CSP violations',
      ).toEqual([])
      await expectNothingStored(page, secrets)
    }
  },
})

export { expect }

/** localStorage, sessionStorage, cookies, the URL and document.title hold none of the secrets. */
export async function expectNothingStored(page: Page, secrets: Set<string>): Promise<void> {
  const surfaces = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    url: location.href,
    title: document.title,
    historyLength: String(history.length),
  }))
  const cookies = JSON.stringify(await page.context().cookies())
  for (const secret of secrets) {
    if (secret.length < 4) continue
    for (const [where, text] of Object.entries({ ...surfaces, cookies })) {
      expect(text.includes(secret), `${where} holds a secret`).toBe(false)
    }
  }
}

/** axe finds nothing on the current screen (with all its rules, or with those named). */
export async function expectAccessible(page: Page, rules?: string[]): Promise<void> {
  const axe = new AxeBuilder({ page })
  const result = await (rules ? axe.withRules(rules) : axe).analyze()
  expect(
    result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
  ).toEqual([])
}

/** The otpauth URI in a QR code on screen, read back from a screenshot of it. */
export async function readQrCode(qr: Locator): Promise<string> {
  const png = PNG.sync.read(await qr.screenshot())
  const decoded = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)
  if (!decoded) throw new Error('no QR code could be read from the screenshot')
  return decoded.data
}

/**
 * An authenticator app for one otpauth URI. The server accepts the codes of one step either side
 * of its own and never the same or an earlier step twice, so each code comes from the step after
 * the last one used: the current step, or the next, or (after both) once the clock gets there.
 * A test never waits for the clock unless it signs in more than twice within one step.
 */
export class Authenticator {
  private readonly totp: OTPAuth.TOTP
  private lastStep = Number.NEGATIVE_INFINITY

  constructor(readonly uri: string) {
    this.totp = OTPAuth.URI.parse(uri) as OTPAuth.TOTP
  }

  /** The secret, for the list of values nothing may store. */
  get secret(): string {
    return this.totp.secret.base32
  }

  /** A code the server has not seen yet and will accept now. */
  async nextCode(): Promise<string> {
    const period = this.totp.period * 1000
    const current = Math.floor(Date.now() / period)
    const step = Math.max(current, this.lastStep + 1)
    // Two steps ahead is outside the server's window: wait until the clock is one step behind it.
    if (step > current + 1) await new Promise((resolve) => setTimeout(resolve, (step - 1) * period - Date.now() + 200))
    this.lastStep = step
    return this.totp.generate({ timestamp: step * period })
  }

  /** A code that is surely wrong now (none of the steps in the server's window). */
  wrongCode(): string {
    const now = Date.now()
    const near = new Set([-1, 0, 1, 2].map((offset) => this.totp.generate({ timestamp: now + offset * this.totp.period * 1000 })))
    for (let n = 0; ; n++) {
      const candidate = String((123456 + n * 111111) % 1_000_000).padStart(6, '0')
      if (!near.has(candidate)) return candidate
    }
  }
}

/** The messages of the server's dev inbox, newest first. */
export async function inbox(page: Page): Promise<OutboxMessage[]> {
  const response = await page.request.get('/api/dev/outbox')
  return ((await response.json()) as { data: OutboxMessage[] }).data
}

/** The newest code sent to a phone or email. */
export async function lastCode(page: Page, to: string): Promise<string> {
  const message = (await inbox(page)).find((item) => item.code !== null && item.to.endsWith(to))
  if (!message?.code) throw new Error(`no code was sent to ${to}`)
  return message.code
}

let counter = 0
/** An email no other test uses (tests run in several workers at once). */
export const freshEmail = (tag: string) => `${tag}-${Date.now().toString(36)}-${process.pid.toString(36)}-${++counter}@example.com`

/** The password of every account the journeys create. */
export const PASSWORD = 'correct horse battery staple'

/** Where the screenshots of a journey go: `.tmp/e2e-artifacts/<project>/<journey>/`. */
function artifactDir(info: TestInfo): string {
  const journey = info.titlePath
    .slice(1)
    .join(' ')
    .replace(/@\w+/g, '')
    .trim()
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase()
  const dir = join('.tmp/e2e-artifacts', info.project.name, journey.slice(0, 80))
  mkdirSync(dir, { recursive: true })
  return dir
}

/**
 * Each screen of a journey: an axe scan with no violation; with `shots`, a full-page screenshot
 * in the light and the dark theme (the kit follows `prefers-color-scheme`), both scanned.
 */
export function screens(page: Page, info: TestInfo, { shots = false } = {}) {
  let count = 0
  return async (name: string) => {
    await expectAccessible(page)
    if (!shots) return
    const prefix = join(artifactDir(info), `${String(++count).padStart(2, '0')}-${name}`)
    await page.screenshot({ path: `${prefix}-light.png`, fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: `${prefix}-dark.png`, fullPage: true })
    await expectAccessible(page, ['color-contrast'])
    await page.emulateMedia({ colorScheme: 'light' })
  }
}
