/**
 * The sample code of authing-js-sdk's MFA documentation, call for call, against the reference
 * server. Only the placeholders ('112233', 'xxxxxx', '188xxxx8888', ...) are replaced with real
 * values: codes from an authenticator app (otpauth) and from the dev outbox.
 */
import { describe, expect, it } from 'vitest'
import { createMfaClient } from './client'
import { APP_HOST, setup } from './harness.testing'

describe('authing-js-sdk sample code runs unchanged', () => {
  it('exposes every documented method', () => {
    const s = setup()
    const authenticationClient = createMfaClient({ appId: 'AUTHING_APP_ID', appHost: APP_HOST, fetch: s.fetch })
    for (const method of [
      authenticationClient.mfa.getMfaAuthenticators,
      authenticationClient.mfa.assosicateMfaAuthenticator,
      authenticationClient.mfa.verifyTotpMfa,
      authenticationClient.mfa.verifyTotpRecoveryCode,
      authenticationClient.mfa.phoneOrEmailBindable,
      authenticationClient.mfa.verifyAppEmailMfa,
      authenticationClient.mfa.verifyAppSmsMfa,
      authenticationClient.mfa.confirmAssosicateMfaAuthenticator,
      authenticationClient.mfa.deleteMfaAuthenticator,
      authenticationClient.mfa.associateFaceByUrl,
      authenticationClient.mfa.associateFaceByBlob,
      authenticationClient.mfa.associateFaceByLocalFile,
      authenticationClient.mfa.verifyFaceMfa,
    ]) {
      expect(method).toBeTypeOf('function')
    }
  })

  it('TOTP: get, request binding, confirm, verify, recovery code, unbind', async () => {
    const s = setup()
    const authenticationClient = createMfaClient({ appId: 'AUTHING_APP_ID', appHost: APP_HOST, fetch: s.fetch })
    const { email, password } = await s.register(authenticationClient)
    await authenticationClient.auth.loginByEmail(email, password)

    {
      const authenticators = await authenticationClient.mfa.getMfaAuthenticators({
        type: 'totp',
      })
      expect(authenticators).toEqual([])
    }

    const association = await authenticationClient.mfa.assosicateMfaAuthenticator({ authenticatorType: 'totp' })
    expect(association.secret).toMatch(/^[A-Z2-7]+$/)

    {
      const authenticators = await authenticationClient.mfa.confirmAssosicateMfaAuthenticator({
        authenticatorType: 'totp',
        totp: s.totp(association.secret),
      })
      expect(authenticators.code).toBe(200)
    }

    {
      const authenticators = await authenticationClient.mfa.getMfaAuthenticators({
        type: 'totp',
      })
      expect(authenticators).toMatchObject([{ enable: true, authenticatorType: 'totp' }])
    }

    authenticationClient.setToken(null)
    expect((await authenticationClient.auth.loginByEmail(email, password)).status).toBe('mfa_required')
    s.clock.advance(30_000)
    {
      const authenticators = await authenticationClient.mfa.verifyTotpMfa({
        authenticatorType: 'totp',
        totp: s.totp(association.secret),
      })
      expect(authenticators.email).toBe(email)
      expect(authenticationClient.getToken()).toBe(authenticators.token)
    }

    authenticationClient.setToken(null)
    expect((await authenticationClient.auth.loginByEmail(email, password)).status).toBe('mfa_required')
    {
      const authenticators = await authenticationClient.mfa.verifyTotpRecoveryCode({
        authenticatorType: 'totp',
        totp: association.recovery_code,
      })
      expect(authenticators.email).toBe(email)
      expect(authenticators.recoveryCode).not.toBe(association.recovery_code)
    }

    {
      const authenticators = await authenticationClient.mfa.deleteMfaAuthenticator()
      expect(authenticators.code).toBe(200)
    }
    expect(await authenticationClient.mfa.getMfaAuthenticators({ type: 'totp' })).toEqual([])
  })

  it('SMS: bindable check and verification', async () => {
    // An app offering SMS alone, so an account without a phone binds one during login.
    const s = setup({ factors: ['SMS'] })
    const authenticationClient = createMfaClient({ appId: 'AUTHING_APP_ID', appHost: APP_HOST, fetch: s.fetch })
    const { email, password } = await s.register(authenticationClient)
    const phone = '18812348888'

    const first = await authenticationClient.auth.loginByEmail(email, password)
    if (first.status !== 'mfa_required') throw new Error('expected MFA')
    {
      const authenticators = await authenticationClient.mfa.phoneOrEmailBindable({
        mfaToken: first.mfaToken,
        phone: phone,
      })
      expect(authenticators).toBe(true)
    }
    await authenticationClient.auth.sendSmsCode(phone)
    {
      const authenticators = await authenticationClient.mfa.verifySmsMfa({
        mfaToken: first.mfaToken,
        phone: phone,
        code: await s.lastCode(phone),
      })
      expect(authenticators.token).toEqual(expect.any(String))
    }
  })

  it('email: bindable check and verification', async () => {
    const s = setup({ factors: ['SMS', 'EMAIL'] })
    const authenticationClient = createMfaClient({ appId: 'AUTHING_APP_ID', appHost: APP_HOST, fetch: s.fetch })
    const { email, password } = await s.register(authenticationClient)

    const second = await authenticationClient.auth.loginByEmail(email, password)
    if (second.status !== 'mfa_required') throw new Error('expected MFA')
    {
      const authenticators = await authenticationClient.mfa.phoneOrEmailBindable({
        mfaToken: second.mfaToken,
        email: 'example@authing.cn',
      })
      expect(authenticators).toBe(true)
    }
    await authenticationClient.auth.sendEmailCode(email)
    {
      const authenticators = await authenticationClient.mfa.verifyAppEmailMfa({
        mfaToken: second.mfaToken,
        email: email,
        code: await s.lastCode(email),
      })
      expect(authenticators.email).toBe(email)
      expect(authenticationClient.getToken()).toBe(authenticators.token)
    }
  })
})
