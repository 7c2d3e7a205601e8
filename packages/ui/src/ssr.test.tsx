import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { MfaProvider } from '@mfa-kit/hooks'
import { createKit, failOnConsole } from './harness.testing'
import {
  EmailChallenge,
  MfaGuard,
  MfaSettings,
  OneTimeCodeInput,
  PasswordSignIn,
  RecoveryCodeChallenge,
  SmsBinding,
  SmsChallenge,
  TotpChallenge,
  TotpEnrollment,
} from './index'

failOnConsole()

describe('server rendering', () => {
  const kit = createKit()
  const client = kit.newClient()

  it.each([
    ['OneTimeCodeInput', <OneTimeCodeInput.Root key="otp" />],
    ['TotpEnrollment', <TotpEnrollment.Root key="enrol" mfaToken="token" />],
    ['TotpChallenge', <TotpChallenge.Root key="totp" mfaToken="token" />],
    ['RecoveryCodeChallenge', <RecoveryCodeChallenge.Root key="recovery" mfaToken="token" />],
    ['SmsChallenge', <SmsChallenge.Root key="sms" mfaToken="token" phone="+8613800001234" />],
    ['EmailChallenge', <EmailChallenge.Root key="email" mfaToken="token" />],
    ['SmsBinding', <SmsBinding.Root key="sms-binding" />],
    ['PasswordSignIn', <PasswordSignIn.Root key="sign-in" />],
    ['MfaGuard', <MfaGuard key="guard">protected</MfaGuard>],
    ['MfaSettings', <MfaSettings key="settings" />],
  ])('renders %s to a string without inline styles or warnings', (_, element) => {
    const html = renderToString(<MfaProvider client={client}>{element}</MfaProvider>)
    expect(html).toContain('data-part=')
    expect(html).not.toMatch(/\sstyle=/)
    expect(html).not.toContain('<style')
  })
})
