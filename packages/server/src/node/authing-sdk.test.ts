/**
 * The official `authing-js-sdk` 4.23.55, unchanged, against the reference server over real HTTP
 * with the SQLite store. Codes come from the `otpauth` package (TOTP) or the dev outbox (SMS and
 * email), never from the server's own code generator. The server runs on a fake clock, so every
 * TOTP step is chosen exactly and nothing waits on wall time.
 */

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AuthenticationClient, EmailScene, SceneType, type User } from 'authing-js-sdk'
import { TOTP, URI } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest'
import { startSdkTestServer, type SdkTestServer } from './authing-sdk.testing'
import { fixture, type Fixture } from './face/photos.testing'

const APP_ID = 'sdk-compat-suite'
const PASSWORD = 'correct horse battery staple'
const STEP_MS = 30_000

/** Every secret value the suite sees; none of them may appear in the server's log lines. */
const secrets = new Set<string>([PASSWORD])
const remember = <T extends string | null | undefined>(value: T): T => {
  if (typeof value === 'string' && value !== '') secrets.add(value)
  return value
}

let consoleSpies: MockInstance[] = []

beforeAll(() => {
  // The SDK writes to the console on some paths; keep the test output clean.
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  )
})

afterAll(() => {
  for (const spy of consoleSpies) spy.mockRestore()
})

function sdk(
  server: SdkTestServer,
  options: { encryptFunction?: (plain: string) => Promise<string>; timeout?: number } = {},
): AuthenticationClient {
  return new AuthenticationClient({ appId: APP_ID, appHost: server.url, timeout: 5000, ...options })
}

/** What the SDK throws for a business error: the plain `{code, message, data}` object. */
async function thrown(promise: Promise<unknown>): Promise<{ code: number; message: string; data: any }> {
  try {
    await promise
  } catch (error) {
    expect(error).not.toBeInstanceOf(Error)
    return error as { code: number; message: string; data: any }
  }
  throw new Error('expected the SDK call to throw')
}

let emailCounter = 0
const freshEmail = (tag: string) => `sdk-${tag}-${process.pid}-${++emailCounter}@example.com`

let phoneCounter = 0
const freshPhone = () => `1380013${String(++phoneCounter).padStart(4, '0')}`

function totpOf(secretBase32: string): TOTP {
  return new TOTP({ secret: secretBase32, algorithm: 'SHA1', digits: 6, period: 30 })
}

/** The code of `totp` at `timestamp`, remembered as a secret. */
function codeAt(totp: TOTP, timestamp: number): string {
  return remember(totp.generate({ timestamp }))
}

/** A 6-digit code that matches none of the steps the server accepts at `now` (±1 step). */
function wrongCode(totp: TOTP, now: number): string {
  const accepted = new Set([-1, 0, 1].map((offset) => totp.generate({ timestamp: now + offset * STEP_MS })))
  for (let candidate = 0; ; candidate += 111_111) {
    const code = String(candidate % 1_000_000).padStart(6, '0')
    if (!accepted.has(code)) return code
  }
}

/** Registers an account through the SDK (RSA-encrypted password) and returns its id. */
async function registerAccount(server: SdkTestServer, email: string): Promise<string> {
  const user = await sdk(server).registerByEmail(email, PASSWORD)
  return user.id
}

/** Signs in and expects the second-factor challenge; returns the thrown error. */
async function loginChallenge(server: SdkTestServer, email: string) {
  const error = await thrown(sdk(server).loginByEmail(email, PASSWORD))
  remember(error.data?.mfaToken)
  return error
}

let usernameCounter = 0
const freshUsername = (tag: string) => `sdk-${tag}-${process.pid}-${++usernameCounter}`

/** An account with a username only: no email or phone on file, so its first sign-in binds a factor. */
async function registerUsernameAccount(server: SdkTestServer, username: string): Promise<string> {
  const user = await sdk(server).registerByUsername(username, PASSWORD)
  return user.id
}

