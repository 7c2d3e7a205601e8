import type { Page } from '@playwright/test'
import { main, signOutAndIn, signUpWithTotp } from './journeys'
import { expect, expectAccessible, freshEmail, inbox, test } from './support'

/**
 * The security settings page, from a session that bound TOTP at sign-in: adding a phone and an
 * email with a code from the inbox (and a resend that waits for its countdown), and removing the
 * authenticator app behind a confirmation.
 */

/** Opens the settings from the dashboard's link. */
async function openSettings(page: Page) {
  await main(page).getByRole('link', { name: 'Security settings' }).click()
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Your methods' })).toBeVisible()
}

/** The codes sent to a destination so far, newest first. */
async function codesTo(page: Page, to: string): Promise<string[]> {
  return (await inbox(page)).filter((message) => message.to.endsWith(to) && message.code !== null).map((message) => message.code ?? '')
}

/**
 * After "Send code": the code is asked for, the resend waits for its countdown, a new code comes
 * once it ran out, and the newest code verifies.
 */
async function verifyWithResend(page: Page, secrets: Set<string>, to: string) {
  const resend = page.getByRole('button', { name: 'Send a new code' })
  await expect(resend).toBeDisabled()
  await expect(main(page).getByText(/^You can ask for a new code in \d+ seconds?\.$/)).toBeVisible()
  await expect.poll(() => codesTo(page, to)).toHaveLength(1)
  await expectAccessible(page)

  await expect(resend).toBeEnabled({ timeout: 15_000 })
  await resend.click()
  await expect(resend).toBeDisabled()
  await expect.poll(() => codesTo(page, to)).toHaveLength(2)
  const [code, first] = await codesTo(page, to)
  secrets.add(code ?? '').add(first ?? '')
  await page.getByLabel('Verification code', { exact: true }).fill(code ?? '')
}

test.describe('the security settings', () => {
  test('adds a phone with its country code, the code from the inbox and a resend after the countdown', async ({ page, secrets }) => {
    await signUpWithTotp(page, secrets, 'sms')
    await openSettings(page)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Add a phone number' }).click()
    await expect(page.getByRole('heading', { name: 'Add a phone number' })).toBeVisible()
    const national = `20255${String(Date.now()).slice(-5)}`
    await page.getByLabel('Country code').selectOption({ label: 'United States (+1)' })
    await page.getByLabel('Phone number', { exact: true }).fill(national)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Send code' }).click()

    await expect(page.getByRole('heading', { name: 'Enter the code we texted you' })).toBeVisible()
    await expect(main(page).getByText(/^We sent a code to \+1 /)).toBeVisible()
    await verifyWithResend(page, secrets, `+1${national}`)
    const methods = page.getByRole('list', { name: 'Your methods' })
    await expect(methods.getByRole('button', { name: /^Remove Text message \(\+1/ })).toBeVisible()
    await expectAccessible(page)
  })

  test('adds an email with the code from the inbox and a resend after the countdown', async ({ page, secrets }) => {
    await signUpWithTotp(page, secrets, 'email')
    await openSettings(page)
    await page.getByRole('button', { name: 'Add an email address' }).click()
    await expect(page.getByRole('heading', { name: 'Add an email address' })).toBeVisible()
    const address = freshEmail('second')
    await page.getByLabel('Email address', { exact: true }).fill(address)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Send code' }).click()

    await expect(page.getByRole('heading', { name: 'Enter the code we emailed you' })).toBeVisible()
    await verifyWithResend(page, secrets, address)
    await expect(
      page.getByRole('list', { name: 'Your methods' }).getByRole('button', { name: /^Remove Email \(s\*+@example\.com\)$/ }),
    ).toBeVisible()
    await expectAccessible(page)
  })

  test('removes the authenticator app behind a confirmation; the next sign-in binds one again', async ({ page, secrets }) => {
    const { email } = await signUpWithTotp(page, secrets, 'unbind')
    await openSettings(page)
    await page.getByRole('button', { name: 'Remove Authenticator app' }).click()
    const question = main(page).getByText('Remove Authenticator app?', { exact: true })
    await expect(question).toBeVisible()
    await expect(question).toBeFocused()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Keep it' }).click()
    await expect(question).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Remove Authenticator app' })).toBeFocused()

    await page.getByRole('button', { name: 'Remove Authenticator app' }).click()
    await page.getByRole('button', { name: 'Remove', exact: true }).click()
    await expect(page.getByText('No method is set up yet.')).toBeVisible()
    await expectAccessible(page)

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Drop-in guard' }).click()
    await signOutAndIn(page, email)
    await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible()
    await expectAccessible(page)
  })
})
