/**
 * Face inside the drop-in components: `<MfaGuard>` and `<MfaSettings>` with the lazy face roots of
 * the main entry in their face slots, against the server with its real matcher. jsdom has no
 * camera, so the photos go through the upload the camera step offers instead.
 */
import { screen, waitFor, within } from '@testing-library/react'
import { render } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { MfaProvider } from '@mfa-kit/hooks'
import { fixtureFile, useFaceKit } from '../face-capture/face.testing'
import { expectAccessibleAndCspSafe, failOnConsole, PASSWORD } from '../harness.testing'
import { LazyFaceChallenge, LazyFaceEnrollment, MfaGuard, MfaSettings } from '../index'

failOnConsole()
vi.setConfig({ testTimeout: 60_000 })

const kit = useFaceKit()
const face = { FaceChallenge: LazyFaceChallenge, FaceEnrollment: LazyFaceEnrollment }

/** Uploads a photo in the face step, once its camera turned out to be missing. */
async function uploadPhoto(user: ReturnType<typeof userEvent.setup>, photo: Parameters<typeof fixtureFile>[0]) {
  const capture = await screen.findByText((_, node) => node?.getAttribute('data-part') === 'face-capture', undefined, { timeout: 10_000 })
  await user.upload(within(capture).getByLabelText('Upload a photo instead'), fixtureFile(photo))
}

describe('face in MfaGuard and MfaSettings', () => {
  it('MfaGuard signs in with a face picked among the factors', async () => {
    const user = userEvent.setup()
    const account = await kit().signInWithFace()
    const client = kit().newClient()
    render(
      <MfaGuard client={client} components={face}>
        <h1>Dashboard</h1>
      </MfaGuard>,
    )
    await user.type(screen.getByRole('textbox', { name: 'Email, phone or username' }), account.email)
    await user.type(screen.getByLabelText('Password'), PASSWORD)
    await user.keyboard('{Enter}')
    const choice = await screen.findByRole('button', { name: 'Face' }, { timeout: 10_000 })
    await user.click(choice)
    expect(await screen.findByRole('heading', { name: 'Verify with your face' }, { timeout: 10_000 })).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
    await uploadPhoto(user, 'grace_hopper_512x512.jpg')
    expect(await screen.findByRole('heading', { name: 'Dashboard' }, { timeout: 20_000 })).toBeInTheDocument()
    expect(client.getToken()).toEqual(expect.any(String))
  })

  it('MfaSettings adds a face for the signed-in user from two photos', async () => {
    const user = userEvent.setup()
    const session = await kit().signedInToBindFace()
    render(
      <MfaProvider client={session.client} now={kit().clock.now}>
        <MfaSettings components={{ FaceEnrollment: LazyFaceEnrollment }} />
      </MfaProvider>,
    )
    const add = await screen.findByRole('button', { name: /face/i }, { timeout: 10_000 })
    await user.click(add)
    expect(await screen.findByRole('heading', { name: 'Set up face verification' }, { timeout: 10_000 })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
    await uploadPhoto(user, 'grace_hopper.jpg')
    expect(await screen.findByText('Photo 2 of 2')).toBeInTheDocument()
    await uploadPhoto(user, 'grace_hopper_512x512.jpg')
    await waitFor(async () => expect((await session.client.mfa.getMfaAuthenticators({ type: 'face' })).length).toBe(1), { timeout: 20_000 })
    await expectAccessibleAndCspSafe()
  })
})
