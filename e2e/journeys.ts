/**
 * Steps the guard journeys share: a new account that binds an authenticator app during its first
 * sign-in, and a sign-in up to the second factor.
 */

import type { Page } from '@playwright/test'
import { Authenticator, expect, freshEmail, PASSWORD, readQrCode } from './support'

export interface Account {
  email: string
  app: Authenticator
  recoveryCode: string
}

export const main = (page: Page) => page.getByRole('main')

/** Signs up on the guard page, binds TOTP from the QR code and saves the recovery code: the dashboard shows. */
export async function signUpWithTotp(page: Page, secrets: Set<string>, tag: string): Promise<Account> {
  const email = freshEmail(tag)
  secrets.add(PASSWORD)
  await page.goto('/#/guard')
  await page.getByRole('button', { name: 'Create an account' }).click()
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  const app = new Authenticator(await readQrCode(page.getByRole('img', { name: 'QR code for your authenticator app' })))
  secrets.add(app.secret).add(app.uri)
  const code = await app.nextCode()
  secrets.add(code)
  await page.getByLabel('Code from the app', { exact: true }).fill(code)
  await expect(page.getByRole('heading', { name: 'Save your recovery code' })).toBeVisible()
  const recoveryCode = (await main(page).getByRole('code').textContent()) ?? ''
  secrets.add(recoveryCode)
  await page.getByRole('checkbox', { name: 'I have saved my recovery code' }).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
  return { email, app, recoveryCode }
}

/** Signs out from the dashboard and signs in with the password, up to the second factor. */
export async function signOutAndIn(page: Page, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('Email, phone or username').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}
