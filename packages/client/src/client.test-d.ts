import { describe, expectTypeOf, it } from 'vitest'
import {
  createMfaClient,
  isMfaError,
  type MfaError,
  type AuthApi,
  type IMfaAssociation,
  type LoginResult,
  type MfaApi,
  type MfaAssociation,
  type MfaAuthenticator,
  type MfaClient,
  type MfaClientOptions,
  type MfaConfirmAssociation,
  type MfaDeleteAssociation,
  type MfaErrorCode,
  type MfaTrigger,
  type RecoveryCodeRegenerated,
  type RegisterResult,
  type ReverificationOptions,
  type ReverificationResult,
  type SendResult,
  type User,
  type UserWithRecoveryCode,
} from './index'

declare const client: MfaClient

type Fn = (...args: never[]) => unknown
type NoAnyIn<T> = {
  [K in keyof T]: T[K] extends Fn ? (0 extends 1 & ReturnType<T[K]> ? K : 0 extends 1 & Parameters<T[K]>[0] ? K : never) : never
}[keyof T]

describe('public surface', () => {
  it('creates a client from the documented options', () => {
    expectTypeOf(createMfaClient).parameter(0).toEqualTypeOf<MfaClientOptions>()
    expectTypeOf(createMfaClient).returns.toEqualTypeOf<MfaClient>()
    expectTypeOf<MfaClientOptions['fetch']>().toEqualTypeOf<((request: Request) => Promise<Response>) | undefined>()
    expectTypeOf(fetch).toExtend<NonNullable<MfaClientOptions['fetch']>>()
    // @ts-expect-error appHost is required
    createMfaClient({ appId: 'a' })
  })

  it('has no any in any method of mfa or auth', () => {
    expectTypeOf<NoAnyIn<MfaApi>>().toEqualTypeOf<never>()
    expectTypeOf<NoAnyIn<AuthApi>>().toEqualTypeOf<never>()
    expectTypeOf<NoAnyIn<MfaClient>>().toEqualTypeOf<never>()
  })

  it('keeps the authing-js-sdk method names, misspellings included, with aliases', () => {
    expectTypeOf(client.mfa.assosicateMfaAuthenticator).toEqualTypeOf(client.mfa.associateMfaAuthenticator)
    expectTypeOf(client.mfa.confirmAssosicateMfaAuthenticator).toEqualTypeOf(client.mfa.confirmAssociateMfaAuthenticator)
    expectTypeOf(client.mfa.verifySmsMfa).toEqualTypeOf(client.mfa.verifyAppSmsMfa)
    expectTypeOf<keyof MfaApi>().toEqualTypeOf<
      | 'getMfaAuthenticators'
      | 'assosicateMfaAuthenticator'
      | 'associateMfaAuthenticator'
      | 'confirmAssosicateMfaAuthenticator'
      | 'confirmAssociateMfaAuthenticator'
      | 'deleteMfaAuthenticator'
      | 'verifyTotpMfa'
      | 'verifyTotpRecoveryCode'
      | 'verifyAppSmsMfa'
      | 'verifySmsMfa'
      | 'verifyAppEmailMfa'
      | 'phoneOrEmailBindable'
      | 'getReverificationOptions'
      | 'sendReverificationCode'
      | 'reverify'
      | 'regenerateRecoveryCode'
      | 'associateSmsMfa'
      | 'deleteSmsMfa'
      | 'associateEmailMfa'
      | 'deleteEmailMfa'
      | 'associateFaceByUrl'
      | 'associateFaceByBlob'
      | 'associateFaceByLocalFile'
      | 'verifyFaceMfa'
      | 'uploadFace'
      | 'deleteFaceMfa'
    >()
  })

  it('returns the SDK shapes', () => {
    expectTypeOf(client.mfa.getMfaAuthenticators({ type: 'totp' })).resolves.toEqualTypeOf<MfaAuthenticator[]>()
    expectTypeOf(client.mfa.assosicateMfaAuthenticator({ authenticatorType: 'totp' })).resolves.toEqualTypeOf<MfaAssociation>()
    expectTypeOf<IMfaAssociation>().toEqualTypeOf<MfaAssociation>()
    expectTypeOf<keyof MfaAssociation>().toEqualTypeOf<
      'authenticator_type' | 'secret' | 'qrcode_uri' | 'qrcode_data_url' | 'recovery_code'
    >()
    expectTypeOf(client.mfa.confirmAssosicateMfaAuthenticator({ totp: '123456' })).resolves.toEqualTypeOf<MfaConfirmAssociation>()
    expectTypeOf(client.mfa.deleteMfaAuthenticator()).resolves.toEqualTypeOf<MfaDeleteAssociation>()
    expectTypeOf(client.mfa.verifyTotpMfa({ totp: '1', mfaToken: 't' })).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.verifyAppSmsMfa({ phone: '1', code: '1', mfaToken: 't' })).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.verifyAppEmailMfa({ email: 'e', code: '1', mfaToken: 't' })).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.phoneOrEmailBindable({ phone: '1', mfaToken: 't' })).resolves.toEqualTypeOf<boolean>()
  })

  it('returns the new recovery code next to the user', () => {
    const r = client.mfa.verifyTotpRecoveryCode({ recoveryCode: 'abcd', mfaToken: 't' })
    expectTypeOf(r).resolves.toEqualTypeOf<UserWithRecoveryCode>()
    expectTypeOf<UserWithRecoveryCode['recoveryCode']>().toEqualTypeOf<string>()
    expectTypeOf<UserWithRecoveryCode>().toExtend<User>()
    // the name Authing's documentation uses is accepted too
    client.mfa.verifyTotpRecoveryCode({ authenticatorType: 'totp', totp: 'abcd' })
    // @ts-expect-error a recovery code is required
    client.mfa.verifyTotpRecoveryCode({ mfaToken: 't' })
  })

  it('requires the code on verify and confirm calls', () => {
    // @ts-expect-error totp is required
    client.mfa.verifyTotpMfa({ mfaToken: 't' })
    // @ts-expect-error totp is required
    client.mfa.confirmAssosicateMfaAuthenticator({ authenticatorType: 'totp' })
    // @ts-expect-error code is required
    client.mfa.verifyAppSmsMfa({ phone: '1', mfaToken: 't' })
    // @ts-expect-error source is APPLICATION or SELF
    client.mfa.getMfaAuthenticators({ type: 'totp', source: 'OTHER' })
  })

  it('accepts an AbortSignal and a timeout on every call', () => {
    const signal = new AbortController().signal
    client.mfa.getMfaAuthenticators({ signal, timeoutMs: 1 })
    client.mfa.deleteMfaAuthenticator({ signal, timeoutMs: 1 })
    client.mfa.verifyTotpMfa({ totp: '1', signal, timeoutMs: 1 })
    client.auth.loginByEmail('e', 'p', { signal, timeoutMs: 1 })
    client.auth.loginByPhoneCode('p', 'c', { signal, phoneCountryCode: '+86' })
    client.auth.registerByEmail('e', 'p', undefined, { signal })
    client.auth.sendSmsCode('p', { signal, scene: 'mfa-verify' })
    client.auth.sendEmailCode('e', 'MFA_VERIFY_CODE', { signal })
    client.auth.getCurrentUser({ signal })
  })
})

