/**
 * What every journey shares: checks that run after each test (no console error, no CSP violation,
 * no secret left in storage, the URL history or the title), an axe scan of a screen, the QR code
 * read back from a screenshot, and the dev inbox of the server.
 */

import AxeBuilder from '@axe-core/playwright'
import { expect, test as base, type Locator, type Page } from '@playwright/test'
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

/** axe finds nothing on the current screen. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze()
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

/** The authenticator app: the current code of an otpauth URI (or of the next step). */
export function authenticatorCode(uri: string, offsetSteps = 0): string {
  const totp = OTPAuth.URI.parse(uri) as OTPAuth.TOTP
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 })
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
/** An email no other test uses. */
export const freshEmail = (tag: string) => `${tag}-${Date.now().toString(36)}-${++counter}@example.com`