async function usernameChallenge(server: SdkTestServer, username: string) {
  const error = await thrown(sdk(server).loginByUsername(username, PASSWORD))
  remember(error.data?.mfaToken)
  return error
}

/** The user behind an access token, as the SDK sees it (`null` when the token is refused). */
async function currentUserWith(server: SdkTestServer, token: string): Promise<User | null> {
  const client = sdk(server)
  client.setToken(token)
  return client.getCurrentUser()
}

describe('authing-js-sdk 4.23.55 against the server, TOTP (user-bound, 1635)', () => {
  let server: SdkTestServer
  const email = freshEmail('totp')
  let userId = ''
  let accessToken = ''
  let totp: TOTP
  let recoveryCode = ''
  let replacementCode = ''

  beforeAll(async () => {
    server = await startSdkTestServer({ factors: [] })
  })

  afterAll(async () => {
    await server?.close()
  })

  it('registers by email and signs in with the password the SDK encrypted with the server key', async () => {
    const client = sdk(server)
    const registered = await client.registerByEmail(email, PASSWORD)
    userId = registered.id
    expect(userId).toMatch(/^[0-9a-f]{8,}$/)
    expect(registered.email).toBe(email)

    const signedIn = await client.loginByEmail(email, PASSWORD)
    accessToken = remember(signedIn.token)!
    expect(signedIn.id).toBe(userId)
    expect(accessToken).toEqual(expect.any(String))
    expect((await currentUserWith(server, accessToken))?.id).toBe(userId)
  })

  it('answers a wrong password with 2333 and a plain-text password with a clear error', async () => {
    expect(await thrown(sdk(server).loginByEmail(email, `${PASSWORD}!`))).toMatchObject({ code: 2333 })

    const plain = sdk(server, { encryptFunction: async (value) => value })
    const error = await thrown(plain.registerByEmail(freshEmail('plain'), PASSWORD))
    expect(error.code).toBe(6009)
    expect(error.message).toMatch(/encrypted with the key/i)
  })

  it('logout() ends the session of its token on the server', async () => {
    const other = freshEmail('logout')
    await registerAccount(server, other)
    const client = sdk(server)
    const session = remember((await client.loginByEmail(other, PASSWORD)).token)!
    expect((await currentUserWith(server, session))?.email).toBe(other)
    await client.logout()
    expect(await currentUserWith(server, session).catch(() => null)).toBeNull()
  })

  it('binds TOTP for the signed-in user (SELF) although the SDK confirms with the access token', async () => {
    const client = sdk(server)
    client.setToken(accessToken)
    expect(await client.mfa.getMfaAuthenticators()).toEqual([])

    const association = await client.mfa.assosicateMfaAuthenticator()
    remember(association.secret)
    recoveryCode = remember(association.recovery_code)
    expect(association.authenticator_type).toBe('totp')
    expect(association.secret).toMatch(/^[A-Z2-7]{16,}$/)
    const parsed = URI.parse(association.qrcode_uri)
    expect(parsed).toBeInstanceOf(TOTP)
    expect(parsed.secret.base32).toBe(association.secret)
    expect(parsed.label).toBe(email)
    totp = totpOf(association.secret)

    const now = server.clock.now()
    expect(
      await thrown(client.mfa.confirmAssosicateMfaAuthenticator({ authenticatorType: 'totp', totp: wrongCode(totp, now), source: 'SELF' })),
    ).toMatchObject({ code: 6001 })

    const confirmed = await client.mfa.confirmAssosicateMfaAuthenticator({
      authenticatorType: 'totp',
      totp: codeAt(totp, now),
      source: 'SELF',
    })
    expect(confirmed).toEqual({ code: 200, message: 'TOTP MFA 绑定成功' })

    const authenticators = await client.mfa.getMfaAuthenticators()
    expect(authenticators).toHaveLength(1)
    expect(authenticators[0]).toMatchObject({ userId, enable: true, authenticatorType: 'totp' })
    expect(authenticators[0]!.secret).not.toBe(association.secret)
    expect(authenticators[0]!.recoveryCode).not.toBe(recoveryCode)
    // The session that bound the factor stays valid.
    expect((await currentUserWith(server, accessToken))?.id).toBe(userId)
  })

  it('answers the next sign-in with 1635 and an mfaToken that is not a session', async () => {
    const client = sdk(server)
    const error = await thrown(client.loginByEmail(email, PASSWORD))
    remember(error.data?.mfaToken)
    expect(error.code).toBe(1635)
    expect(error.data).toMatchObject({ mfaToken: expect.any(String), email })
    expect(client.tokenProvider.getToken()).toBeFalsy()
    expect(await currentUserWith(server, error.data.mfaToken)).toBeNull()
  })

  it('lists the authenticator with the mfaToken, as Guard does during sign-in', async () => {
    const { data } = await loginChallenge(server, email)
    const authenticators = await sdk(server).mfa.getMfaAuthenticators({ type: 'totp', mfaToken: data.mfaToken, source: 'APPLICATION' })
    expect(authenticators).toEqual([expect.objectContaining({ userId, enable: true })])
  })

  it('verifyTotpMfa throws {code: 6001} for a wrong code and returns the user with a working session for a code from otpauth', async () => {
    server.clock.advance(STEP_MS)
    const now = server.clock.now()
    const { data } = await loginChallenge(server, email)
    const client = sdk(server)

    expect(await thrown(client.mfa.verifyTotpMfa({ totp: wrongCode(totp, now), mfaToken: data.mfaToken }))).toMatchObject({ code: 6001 })

    const user = await client.mfa.verifyTotpMfa({ totp: codeAt(totp, now), mfaToken: data.mfaToken })
    remember(user.token)
    expect(user.id).toBe(userId)
    expect(user.token).toEqual(expect.any(String))
    expect(user.token).not.toBe(data.mfaToken)
    // The SDK does not keep the session from a verify call; the caller stores it.
    expect(client.tokenProvider.getToken()).toBeFalsy()
    expect((await currentUserWith(server, user.token!))?.id).toBe(userId)
  })

  it('refuses a used mfaToken and a replayed code, and accepts the next step', async () => {
    const now = server.clock.now()
    const used = await loginChallenge(server, email)
    server.clock.advance(STEP_MS)
    const code = codeAt(totp, server.clock.now())
    const first = await sdk(server).mfa.verifyTotpMfa({ totp: code, mfaToken: used.data.mfaToken })
    remember(first.token)
    expect(first.id).toBe(userId)

    expect(await thrown(sdk(server).mfa.verifyTotpMfa({ totp: code, mfaToken: used.data.mfaToken }))).toMatchObject({ code: 2021 })

    const replay = await loginChallenge(server, email)
    expect(await thrown(sdk(server).mfa.verifyTotpMfa({ totp: code, mfaToken: replay.data.mfaToken }))).toMatchObject({ code: 6001 })
    // The code of the step before the accepted one is refused too.
    expect(await thrown(sdk(server).mfa.verifyTotpMfa({ totp: codeAt(totp, now), mfaToken: replay.data.mfaToken }))).toMatchObject({
      code: 6001,
    })

    server.clock.advance(STEP_MS)
    const next = await sdk(server).mfa.verifyTotpMfa({ totp: codeAt(totp, server.clock.now()), mfaToken: replay.data.mfaToken })
    remember(next.token)
    expect(next.id).toBe(userId)
  })

  it('puts the replacement recovery code at the top level of the envelope, where the SDK does not look', async () => {
    // verifyTotpRecoveryCode returns only `data`; the SDK's own HTTP client with `notHandleRes`
    // returns the whole envelope, which is how an SDK user can read the new code.
    const { data } = await loginChallenge(server, email)
    const envelope = await sdk(server).httpClient.request({
      method: 'POST',
      url: `${server.url}/api/v2/mfa/totp/recovery`,
      data: { recoveryCode },
      headers: { authorization: `Bearer ${data.mfaToken}` },
      notHandleRes: true,
    })
    expect(envelope).toMatchObject({ code: 200, data: { id: userId, token: expect.any(String) } })
    remember(envelope.data.token)
    replacementCode = remember(envelope.recoveryCode)
    expect(replacementCode).toEqual(expect.any(String))
    expect(replacementCode).not.toBe(recoveryCode)
  })

  it('verifyTotpRecoveryCode signs in with a recovery code once, and a used code throws {code: 6002}', async () => {
    const first = await loginChallenge(server, email)
    const user = await sdk(server).mfa.verifyTotpRecoveryCode({ recoveryCode: replacementCode, mfaToken: first.data.mfaToken })
    remember(user.token)
    expect(user.id).toBe(userId)
    expect(user).not.toHaveProperty('recoveryCode')
    expect((await currentUserWith(server, user.token!))?.id).toBe(userId)

    const second = await loginChallenge(server, email)
    expect(
      await thrown(sdk(server).mfa.verifyTotpRecoveryCode({ recoveryCode: replacementCode, mfaToken: second.data.mfaToken })),
    ).toMatchObject({ code: 6002 })
    expect(await thrown(sdk(server).mfa.verifyTotpRecoveryCode({ recoveryCode, mfaToken: second.data.mfaToken }))).toMatchObject({
      code: 6002,
    })
  })

  it('deleteMfaAuthenticator needs a recent sign-in, then unbinds TOTP so the next sign-in needs no second factor', async () => {
    const stale = sdk(server)
    stale.setToken(accessToken)
    server.clock.advance(10 * 60_000)
    expect(await thrown(stale.mfa.deleteMfaAuthenticator())).toMatchObject({ code: 6006 })
    expect(await thrown(sdk(server).mfa.deleteMfaAuthenticator())).toMatchObject({ code: 2020 })

    const { data } = await loginChallenge(server, email)
    const signedIn = await sdk(server).mfa.verifyTotpMfa({ totp: codeAt(totp, server.clock.now()), mfaToken: data.mfaToken })
    remember(signedIn.token)
    const client = sdk(server)
    client.setToken(signedIn.token!)
    expect(await client.mfa.deleteMfaAuthenticator()).toEqual({ code: 200, message: 'TOTP MFA 解绑成功' })
    expect(await client.mfa.getMfaAuthenticators()).toEqual([])

    const again = await sdk(server).loginByEmail(email, PASSWORD)
    remember(again.token)
    expect(again.id).toBe(userId)
    expect(again.token).toEqual(expect.any(String))
  })

  it('logs no password, secret, code or token', () => {
    expect(server.logLines.length).toBeGreaterThan(0)
    expectNoSecretsIn(server.logLines)
  })
})