describe('auth', () => {
  it('returns a discriminated login result', async () => {
    const r = await client.auth.loginByEmail('a@b.c', 'pw')
    expectTypeOf(r).toEqualTypeOf<LoginResult>()
    if (r.status === 'authenticated') {
      expectTypeOf(r.user).toEqualTypeOf<User>()
      // @ts-expect-error no mfaToken on an authenticated result
      void r.mfaToken
    } else {
      expectTypeOf(r.status).toEqualTypeOf<'mfa_required'>()
      expectTypeOf(r.mfaToken).toEqualTypeOf<string>()
      expectTypeOf(r.trigger).toEqualTypeOf<MfaTrigger>()
      expectTypeOf(r.trigger.authingCode).toEqualTypeOf<1635 | 1636>()
      expectTypeOf(r.trigger.mfaPhone).toEqualTypeOf<string | null>()
      expectTypeOf(r.trigger.current).toEqualTypeOf<'SMS' | 'EMAIL' | 'OTP' | 'FACE' | 'PASSKEY' | null>()
    }
  })

  it('returns a registration result that narrows by status', async () => {
    const r = await client.auth.registerByEmail('e', 'p', { nickname: 'n' })
    expectTypeOf(r).toEqualTypeOf<RegisterResult>()
    expectTypeOf(r).toEqualTypeOf<LoginResult | { status: 'sign_in_required'; user: User }>()
    if (r.status === 'sign_in_required') expectTypeOf(r.user).toEqualTypeOf<User>()
    if (r.status === 'mfa_required') expectTypeOf(r.trigger).toEqualTypeOf<MfaTrigger>()
    expectTypeOf(client.auth.registerByUsername('u', 'p', { email: 'e' }, { forceLogin: true })).resolves.toEqualTypeOf<RegisterResult>()
    expectTypeOf(client.auth.registerByPhoneCode('p', '123456')).resolves.toEqualTypeOf<RegisterResult>()
    client.auth.registerByPhoneCode('p', '123456', 'password', { nickname: 'n' }, { phoneCountryCode: '+86', forceLogin: true })
  })

  it('types the other auth calls', () => {
    expectTypeOf(client.auth.logout()).resolves.toEqualTypeOf<void>()
    expectTypeOf(client.auth.sendSmsCode('p')).resolves.toEqualTypeOf<SendResult>()
    expectTypeOf(client.auth.sendEmailCode('e')).resolves.toEqualTypeOf<SendResult>()
    expectTypeOf(client.auth.getCurrentUser()).resolves.toEqualTypeOf<User | null>()
    // @ts-expect-error not an email scene
    client.auth.sendEmailCode('e', 'mfa-verify')
  })
})

