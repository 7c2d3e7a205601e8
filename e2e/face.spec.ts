import type { Page } from '@playwright/test'
import { chromiumArgs, chromiumPath, fakeCameraArgs } from '../scripts/test-environment.ts'
import { writeFakeCamera } from './fake-camera'
import { main, signOutAndIn, signUpWithTotp } from './journeys'
import { expect, expectAccessible, test as base } from './support'

/**
 * Face verification with Chromium's fake camera fed by a fixture photo (Grace Hopper's portrait):
 * bound from the settings page beside the authenticator app, then used to sign in.
 */

const PHOTO = 'packages/server/test/fixtures/faces/grace_hopper.jpg'

const test = base.extend<object, { camera: string }>({
  camera: [
    async ({ playwright }, use) => {
      const decoder = await playwright.chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
      const file = await writeFakeCamera(decoder, PHOTO)
      await decoder.close()
      await use(file)
    },
    { scope: 'worker' },
  ],
  launchOptions: [
    async ({ camera }, use) =>
      use({ executablePath: chromiumPath, args: [...chromiumArgs, ...fakeCameraArgs, `--use-file-for-fake-video-capture=${camera}`] }),
    { scope: 'worker' },
  ],
})

/** The spread of brightness in the camera preview's current frame: about 0 while it is blank. */
function previewContrast(page: Page): Promise<number> {
  return page.locator('video').evaluate((video: HTMLVideoElement) => {
    if (video.readyState < 2 || !video.videoWidth) return 0
    const canvas = new OffscreenCanvas(64, 48)
    const context = canvas.getContext('2d')!
    context.drawImage(video, 0, 0, 64, 48)
    const { data } = context.getImageData(0, 0, 64, 48)
    let [low, high] = [255, 0]
    for (let i = 0; i < data.length; i += 4) {
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!
      low = Math.min(low, luma)
      high = Math.max(high, luma)
    }
    return high - low
  })
}

/** Turns the camera on (unless it still is), takes the photo after its countdown and hands it over. */
async function takePhoto(page: Page) {
  const start = page.getByRole('button', { name: 'Turn on camera' })
  const shutter = page.getByRole('button', { name: 'Take photo' })
  await expect(start.or(shutter)).toBeVisible()
  if (await start.isVisible()) await start.click()
  // As a person would, take the photo once the preview shows the picture (not a blank first frame).
  await expect.poll(() => previewContrast(page), { timeout: 20_000 }).toBeGreaterThan(20)
  await shutter.click()
  await page.getByRole('button', { name: 'Use this photo' }).click()
}

test('binds a face in the settings from the camera, then signs in with it', async ({ page, secrets }) => {
  test.setTimeout(120_000)
  await signUpWithTotp(page, secrets, 'face')
  await main(page).getByRole('link', { name: 'Security settings' }).click()
  await page.getByRole('button', { name: 'Set up face verification' }).click()
  await expect(page.getByRole('heading', { name: 'Set up face verification' })).toBeVisible()
  await expectAccessible(page)
  await takePhoto(page)
  await expect(page.getByText('Photo 2 of 2')).toBeVisible()
  await takePhoto(page)
  await expect(page.getByRole('list', { name: 'Your methods' }).getByRole('button', { name: 'Remove Face' })).toBeVisible({
    timeout: 30_000,
  })
  await expectAccessible(page)

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Drop-in guard' }).click()
  const email = (await main(page).getByRole('strong').textContent()) ?? ''
  await signOutAndIn(page, email)
  await page.getByRole('group', { name: 'Ways to verify' }).getByRole('button', { name: 'Face' }).click()
  await expect(page.getByRole('heading', { name: 'Verify with your face' })).toBeVisible()
  await expectAccessible(page)
  await takePhoto(page)
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible({ timeout: 30_000 })
  await expectAccessible(page)
})