describe('authing-js-sdk 4.23.55 against the server, application MFA (OTP, SMS and email, 1636)', () => {
  let server: SdkTestServer

  beforeAll(async () => {
    server = await startSdkTestServer({ factors: ['OTP', 'SMS', 'EMAIL'] })
  })

  afterAll(async () => {
    await server?.close()
  })

  it('answers sign-in with 1636 and the trigger data of the application policy', async () => {
    const email = freshEmail('app')
    const userId = await registerAccount(server, email)
    const error = await loginChallenge(server, email)
    expect(error.code).toBe(1636)
    expect(error.data).toMatchObject({
      mfaToken: expect.any(String),
      email,
      mfaEmail: email,
      mfaPhone: null,
      totpMfaEnabled: false,
      faceMfaEnabled: false,
      applicationMfa: [
        { mfaPolicy: 'OTP', status: 1, sort: 1 },
        { mfaPolicy: 'SMS', status: 1, sort: 2 },
        { mfaPolicy: 'EMAIL', status: 1, sort: 3 },
      ],
      current: 'EMAIL',
    })
    expect(userId).toEqual(expect.any(String))
  })

  it('refuses to bind a new factor with the mfaToken of an account that can verify with its email', async () => {
    const email = freshEmail('app-refused')
    await registerAccount(server, email)
    const { data } = await loginChallenge(server, email)
    expect(data.current).toBe('EMAIL')
    const association = { authenticatorType: 'totp', mfaToken: data.mfaToken, source: 'APPLICATION' } as const
    expect(await thrown(sdk(server).mfa.assosicateMfaAuthenticator(association))).toMatchObject({ code: 2020 })
    const phone = freshPhone()
    await sdk(server).sendSmsCode(phone, '+86', SceneType.SCENE_TYPE_MFA_VERIFY)
    const code = remember((await server.latestMessage('sms', phone)).code)
    expect(await thrown(sdk(server).mfa.verifyAppSmsMfa({ phone, code, mfaToken: data.mfaToken, phoneCountryCode: '+86' }))).toMatchObject({
      code: 2020,
    })
  })

  it('binds TOTP during sign-in (APPLICATION): the SDK confirm drops the mfaToken (2020), the same call with it completes the sign-in', async () => {
    const username = freshUsername('app-totp')
    const userId = await registerUsernameAccount(server, username)
    const { data } = await usernameChallenge(server, username)
    const client = sdk(server)
    const options = { type: 'totp', mfaToken: data.mfaToken, source: 'APPLICATION' } as const
    expect(await client.mfa.getMfaAuthenticators(options)).toEqual([])

    const association = await client.mfa.assosicateMfaAuthenticator({
      authenticatorType: 'totp',
      mfaToken: data.mfaToken,
      source: 'APPLICATION',
    })
    remember(association.secret)
    remember(association.recovery_code)
    const totp = totpOf(association.secret)
    const code = codeAt(totp, server.clock.now())

    // SDK 4.23.55 builds the mfaToken header for confirm but never sends it.
    const confirm = { authenticatorType: 'totp', totp: code, source: 'APPLICATION', mfaToken: data.mfaToken } as const
    expect(await thrown(client.mfa.confirmAssosicateMfaAuthenticator(confirm))).toMatchObject({ code: 2020 })

    // The request Guard sends, through the SDK's own HTTP client: it answers the signed-in user.
    const user = await client.httpClient.request({
      method: 'POST',
      url: `${server.url}/api/v2/mfa/totp/associate/confirm`,
      data: { authenticator_type: 'totp', totp: code, source: 'APPLICATION' },
      headers: { authorization: `Bearer ${data.mfaToken}` },
    })
    remember(user.token)
    expect(user).toMatchObject({ id: userId, token: expect.any(String) })
    expect((await currentUserWith(server, user.token))?.id).toBe(userId)

    const next = await usernameChallenge(server, username)
    expect(next.data).toMatchObject({ totpMfaEnabled: true, current: 'OTP' })
    server.clock.advance(STEP_MS)
    const again = await client.mfa.verifyTotpMfa({ totp: codeAt(totp, server.clock.now()), mfaToken: next.data.mfaToken })
    remember(again.token)
    expect(again.id).toBe(userId)
  })

  it('sendSmsCode + verifyAppSmsMfa bind the phone and sign in with the code from the outbox', async () => {
    const username = freshUsername('sms')
    const userId = await registerUsernameAccount(server, username)
    const { data } = await usernameChallenge(server, username)
    const phone = freshPhone()
    const client = sdk(server)

    expect(await client.mfa.phoneOrEmailBindable({ phone, mfaToken: data.mfaToken })).toBe(true)
    await client.sendSmsCode(phone, '+86', SceneType.SCENE_TYPE_MFA_VERIFY)
    const message = await server.latestMessage('sms', phone)
    const code = remember(message.code)
    expect(message.text).toContain(code)

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(code.length, '0')
    expect(
      await thrown(client.mfa.verifyAppSmsMfa({ phone, code: wrong, mfaToken: data.mfaToken, phoneCountryCode: '+86' })),
    ).toMatchObject({ code: 2001 })

    const user = await client.mfa.verifyAppSmsMfa({ phone, code, mfaToken: data.mfaToken, phoneCountryCode: '+86' })
    remember(user.token)
    expect(user.id).toBe(userId)
    expect((await currentUserWith(server, user.token!))?.id).toBe(userId)

    // The phone is now taken: another account may not bind it.
    const other = freshEmail('sms-other')
    await registerAccount(server, other)
    const otherChallenge = await loginChallenge(server, other)
    expect(await sdk(server).mfa.phoneOrEmailBindable({ phone, mfaToken: otherChallenge.data.mfaToken })).toBe(false)
    expect(await sdk(server).mfa.phoneOrEmailBindable({ phone: freshPhone(), mfaToken: otherChallenge.data.mfaToken })).toBe(true)

    // The next sign-in of the first account offers the bound phone, kept in E.164 form.
    const next = await usernameChallenge(server, username)
    expect(next.data).toMatchObject({ mfaPhone: `+86${phone}`, mfaPhoneCountryCode: '+86', current: 'SMS' })
  })

  it('sendEmail (MFA_VERIFY_CODE) + verifyAppEmailMfa sign in with the code from the outbox', async () => {
    const email = freshEmail('email')
    const userId = await registerAccount(server, email)
    const { data } = await loginChallenge(server, email)
    const client = sdk(server)

    expect(await client.sendEmail(email, EmailScene.MFA_VERIFY_CODE)).toMatchObject({ code: 200 })
    const message = await server.latestMessage('email', email)
    const code = remember(message.code)

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(code.length, '0')
    expect(await thrown(client.mfa.verifyAppEmailMfa({ email, code: wrong, mfaToken: data.mfaToken }))).toMatchObject({ code: 2001 })

    const user = await client.mfa.verifyAppEmailMfa({ email, code, mfaToken: data.mfaToken })
    remember(user.token)
    expect(user.id).toBe(userId)
    expect(user.email).toBe(email)
    expect((await currentUserWith(server, user.token!))?.id).toBe(userId)

    // The code worked once.
    const again = await loginChallenge(server, email)
    expect(await thrown(client.mfa.verifyAppEmailMfa({ email, code, mfaToken: again.data.mfaToken }))).toMatchObject({ code: 2001 })
  })

  it('answers phoneOrEmailBindable with an empty mfaToken with 2021', async () => {
    expect(await thrown(sdk(server).mfa.phoneOrEmailBindable({ email: freshEmail('check'), mfaToken: '' }))).toMatchObject({ code: 2021 })
  })

  it('logs no password, secret, code or token', () => {
    expect(server.logLines.length).toBeGreaterThan(0)
    expectNoSecretsIn(server.logLines)
  })
})

