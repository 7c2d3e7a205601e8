import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, it, onTestFinished, vi } from 'vitest'
import { FaceCapture } from './face-capture'
import { fakeCamera } from './face.testing'

// react-webcam's chunk comes without its component (a broken or blocked download).
vi.mock('react-webcam', () => ({ default: undefined }))

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

it('says the camera did not start, and offers the upload, when react-webcam does not load', async () => {
  // React reports the error it caught on the console; that is expected here.
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  const quiet = (event: ErrorEvent) => event.preventDefault()
  window.addEventListener('error', quiet)
  onTestFinished(() => window.removeEventListener('error', quiet))
  const user = userEvent.setup()
  vi.stubGlobal('navigator', { ...navigator, mediaDevices: fakeCamera().mediaDevices, permissions: undefined })
  render(<FaceCapture.Root onCapture={() => {}} />)
  await user.click(screen.getByRole('button', { name: 'Turn on camera' }))
  await waitFor(() => expect(document.querySelector('[data-part="face-capture"]')).toHaveAttribute('data-step', 'fallback'))
  expect(screen.getByText('The camera did not start')).toBeInTheDocument()
  expect(screen.getByText('Something kept the camera from starting.')).toBeInTheDocument()
  expect(screen.getByRole('button', { name: 'Try the camera again' })).toBeInTheDocument()
  expect(screen.getByLabelText('Upload a photo instead')).toBeInTheDocument()
  expect(logged.mock.calls.flat().join(' ')).not.toMatch(/token|secret/i)
})
