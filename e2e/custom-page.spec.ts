import { expect, expectAccessible, freshEmail, lastCode, test } from './support'

test.describe('the page built from hooks only', () => {
  test('signs up, passes the email code from the inbox, signs out @csp @react18', async ({ page, secrets }) => {
    const email = freshEmail('custom')
    const password = 'correct horse battery staple'
    secrets.add(password)
    await page.goto('/#/custom')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'No account yet? Create one' }).click()
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Create account' }).click()

    await expect(page.getByText('We sent a code to')).toBeVisible()
    await expectAccessible(page)
    const code = await lastCode(page, email)
    secrets.add(code)
    await page.getByLabel('Code', { exact: true }).fill(code)
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible()
    await expect(page.getByRole('main').getByText(email)).toBeVisible()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  })
})
