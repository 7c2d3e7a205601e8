import type { Locator, Page } from '@playwright/test'
import { main } from './journeys'
import { Authenticator, expect, expectAccessible, freshEmail, PASSWORD, readQrCode, test } from './support'

/**
 * The sign-up journey of the drop-in guard with the keyboard alone: Tab (and Shift+Tab) to move,
 * Enter and Space to act, typing to fill. Nothing is clicked.
 */

/** Presses Tab until `target` has focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 40) {
  for (let presses = 0; presses < max; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`no focus on ${target} after ${max} presses of Tab`)
}

test('signs up, binds an authenticator app, saves the recovery code, signs out and in again with the keyboard alone', async ({
  page,
  secrets,
}) => {
  const email = freshEmail('keyboard')
  secrets.add(PASSWORD)
  await page.goto('/#/guard')
  await expect(main(page).getByRole('heading', { name: 'Sign in' })).toBeVisible()

  await tabTo(page, page.getByRole('button', { name: 'Create an account' }))
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible()
  await tabTo(page, page.getByLabel('Email', { exact: true }))
  await page.keyboard.type(email)
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused()
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible()
  await expectAccessible(page)
  const app = new Authenticator(await readQrCode(page.getByRole('img', { name: 'QR code for your authenticator app' })))
  secrets.add(app.secret).add(app.uri)
  await tabTo(page, page.getByLabel('Code from the app', { exact: true }))
  const bindCode = await app.nextCode()
  secrets.add(bindCode)
  await page.keyboard.type(bindCode)

  await expect(page.getByRole('heading', { name: 'Save your recovery code' })).toBeVisible()
  secrets.add((await main(page).getByRole('code').textContent()) ?? '')
  const acknowledge = page.getByRole('checkbox', { name: 'I have saved my recovery code' })
  await tabTo(page, acknowledge)
  await page.keyboard.press('Space')
  await expect(acknowledge).toBeChecked()
  await tabTo(page, page.getByRole('button', { name: 'Continue' }))
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
  await expectAccessible(page)
  await tabTo(page, page.getByRole('button', { name: 'Sign out' }))
  await page.keyboard.press('Enter')

  await expect(main(page).getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await tabTo(page, page.getByLabel('Email, phone or username'))
  await page.keyboard.type(email)
  await page.keyboard.press('Tab')
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', { name: 'Enter your authentication code' })).toBeVisible()
  await tabTo(page, page.getByLabel('Authentication code', { exact: true }))
  const signInCode = await app.nextCode()
  secrets.add(signInCode)
  await page.keyboard.type(signInCode)
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
  await expectAccessible(page)
})
