import { createRef } from 'react'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { fakeCamera, fixtureFile, mediaError, useFaceKit } from '../face-capture/face.testing'
import { expectAccessibleAndCspSafe, failOnConsole } from '../harness.testing'
import { loadMfaLocale } from '../i18n/provider'
import { FaceChallenge } from './face-challenge'
import type { FaceChallengeRootProps } from './face-challenge'

failOnConsole()
vi.setConfig({ testTimeout: 60_000 })

const kit = useFaceKit({ limits: { faceFailureThreshold: 3, mfaTokenMaxAttempts: 10, lockBaseMs: 30_000 } })

const announcer = () => document.querySelector('[data-part="face-challenge"] ~ [data-part="announcer"]')!
const root = () => document.querySelector('[data-part="face-challenge"]')!
const captureStep = () => document.querySelector('[data-part="face-capture"]')?.getAttribute('data-step')
const settle = (check: () => void) => waitFor(check, { timeout: 20_000 })

async function renderChallenge(props: Partial<FaceChallengeRootProps> = {}, k = kit()) {
  const session = await k.signInWithFace()
  const onVerified = vi.fn()
  const camera = fakeCamera()
  const view = k.render(
    session.client,
    <FaceChallenge.Root
      mfaToken={session.mfaToken}
      onVerified={onVerified}
      mediaDevices={camera.mediaDevices}
      permissions={null}
      countdown={0}
      {...props}
    />,
  )
  return { ...session, ...view, onVerified, camera }
}

/** Takes a photo with the camera and uses it. */
async function takePhoto(user: ReturnType<typeof userEvent.setup>) {
  if (captureStep() === 'intro') await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
  await user.click(await screen.findByRole('button', { name: 'Take photo' }))
  await user.click(await screen.findByRole('button', { name: 'Use this photo' }))
}

