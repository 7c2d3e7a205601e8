import type { Page } from '@playwright/test'
import { main, signOutAndIn, signUpWithTotp } from './journeys'
import { Authenticator, expect, expectAccessible, freshEmail, PASSWORD, readQrCode, screens, test } from './support'

/**
 * The drop-in `<MfaGuard>` page: a new account binds an authenticator app during its first
 * sign-in, then signs in with it, with its recovery code, and meets the lock.
 */

async function fillCode(page: Page, label: string, code: string) {
  await page.getByLabel(label, { exact: true }).fill(code)
}

test.describe('the drop-in guard', () => {
  test('signs up, binds an authenticator app from the QR code, saves the recovery code, signs out and in again @csp @react18', async ({
    page,
    secrets,
  }, info) => {
    test.setTimeout(150_000)
    // Screenshots in both themes once, from the React 19 build; the other builds scan each screen.
    const screen = screens(page, info, { shots: info.project.name === 'react19' })
    const email = freshEmail('guard')
    secrets.add(PASSWORD)
    await page.goto('/#/guard')
    await expect(main(page).getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await screen('sign-in')

    await page.getByRole('button', { name: 'Create an account' }).click()
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible()
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await screen('sign-up')
    await page.getByRole('button', { name: 'Create account' }).click()

    await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible()
    const app = new Authenticator(await readQrCode(page.getByRole('img', { name: 'QR code for your authenticator app' })))
    secrets.add(app.secret).add(app.uri)
    await screen('bind-totp')
    const bindCode = await app.nextCode()
    secrets.add(bindCode)
    await fillCode(page, 'Code from the app', bindCode)

    await expect(page.getByRole('heading', { name: 'Save your recovery code' })).toBeVisible()
    const recoveryCode = (await main(page).getByRole('code').textContent()) ?? ''
    expect(recoveryCode).toMatch(/\w{4}-/)
    secrets.add(recoveryCode)
    const next = page.getByRole('button', { name: 'Continue' })
    await expect(next).toBeDisabled()
    await screen('recovery-code')
    await page.getByRole('checkbox', { name: 'I have saved my recovery code' }).check()
    await next.click()

    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
    await expect(main(page).getByText(email)).toBeVisible()
    await screen('dashboard')
    await page.getByRole('button', { name: 'Sign out' }).click()

    await expect(main(page).getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await page.getByLabel('Email, phone or username').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await screen('sign-in-again')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()

    await expect(page.getByRole('heading', { name: 'Enter your authentication code' })).toBeVisible()
    await screen('totp-challenge')
    const signInCode = await app.nextCode()
    secrets.add(signInCode)
    await fillCode(page, 'Authentication code', signInCode)
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
    await screen('signed-in')
  })
})

test.describe('the drop-in guard, after binding', () => {
  test('shows the error for each of three wrong codes, then the lock with a countdown, refusing the right code', async ({
    page,
    secrets,
  }) => {
    const { email, app } = await signUpWithTotp(page, secrets, 'lock')
    await signOutAndIn(page, email)
    await expect(page.getByRole('heading', { name: 'Enter your authentication code' })).toBeVisible()
    await expectAccessible(page)
    const input = page.getByLabel('Authentication code', { exact: true })
    for (let attempt = 1; attempt <= 3; attempt++) {
      const verified = page.waitForResponse((response) => response.url().includes('/totp/verify'))
      await input.fill(app.wrongCode())
      await verified
      await expect(input).toHaveAccessibleDescription('That code is not right. Check it and try again.')
      await expect(input).toHaveAttribute('aria-invalid', 'true')
    }
    await expectAccessible(page)

    const right = await app.nextCode()
    secrets.add(right)
    const refused = page.waitForResponse((response) => response.url().includes('/totp/verify'))
    await input.fill(right)
    await refused
    const lock = /^Too many attempts\. Try again in (\d+) seconds?\.$/
    await expect(input).toHaveAccessibleDescription(lock)
    const secondsLeft = async () =>
      Number(lock.exec(await input.evaluate((el) => el.ariaDescribedByElements?.map((e) => e.textContent).join(' ') ?? ''))?.[1])
    const first = await secondsLeft()
    expect(first).toBeGreaterThan(1)
    await expect.poll(secondsLeft, { timeout: 5000 }).toBeLessThan(first)
    await expect(page.getByRole('heading', { name: 'Your account' })).toHaveCount(0)
    await expect(page.getByRole('heading', { name: 'Enter your authentication code' })).toBeVisible()
    await expectAccessible(page)
  })

  test('signs in once with the recovery code, shows the new one, and refuses the old one afterwards', async ({ page, secrets }) => {
    const { email, recoveryCode } = await signUpWithTotp(page, secrets, 'recovery')
    await signOutAndIn(page, email)
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click()
    await expect(page.getByRole('heading', { name: 'Use a recovery code' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCode)
    await page.getByRole('button', { name: 'Verify' }).click()

    await expect(page.getByRole('heading', { name: 'Save your new recovery code' })).toBeVisible()
    const fresh = (await main(page).getByRole('code').textContent()) ?? ''
    secrets.add(fresh)
    expect(fresh).not.toBe('')
    expect(fresh).not.toBe(recoveryCode)
    await expectAccessible(page)
    await page.getByRole('checkbox', { name: 'I have saved my recovery code' }).check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()

    await signOutAndIn(page, email)
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click()
    await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCode)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByLabel('Recovery code', { exact: true })).toHaveAccessibleDescription(
      'That recovery code is not right, or it was already used.',
    )
    await expect(page.getByRole('heading', { name: 'Your account' })).toHaveCount(0)
    await expectAccessible(page)
  })

  test('takes a pasted code with a space in it and verifies it once', async ({ page, secrets, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const { email, app } = await signUpWithTotp(page, secrets, 'paste')
    await signOutAndIn(page, email)
    await expect(page.getByRole('heading', { name: 'Enter your authentication code' })).toBeVisible()
    const code = await app.nextCode()
    secrets.add(code)
    const pasted = `${code.slice(0, 3)} ${code.slice(3)}`
    await page.evaluate((text) => navigator.clipboard.writeText(text), pasted)
    let verifications = 0
    page.on('request', (request) => {
      if (request.url().includes('/totp/verify')) verifications++
    })
    const input = page.getByLabel('Authentication code', { exact: true })
    await input.focus()
    await page.keyboard.press('ControlOrMeta+V')
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
    await expectAccessible(page)
    expect(verifications).toBe(1)
    // The clipboard is the user's: it is not a storage surface the kit writes to.
    await page.evaluate(() => navigator.clipboard.writeText(''))
  })
})
