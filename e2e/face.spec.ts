import { devices, type Page } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../scripts/test-environment.ts'
import { removeFakeCamera, waitForPicture, writeFakeCamera } from './face-camera'
import { main, signOutAndIn, signUpWithTotp } from './journeys'
import { test as base, expect, expectAccessible } from './support'

/**
 * Face verification with Chromium's fake camera fed by a fixture photo. The camera file is a
 * launch flag, so each test opens its own browser with its own camera: Grace Hopper's portrait
 * (bound, then a sign-in that matches), the astronaut (refused), or none allowed (the upload instead).
 */

const FACES = 'packages/server/test/fixtures/faces'
const HOPPER = `${FACES}/grace_hopper.jpg`
const HOPPER_SQUARE = `${FACES}/grace_hopper_512x512.jpg`
const ASTRONAUT = `${FACES}/astronaut.png`

/** The camera of the test's browser: a photo it shows, or `'denied'` for a camera the user refuses. */
type Camera = { photo: string } | 'denied'

const test = base.extend<{ camera: Camera }>({
  camera: ['denied', { option: true }],
  page: async ({ camera, baseURL, browser }, use) => {
    const file = camera === 'denied' ? null : await writeFakeCamera(browser, camera.photo)
    const flags = file
      ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`]
      : ['--use-fake-device-for-media-stream', '--deny-permission-prompts']
    const own = await browser.browserType().launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...flags] })
    try {
      const context = await own.newContext({ ...devices['Desktop Chrome'], baseURL })
      await use(await context.newPage())
    } finally {
      await own.close()
      if (file) removeFakeCamera(file)
    }
  },
})

test.describe.configure({ mode: 'parallel', timeout: 120_000 })

/** From the dashboard to the first photo of the face set-up in the settings. */
async function openFaceSetup(page: Page) {
  await main(page).getByRole('link', { name: 'Security settings' }).click()
  await page.getByRole('button', { name: 'Set up face verification' }).click()
  await expect(page.getByRole('heading', { name: 'Set up face verification' })).toBeVisible()
  await expect(page.getByText('Photo 1 of 2')).toBeVisible()
  await expectAccessible(page)
}

/** The settings list the face among the methods. */
async function expectFaceBound(page: Page) {
  await expect(page.getByRole('list', { name: 'Your methods' }).getByRole('button', { name: 'Remove Face' })).toBeVisible({
    timeout: 30_000,
  })
  await expectAccessible(page)
}

/** Signs out and in again, up to the face step. */
async function signInWithFace(page: Page, email: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Drop-in guard' }).click()
  await signOutAndIn(page, email)
  await page.getByRole('group', { name: 'Ways to verify' }).getByRole('button', { name: 'Face' }).click()
  await expect(page.getByRole('heading', { name: 'Verify with your face' })).toBeVisible()
  await expectAccessible(page)
}

/** Turns the camera on (unless it still is), takes the photo once the preview shows it, and uses it. */
async function takePhoto(page: Page) {
  const start = page.getByRole('button', { name: 'Turn on camera' })
  const shutter = page.getByRole('button', { name: 'Take photo' })
  await expect(start.or(shutter)).toBeVisible()
  if (await start.isVisible()) await start.click()
  await expect(shutter).toBeVisible()
  // As a person would: the photo is taken once the picture shows, not on a blank first frame.
  const waited = await waitForPicture(page)
  test.info().annotations.push({ type: 'camera', description: `the picture showed after ${waited} ms` })
  await expectAccessible(page)
  await shutter.click()
  await page.getByRole('button', { name: 'Use this photo' }).click()
}

/** Chooses a photo file instead of the camera. */
async function uploadPhoto(page: Page, photo: string) {
  await page.getByLabel('Upload a photo instead').setInputFiles(photo)
}

test.describe('Hopper camera', () => {
  test.use({ camera: { photo: HOPPER } })

  test('binds a face in the settings from the camera, then signs in with it', async ({ page, secrets }) => {
    const { email } = await signUpWithTotp(page, secrets, 'face')
    await openFaceSetup(page)
    await takePhoto(page)
    await expect(page.getByText('Photo 2 of 2')).toBeVisible()
    await takePhoto(page)
    await expectFaceBound(page)

    await signInWithFace(page, email)
    await takePhoto(page)
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible({ timeout: 30_000 })
    await expectAccessible(page)
  })
})

test.describe('astronaut camera', () => {
  test.use({ camera: { photo: ASTRONAUT } })

  test('a face bound from the Hopper photos refuses the astronaut at sign-in', async ({ page, secrets }) => {
    const { email } = await signUpWithTotp(page, secrets, 'face-mismatch')
    await openFaceSetup(page)
    await uploadPhoto(page, HOPPER)
    await expect(page.getByText('Photo 2 of 2')).toBeVisible({ timeout: 30_000 })
    await uploadPhoto(page, HOPPER_SQUARE)
    await expectFaceBound(page)

    await signInWithFace(page, email)
    await takePhoto(page)
    await expect(page.getByText('The face did not match. Try again.', { exact: true }).and(page.getByRole('paragraph'))).toBeVisible({
      timeout: 30_000,
    })
    await expect(page.getByRole('heading', { name: 'Verify with your face' })).toBeVisible()
    await expectAccessible(page)
  })
})

test.describe('camera denied', () => {
  test.use({ camera: 'denied' })

  test('the blocked camera offers the upload instead, for the set-up and the sign-in', async ({ page, secrets }) => {
    const { email } = await signUpWithTotp(page, secrets, 'face-upload')
    await openFaceSetup(page)
    await page.getByRole('button', { name: 'Turn on camera' }).click()
    await expect(page.getByText('The camera is blocked', { exact: true })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Try the camera again' })).toBeVisible()
    await expectAccessible(page)
    await uploadPhoto(page, HOPPER)
    await expect(page.getByText('Photo 2 of 2')).toBeVisible({ timeout: 30_000 })
    await uploadPhoto(page, HOPPER_SQUARE)
    await expectFaceBound(page)

    // The browser remembers the refusal: the sign-in says so at once, with the upload.
    await signInWithFace(page, email)
    await expect(page.getByText('The camera is blocked', { exact: true })).toBeVisible()
    await expectAccessible(page)
    await uploadPhoto(page, HOPPER)
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible({ timeout: 30_000 })
    await expectAccessible(page)
  })
})
