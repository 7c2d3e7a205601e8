import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { MfaProvider } from '@mfa-kit/hooks'
import { createKit, failOnConsole } from '../harness.testing'
import { FaceCapture, FaceChallenge, FaceEnrollment } from './index'

failOnConsole()

describe('server rendering of the face components', () => {
  const kit = createKit({ factors: ['OTP'] })
  const client = kit.newClient()

  it.each([
    ['FaceCapture', <FaceCapture.Root key="capture" onCapture={() => {}} />, 'Turn on camera'],
    ['FaceChallenge', <FaceChallenge.Root key="challenge" mfaToken="token" />, 'Verify with your face'],
    ['FaceEnrollment', <FaceEnrollment.Root key="enrol" />, 'Set up face verification'],
  ])('renders %s to a string, with no camera and no inline styles', (_, element, text) => {
    expect(typeof (globalThis as { navigator?: { mediaDevices?: unknown } }).navigator?.mediaDevices).toBe('undefined')
    const html = renderToString(<MfaProvider client={client}>{element}</MfaProvider>)
    expect(html).toContain(text)
    expect(html).toContain('data-step="intro"')
    expect(html).not.toMatch(/\sstyle=/)
    expect(html).not.toContain('<style')
    expect(html).not.toContain('<video')
  })
})