describe('kit extensions for a signed-in user', () => {
  it('types re-verification, regeneration and SELF phone and email binding', () => {
    expectTypeOf(client.mfa.getReverificationOptions()).resolves.toEqualTypeOf<ReverificationOptions>()
    expectTypeOf(client.mfa.sendReverificationCode({ channel: 'sms' })).resolves.toEqualTypeOf<SendResult>()
    expectTypeOf(client.mfa.reverify({ type: 'totp', code: '123456' })).resolves.toEqualTypeOf<ReverificationResult>()
    client.mfa.reverify({ type: 'password', password: 'secret' })
    // @ts-expect-error a code factor needs its code
    client.mfa.reverify({ type: 'sms' })
    // @ts-expect-error the password factor takes a password, not a code
    client.mfa.reverify({ type: 'password', code: '1' })
    expectTypeOf(client.mfa.regenerateRecoveryCode()).resolves.toEqualTypeOf<RecoveryCodeRegenerated>()
    expectTypeOf(client.mfa.associateSmsMfa({ phone: '1', code: '1' })).resolves.toEqualTypeOf<MfaConfirmAssociation>()
    expectTypeOf(client.mfa.associateEmailMfa({ email: 'e', code: '1' })).resolves.toEqualTypeOf<MfaConfirmAssociation>()
    expectTypeOf(client.mfa.deleteSmsMfa()).resolves.toEqualTypeOf<MfaDeleteAssociation>()
    expectTypeOf(client.mfa.deleteEmailMfa()).resolves.toEqualTypeOf<MfaDeleteAssociation>()
    client.mfa.getMfaAuthenticators({ type: 'all', source: 'SELF' })
  })
})

describe('face', () => {
  it('keeps authing-js-sdk shapes, with the signal, timeout and progress on every call', () => {
    const photo = new Blob([])
    const signal = new AbortController().signal
    expectTypeOf(client.mfa.associateFaceByUrl({ baseFace: 'u', compareFace: 'v', mfaToken: 't' })).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.associateFaceByBlob({ baseFace: photo, compareFace: photo })).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.associateFaceByBlob({ baseFace: photo, onProgress: (p) => p.loaded / p.total })).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.associateFaceByLocalFile('t')).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.associateFaceByLocalFile()).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.verifyFaceMfa('key', 't')).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.verifyFaceMfa('key', 't', { signal, timeoutMs: 1 })).resolves.toEqualTypeOf<User>()
    expectTypeOf(client.mfa.uploadFace(photo, { mfaToken: 't', signal, onProgress: () => {} })).resolves.toEqualTypeOf<string>()
    expectTypeOf(client.mfa.deleteFaceMfa({ signal })).resolves.toEqualTypeOf<MfaDeleteAssociation>()
    // @ts-expect-error the second photo of a URL binding is required, as in authing-js-sdk
    client.mfa.associateFaceByUrl({ baseFace: 'u' })
    // @ts-expect-error a Blob binding takes photos, not URLs
    client.mfa.associateFaceByBlob({ baseFace: 'u' })
  })
})

describe('token holder', () => {
  it('gets, sets and subscribes', () => {
    expectTypeOf(client.getToken()).toEqualTypeOf<string | null>()
    expectTypeOf(client.setToken).parameter(0).toEqualTypeOf<string | null>()
    expectTypeOf(client.onTokenChange((t) => expectTypeOf(t).toEqualTypeOf<string | null>())).toEqualTypeOf<() => void>()
  })
})

describe('errors', () => {
  it('narrows with isMfaError', () => {
    const e: unknown = new Error('x')
    if (isMfaError(e)) {
      expectTypeOf(e).toExtend<MfaError>()
      expectTypeOf(e.code).toEqualTypeOf<MfaErrorCode>()
      expectTypeOf(e.authingCode).toEqualTypeOf<number | undefined>()
      expectTypeOf(e.retryAfterMs).toEqualTypeOf<number | undefined>()
      expectTypeOf(e.data).toEqualTypeOf<unknown>()
    }
    if (isMfaError(e, 'rate_limited')) expectTypeOf(e.code).toEqualTypeOf<'rate_limited'>()
    // @ts-expect-error not a kit error code
    isMfaError(e, 'wrong_code')
  })
})
