// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createMfaClient } from '@mfa-kit/client'
import {
  MfaProvider,
  useControllableState,
  useEmailMfa,
  useLogin,
  useMfaChallenge,
  useMfaClient,
  useMfaSession,
  useOneTimeCode,
  useRecoveryCodeVerify,
  useResendCountdown,
  useSignUp,
  useSmsMfa,
  useTotpVerify,
} from './index'
import { useBindableCheck, useEmailBinding, useTotpBinding } from './binding'
import {
  useMfaAuthenticators,
  useMfaUnbind,
  useRecoveryCodeRegenerate,
  useReverification,
  useSelfEmailBinding,
  useSelfSmsBinding,
  useSelfTotpBinding,
} from './account'
import { failOnConsole, mfaTrigger } from './harness.testing'

failOnConsole()

const trigger = mfaTrigger({
  mfaToken: 'token',
  email: 'a@example.com',
  mfaPhone: '13800001234',
  mfaEmail: 'a@example.com',
  totpMfaEnabled: true,
  applicationMfa: [{ mfaPolicy: 'OTP', status: 1, sort: 1 }],
  current: 'OTP',
})

function Everything() {
  const hooks = {
    client: typeof useMfaClient().auth,
    state: useControllableState({ defaultProp: 'x' })[0],
    code: useOneTimeCode({ webOtp: true }).getInputProps().autoComplete,
    countdown: useResendCountdown().secondsLeft,
    login: useLogin().status,
    challenge: useMfaChallenge(trigger).status,
    authenticators: useMfaAuthenticators({ source: 'APPLICATION', mfaToken: 'token' }).status,
    binding: useTotpBinding({ mfaToken: 'token' }).status,
    totp: useTotpVerify({ mfaToken: 'token' }).status,
    recovery: useRecoveryCodeVerify({ mfaToken: 'token' }).status,
    sms: useSmsMfa({ mfaToken: 'token', phone: trigger.mfaPhone }).status,
    email: useEmailMfa({ mfaToken: 'token', email: 'a@example.com' }).status,
    emailBinding: useEmailBinding({ mfaToken: 'token', email: null }).status,
    bindable: useBindableCheck({ mfaToken: 'token', phone: '13800001234' }).status,
    unbind: useMfaUnbind({ authenticatorId: 'totp' }).status,
    session: useMfaSession().status,
    signUp: useSignUp().status,
    reverification: useReverification(async () => 1).status,
    regenerate: useRecoveryCodeRegenerate().status,
    selfTotp: useSelfTotpBinding().status,
    selfSms: useSelfSmsBinding().status,
    selfEmail: useSelfEmailBinding().status,
    ids: useTotpVerify({ mfaToken: 'token' }).getLabelProps().htmlFor.length > 0,
  }
  return <pre>{JSON.stringify(hooks)}</pre>
}

describe('server rendering', () => {
  it('renders every hook with react-dom/server, touching no browser global and sending nothing', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
    let requests = 0
    const client = createMfaClient({
      appId: 'app1',
      appHost: 'http://mfa.test',
      fetch: async () => {
        requests++
        throw new Error('no request may be sent while rendering on the server')
      },
    })
    const tokenStore = {
      get: () => {
        throw new Error('the token store may not be read while rendering')
      },
      set: () => {},
    }
    const html = renderToString(
      <MfaProvider client={client} tokenStore={tokenStore}>
        <Everything />
      </MfaProvider>,
    )
    const rendered = JSON.parse(html.replace(/^<pre>|<\/pre>$/g, '').replace(/&quot;/g, '"'))
    expect(rendered).toEqual({
      client: 'object',
      state: 'x',
      code: 'one-time-code',
      countdown: 0,
      login: 'idle',
      challenge: 'verifying',
      authenticators: 'loading',
      binding: 'idle',
      totp: 'idle',
      recovery: 'idle',
      sms: 'idle',
      email: 'idle',
      emailBinding: 'binding',
      bindable: 'checking',
      unbind: 'idle',
      // With a token store, the session is restoring until the store was read, after mounting.
      session: 'restoring',
      signUp: 'idle',
      reverification: 'idle',
      regenerate: 'idle',
      selfTotp: 'idle',
      selfSms: 'idle',
      selfEmail: 'idle',
      ids: true,
    })
    expect(requests).toBe(0)
  })
})
