import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { MfaProvider } from '@mfa-kit/hooks'
import { createKit, failOnConsole } from './harness.testing'
import { OneTimeCodeInput, RecoveryCodeChallenge, TotpChallenge, TotpEnrollment } from './index'

failOnConsole()

describe('server rendering', () => {
  const kit = createKit()
  const client = kit.newClient()

  it.each([
    ['OneTimeCodeInput', <OneTimeCodeInput.Root key="otp" />],
    ['TotpEnrollment', <TotpEnrollment.Root key="enrol" mfaToken="token" />],
    ['TotpChallenge', <TotpChallenge.Root key="totp" mfaToken="token" />],
    ['RecoveryCodeChallenge', <RecoveryCodeChallenge.Root key="recovery" mfaToken="token" />],
  ])('renders %s to a string without inline styles or warnings', (_, element) => {
    const html = renderToString(<MfaProvider client={client}>{element}</MfaProvider>)
    expect(html).toContain('data-part=')
    expect(html).not.toMatch(/\sstyle=/)
    expect(html).not.toContain('<style')
  })
})
