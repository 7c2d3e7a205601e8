import { Authenticator, expect, expectAccessible, freshEmail, PASSWORD, readQrCode, test } from './support'

// Not under the strict CSP: this page shows the server's PNG of the QR code as a data: URL, which
// `default-src 'self'` blocks (the drop-in guard draws its QR code itself, and runs there).
test.describe('the page built from hooks only', () => {
  test('signs up, binds an authenticator app from the QR code, saves the recovery code, signs out @react18', async ({ page, secrets }) => {
    const email = freshEmail('custom')
    secrets.add(PASSWORD)
    await page.goto('/#/custom')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'No account yet? Create one' }).click()
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()

    const qr = page.getByRole('img', { name: 'QR code to add this account to an authenticator app' })
    await expect(qr).toBeVisible()
    await expectAccessible(page)
    const app = new Authenticator(await readQrCode(qr))
    const code = await app.nextCode()
    secrets.add(app.secret).add(app.uri).add(code)
    await page.getByLabel('Code from the app').fill(code)
    const recoveryCode = page.getByText(/^\w{4}(-\w{4}){5}$/)
    await expect(recoveryCode).toBeVisible()
    secrets.add((await recoveryCode.textContent()) ?? '')
    await page.getByRole('checkbox', { name: 'I have saved my recovery code' }).check()
    await page.getByRole('button', { name: 'Continue' }).click()

    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible()
    await expect(page.getByRole('main').getByText(email)).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  })
})