describe('authing-js-sdk 4.23.55 against the server, face (OTP and FACE, 1636)', () => {
  let server: SdkTestServer
  let photos: Server
  let photoBase = ''
  const fetched: string[] = []
  // The first face call loads the models (about 2 s) and each photo is analysed in a worker: more
  // than the 5 s the other tests give the SDK, on a busy two-core machine.
  const faceSdk = () => sdk(server, { timeout: 60_000 })

  beforeAll(async () => {
    photos = createServer((request, response) => {
      fetched.push(request.url ?? '')
      const name = (request.url ?? '').slice(1) as Fixture
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(fixture(name))
    })
    await new Promise<void>((done) => photos.listen(0, '127.0.0.1', () => done()))
    photoBase = `http://127.0.0.1:${(photos.address() as AddressInfo).port}`
    // The photo host stands in for a deployment's own image host, on loopback for the test.
    server = await startSdkTestServer({ factors: ['OTP', 'FACE'], face: { photoOrigins: [photoBase], allowLoopbackPhotos: true } })
  }, 60_000)

  afterAll(async () => {
    await server?.close()
    await new Promise<void>((done) => photos?.close(() => done()))
  })

  /** An upload as associateFaceByBlob makes it (the SDK's own upload needs a browser's XMLHttpRequest). */
  async function upload(photo: Fixture): Promise<string> {
    const form = new FormData()
    form.set('file', new Blob([fixture(photo) as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'personal.jpeg')
    const response = await fetch(`${server.url}/api/v2/upload?folder=face-photo&private=true`, { method: 'POST', body: form })
    return ((await response.json()) as { data: { key: string } }).data.key
  }

  it('associateFaceByUrl binds a face for the signed-in user, and verifyFaceMfa signs in with it', async () => {
    const username = freshUsername('face')
    const userId = await registerUsernameAccount(server, username)
    const first = await usernameChallenge(server, username)
    expect(first.data).toMatchObject({ faceMfaEnabled: false, applicationMfa: [{ mfaPolicy: 'OTP' }] })

    // TOTP first, during sign-in (face never stands alone); its confirm answers a recent session.
    const client = faceSdk()
    const association = await client.mfa.assosicateMfaAuthenticator({
      authenticatorType: 'totp',
      mfaToken: first.data.mfaToken,
      source: 'APPLICATION',
    })
    remember(association.secret)
    remember(association.recovery_code)
    const signedIn = await client.httpClient.request({
      method: 'POST',
      url: `${server.url}/api/v2/mfa/totp/associate/confirm`,
      data: { authenticator_type: 'totp', totp: codeAt(totpOf(association.secret), server.clock.now()), source: 'APPLICATION' },
      headers: { authorization: `Bearer ${first.data.mfaToken}` },
    })
    client.setToken(remember(signedIn.token))

    const bound = await client.mfa.associateFaceByUrl({
      baseFace: `${photoBase}/grace_hopper.jpg`,
      compareFace: `${photoBase}/grace_hopper_512x512.jpg`,
    })
    expect(bound.id).toBe(userId)

    const next = await usernameChallenge(server, username)
    expect(next.data).toMatchObject({ faceMfaEnabled: true, applicationMfa: [{ mfaPolicy: 'OTP' }, { mfaPolicy: 'FACE' }] })
    expect(await thrown(faceSdk().mfa.verifyFaceMfa(await upload('astronaut.png'), next.data.mfaToken))).toMatchObject({ code: 1701 })
    const user = await faceSdk().mfa.verifyFaceMfa(await upload('grace_hopper_512x512.jpg'), next.data.mfaToken)
    remember(user.token)
    expect(user).toMatchObject({ id: userId, token: expect.any(String) })
    expect((await currentUserWith(server, user.token!))?.id).toBe(userId)
  }, 60_000)

  it('associateFaceByUrl with the mfaToken of an account that has no other factor throws {code: 6012} before fetching anything', async () => {
    const username = freshUsername('face-alone')
    await registerUsernameAccount(server, username)
    const { data } = await usernameChallenge(server, username)
    const options = {
      baseFace: `${photoBase}/grace_hopper.jpg`,
      compareFace: `${photoBase}/grace_hopper_512x512.jpg`,
      mfaToken: data.mfaToken,
    }
    const before = fetched.length
    expect(await thrown(faceSdk().mfa.associateFaceByUrl(options))).toMatchObject({ code: 6012 })
    expect(fetched).toHaveLength(before)
  })

  it('logs no password, secret, code or token', () => {
    expectNoSecretsIn(server.logLines)
  })
})

function expectNoSecretsIn(lines: readonly string[]): void {
  const text = lines.join('\n')
  for (const secret of secrets) {
    const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    expect(new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`).test(text), `a secret value appears in the server log`).toBe(false)
  }
}