describe('FaceChallenge', () => {
  it('signs in with a photo from the camera, and moves focus to the verified heading', async () => {
    const user = userEvent.setup()
    const { client, onVerified, camera } = await renderChallenge()
    camera.show('grace_hopper_512x512.jpg')
    expect(screen.getByRole('heading', { name: 'Verify with your face' })).toBeInTheDocument()
    expect(screen.getByText('Take a photo of your face to finish signing in.')).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    await takePhoto(user)
    const heading = await screen.findByRole('heading', { name: 'Verified' }, { timeout: 20_000 })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(root()).toHaveAttribute('data-state', 'verified')
    expect(onVerified).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ token: client.getToken() }))
    await expectAccessibleAndCspSafe()
  })

  it('shows the upload as it goes, and takes no other photo meanwhile', async () => {
    const user = userEvent.setup()
    await renderChallenge()
    await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
    await user.click(await screen.findByRole('button', { name: 'Take photo' }))
    await user.click(await screen.findByRole('button', { name: 'Use this photo' }))
    const progress = await screen.findByRole('progressbar', { name: 'Sending your photo' })
    expect(progress).toHaveAttribute('max', '1')
    expect(screen.getByRole('button', { name: 'Take photo' })).toHaveAttribute('aria-disabled', 'true')
    await settle(() => expect(root()).toHaveAttribute('data-state', 'verified'))
  })

  it('says why a photo was refused, announces it, and takes another', async () => {
    const user = userEvent.setup()
    const { client, camera, onVerified } = await renderChallenge()
    camera.show('astronaut.png')
    await takePhoto(user)
    const message = 'The face did not match. Try again.'
    await settle(() => expect(document.querySelector('[data-part="face-error"]')).toHaveTextContent(message))
    await waitFor(() => expect(announcer()).toHaveTextContent(message))
    expect(root()).toHaveAttribute('data-state', 'capturing')
    expect(client.getToken()).toBeNull()
    await expectAccessibleAndCspSafe()

    camera.show('coffee.png')
    await takePhoto(user)
    await settle(() =>
      expect(document.querySelector('[data-part="face-error"]')).toHaveTextContent(
        'No face was found. Face the camera in good light and try again.',
      ),
    )

    camera.show('grace_hopper_512x512.jpg')
    await takePhoto(user)
    await settle(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('takes an uploaded photo when the camera is blocked', async () => {
    const user = userEvent.setup()
    const session = await kit().signInWithFace()
    const onVerified = vi.fn()
    const camera = fakeCamera({ fails: mediaError('NotAllowedError', 'Permission denied') })
    kit().render(
      session.client,
      <FaceChallenge.Root mfaToken={session.mfaToken} onVerified={onVerified} mediaDevices={camera.mediaDevices} permissions={null} />,
    )
    await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
    expect(await screen.findByText('The camera is blocked')).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    await user.upload(screen.getByLabelText('Upload a photo instead'), fixtureFile('grace_hopper_512x512.jpg'))
    await settle(() => expect(onVerified).toHaveBeenCalledOnce())
  })

  it('counts down while the server refuses photos after repeated mismatches', async () => {
    const user = userEvent.setup()
    const { camera } = await renderChallenge()
    camera.show('astronaut.png')
    for (let i = 0; i < 4 && root().getAttribute('data-state') !== 'rate_limited'; i++) {
      await takePhoto(user)
      await settle(() => expect(['capturing', 'rate_limited']).toContain(root().getAttribute('data-state')))
    }
    expect(root()).toHaveAttribute('data-state', 'rate_limited')
    const message = document.querySelector('[data-part="face-error"]')!.textContent!
    expect(message).toMatch(/^Too many attempts\. Try again in \d+ seconds\.$/)
    await waitFor(() => expect(announcer()).toHaveTextContent(message))
    expect(screen.getByRole('button', { name: 'Take photo' })).toHaveAttribute('aria-disabled', 'true')
    await expectAccessibleAndCspSafe()
  })

  it('ends on its own step once the sign-in used up its attempts, with "Sign in again"', async () => {
    const user = userEvent.setup()
    const strict = kit().with({ limits: { faceFailureThreshold: 10, mfaTokenMaxAttempts: 1 } })
    const onRestart = vi.fn()
    const { camera } = await renderChallenge({ onRestart }, strict)
    camera.show('coffee.png')
    await takePhoto(user)
    await settle(() => expect(root()).toHaveAttribute('data-state', 'capturing'))
    await takePhoto(user)
    const heading = await screen.findByRole('heading', { name: 'Too many attempts' }, { timeout: 20_000 })
    await waitFor(() => expect(heading).toHaveFocus())
    await user.click(screen.getByRole('button', { name: 'Sign in again' }))
    expect(onRestart).toHaveBeenCalledOnce()
    await expectAccessibleAndCspSafe()
  })

  it('says when face cannot finish this sign-in', async () => {
    const user = userEvent.setup()
    const session = await kit().signInWithTotp()
    const onUnavailable = vi.fn()
    const camera = fakeCamera()
    kit().render(
      session.client,
      <FaceChallenge.Root
        mfaToken={session.mfaToken}
        onUnavailable={onUnavailable}
        mediaDevices={camera.mediaDevices}
        permissions={null}
        countdown={0}
      />,
    )
    await takePhoto(user)
    expect(await screen.findByRole('heading', { name: 'Face verification is not available' }, { timeout: 20_000 })).toBeInTheDocument()
    expect(screen.getByText('Use another method to finish signing in.')).toBeInTheDocument()
    expect(onUnavailable).toHaveBeenCalledOnce()
    await expectAccessibleAndCspSafe()
  })

  it('forwards its ref and renders parts of your own', async () => {
    const session = await kit().signInWithFace()
    const ref = createRef<HTMLDivElement>()
    kit().render(
      session.client,
      <FaceChallenge.Root ref={ref} mfaToken={session.mfaToken} className="mine">
        <FaceChallenge.Step step="capture">
          <FaceChallenge.Heading asChild>
            <h1>Face check</h1>
          </FaceChallenge.Heading>
          <FaceChallenge.Capture mediaDevices={fakeCamera().mediaDevices} permissions={null} />
        </FaceChallenge.Step>
      </FaceChallenge.Root>,
    )
    expect(ref.current).toBe(root())
    expect(root()).toHaveClass('mine')
    expect(screen.getByRole('heading', { level: 1, name: 'Face check' })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })

  it.each(['zh-CN', 'zh-TW', 'ja-JP'] as const)('speaks %s', async (locale) => {
    const messages = await loadMfaLocale(locale)
    await renderChallenge({ locale })
    expect(await screen.findByRole('heading', { name: messages.faceChallenge.title })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: messages.faceCapture.start })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })
})
