import { createRef } from 'react'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { fakeCamera, fixtureFile, useFaceKit } from '../face-capture/face.testing'
import { expectAccessibleAndCspSafe, failOnConsole, totpCode } from '../harness.testing'
import { loadMfaLocale } from '../i18n/provider'
import { FaceEnrollment } from './face-enrollment'
import type { FaceEnrollmentRootProps } from './face-enrollment'

failOnConsole()
vi.setConfig({ testTimeout: 60_000 })

const kit = useFaceKit()

const root = () => document.querySelector('[data-part="face-enrollment"]')!
const settle = (check: () => void) => waitFor(check, { timeout: 20_000 })

async function renderEnrollment(props: Partial<FaceEnrollmentRootProps> = {}) {
  const session = await kit().signedInToBindFace()
  const onDone = vi.fn()
  const camera = fakeCamera()
  const view = kit().render(
    session.client,
    <FaceEnrollment.Root onDone={onDone} mediaDevices={camera.mediaDevices} permissions={null} countdown={0} autoStart {...props} />,
  )
  await waitFor(() => expect(document.querySelector('[data-part="face-capture"]')).toHaveAttribute('data-step', 'live'))
  return { ...session, ...view, onDone, camera }
}

async function takePhoto(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'Take photo' }))
  await user.click(await screen.findByRole('button', { name: 'Use this photo' }))
}

describe('FaceEnrollment', () => {
  it('takes two photos with the camera on all along, then turns face verification on', async () => {
    const user = userEvent.setup()
    const { client, onDone, camera } = await renderEnrollment()
    expect(screen.getByRole('heading', { name: 'Set up face verification' })).toBeInTheDocument()
    expect(screen.getByText('Photo 1 of 2')).toBeInTheDocument()
    expect(screen.getByText(/^Take a photo of your face\./)).toBeInTheDocument()
    expect(root()).toHaveAttribute('data-photo', 'base')
    await expectAccessibleAndCspSafe()

    camera.show('grace_hopper.jpg')
    await takePhoto(user)
    expect(screen.getByText('Photo 2 of 2')).toBeInTheDocument()
    expect(screen.getByText(/^Now take a second photo/)).toBeInTheDocument()
    expect(root()).toHaveAttribute('data-photo', 'compare')
    expect(screen.getByRole('button', { name: 'Retake the first photo' })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()

    camera.show('grace_hopper_512x512.jpg')
    await takePhoto(user)
    const heading = await screen.findByRole('heading', { name: 'Face verification turned on' }, { timeout: 20_000 })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(onDone).toHaveBeenCalledExactlyOnceWith(null)
    // One camera for both photos.
    expect(camera.streams).toHaveLength(1)
    expect(camera.streams[0]!.track.stopped).toBe(true)
    expect((await client.mfa.getMfaAuthenticators({ type: 'face' })).map((a) => a.authenticatorType)).toEqual(['face'])
    await expectAccessibleAndCspSafe()
  })

  it('retakes the first photo', async () => {
    const user = userEvent.setup()
    const { onDone } = await renderEnrollment()
    await takePhoto(user)
    await user.click(screen.getByRole('button', { name: 'Retake the first photo' }))
    expect(screen.getByText('Photo 1 of 2')).toBeInTheDocument()
    expect(onDone).not.toHaveBeenCalled()
    await expectAccessibleAndCspSafe()
  })

  it('starts over, saying why, when the two photos are of different people', async () => {
    const user = userEvent.setup()
    const { camera } = await renderEnrollment()
    camera.show('grace_hopper.jpg')
    await takePhoto(user)
    camera.show('astronaut.png')
    await takePhoto(user)
    await settle(() => expect(document.querySelector('[data-part="face-error"]')).toHaveTextContent('The face did not match. Try again.'))
    expect(screen.getByText('Photo 1 of 2')).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })

  it('takes uploaded photos', async () => {
    const user = userEvent.setup()
    const session = await kit().signedInToBindFace()
    const onDone = vi.fn()
    kit().render(session.client, <FaceEnrollment.Root onDone={onDone} mediaDevices={fakeCamera().mediaDevices} permissions={null} />)
    await user.upload(screen.getByLabelText('Upload a photo instead'), fixtureFile('grace_hopper.jpg'))
    expect(await screen.findByText('Photo 2 of 2')).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    await user.upload(screen.getByLabelText('Upload a photo instead'), fixtureFile('grace_hopper_512x512.jpg'))
    await settle(() => expect(onDone).toHaveBeenCalledOnce())
  })

  it('asks a sign-in that is too old for a code first, then binds', async () => {
    const user = userEvent.setup()
    const { secret, onDone, camera } = await renderEnrollment()
    kit().clock.advance(6 * 60_000)
    camera.show('grace_hopper.jpg')
    await takePhoto(user)
    camera.show('grace_hopper_512x512.jpg')
    await takePhoto(user)
    const heading = await screen.findByRole('heading', { name: 'Confirm it is you' }, { timeout: 20_000 })
    await waitFor(() => expect(heading).toHaveFocus())
    const input = await screen.findByRole('textbox', { name: 'Verification code' })
    await expectAccessibleAndCspSafe()
    await user.click(input)
    await user.keyboard(totpCode(secret, kit().clock.now() + 30_000))
    await settle(() => expect(onDone).toHaveBeenCalledOnce())
    expect(screen.getByRole('heading', { name: 'Face verification turned on' })).toBeInTheDocument()
  })

  it('says when an account needs another factor before a face', async () => {
    const user = userEvent.setup()
    const { client, mfaToken } = await kit().signIn()
    const onUnavailable = vi.fn()
    const camera = fakeCamera()
    kit().render(
      client,
      <FaceEnrollment.Root
        mfaToken={mfaToken}
        onUnavailable={onUnavailable}
        mediaDevices={camera.mediaDevices}
        permissions={null}
        countdown={0}
        autoStart
      />,
    )
    await takePhoto(user)
    await takePhoto(user)
    expect(await screen.findByRole('heading', { name: 'Face verification cannot be set up now' }, { timeout: 20_000 })).toBeInTheDocument()
    expect(document.querySelector('[data-part="face-error"]')).toHaveTextContent(
      'Face verification needs another method beside it, such as an authenticator app, a phone or an email.',
    )
    expect(onUnavailable).toHaveBeenCalledOnce()
    await expectAccessibleAndCspSafe()
  })

  it('forwards its ref', async () => {
    const ref = createRef<HTMLDivElement>()
    await renderEnrollment({ ref } as Partial<FaceEnrollmentRootProps>)
    expect(ref.current).toBe(root())
    await expectAccessibleAndCspSafe()
  })

  it.each(['zh-CN', 'zh-TW', 'ja-JP'] as const)('speaks %s', async (locale) => {
    const messages = await loadMfaLocale(locale)
    await renderEnrollment({ locale })
    expect(screen.getByRole('heading', { name: messages.faceEnrollment.title })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: messages.faceCapture.shutter })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })
})
