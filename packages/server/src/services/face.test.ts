/**
 * The face endpoints over `server.fetch`, with the real Node matcher (one worker, models loaded
 * once for the file) and the fixture photos.
 */

import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AuthingCode, paths } from '@mfa-kit/protocol'
import * as OTPAuth from 'otpauth'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSecretBox, importSecretBoxKey } from '../crypto'
import type { FaceAnalysis, FaceMatcher } from '../face/matcher'
import { UPLOAD_KEY_PATTERN } from '../face/uploads'
import { createNodeFaceMatcher, type NodeFaceMatcher } from '../node/face/matcher'
import { FIXTURES, blank, fixture, pngHeader, sideBySide, truncated, type Fixture } from '../node/face/photos.testing'
import { createNodePhotoFetcher } from '../node/photo-fetcher'
import { MfaConfigError, type MfaServerOptions } from '../options'
import { createHarness, TEST_KEY, type Harness } from '../harness.testing'

// Real models: each photo costs a few hundred milliseconds of CPU, more on a busy machine.
vi.setConfig({ testTimeout: 30_000 })

const MINUTE = 60_000
let models: NodeFaceMatcher
let matcher: FaceMatcher

/**
 * The real matcher, remembering its answer for each photo it has seen: the same fixtures are
 * uploaded dozens of times in this file, and each analysis costs a few hundred milliseconds. Every
 * answer is a fresh copy, since the server wipes the descriptors it is given.
 */
function remembering(real: FaceMatcher): FaceMatcher {
  const answers = new Map<string, Promise<FaceAnalysis>>()
  return {
    analyze(image, options) {
      const key = `${options.confirm}:${options.maxDimension}:${createHash('sha256').update(image).digest('hex')}`
      let answer = answers.get(key)
      if (!answer) {
        answer = real.analyze(image, options)
        answers.set(key, answer)
      }
      return answer.then(({ faces, descriptor }) => ({ faces, descriptor: descriptor && Float32Array.from(descriptor) }))
    },
    distance: real.distance,
  }
}

beforeAll(async () => {
  models = createNodeFaceMatcher()
  await models.load()
  matcher = remembering(models)
}, 120_000)

afterAll(async () => {
  await models?.close()
})

function faceHarness(options: MfaServerOptions = {}): Harness {
  return createHarness({ factors: ['OTP', 'FACE'], ...options, face: { matcher, ...options.face } })
}

type Photo = Fixture | Uint8Array

/** `POST /api/v2/upload` as authing-js-sdk sends it: multipart, field `file`, named personal.jpeg. */
async function upload(h: Harness, photo: Photo, token?: string, clientAddress?: string) {
  const form = new FormData()
  const bytes = typeof photo === 'string' ? fixture(photo) : photo
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'personal.jpeg')
  const request = new Request(`http://mfa.test${paths.upload}?folder=face-photo&private=true`, {
    method: 'POST',
    body: form,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
  const response = await h.server.fetch(request, clientAddress ? { clientAddress } : {})
  return { status: response.status, body: (await response.json()) as { code: number; message: string; data: any } }
}

async function uploadKey(h: Harness, photo: Photo, token?: string): Promise<string> {
  const { body } = await upload(h, photo, token)
  if (body.code !== 200) throw new Error(`upload failed: ${JSON.stringify(body)}`)
  return body.data.key
}

async function bindFace(h: Harness, token: string, a: Photo = 'grace_hopper.jpg', b: Photo = 'grace_hopper_512x512.jpg') {
  const photoA = await uploadKey(h, a, token)
  const photoB = await uploadKey(h, b, token)
  return h.call('POST', paths.faceAssociate, { body: { photoA, photoB }, token })
}

async function verify(h: Harness, mfaToken: string, photo: Photo, path: string = paths.faceVerify, headers?: Record<string, string>) {
  const key = await uploadKey(h, photo, mfaToken)
  return h.call('POST', path, { body: { photo: key }, token: mfaToken, ...(headers ? { headers } : {}) })
}

/**
 * An account that signed in with the application policy, bound TOTP during that sign-in (its
 * first factor), and holds the recent session it got: the way a new user of `--factors OTP,FACE`
 * starts.
 */
async function withTotp(h: Harness, email: string) {
  const id = await h.register(email)
  const { mfaToken, data } = await h.loginForMfa(email)
  expect(data.applicationMfa.map((item) => item.mfaPolicy)).toEqual(['OTP'])
  const associated = await h.call('POST', paths.totpAssociate, { body: { source: 'APPLICATION' }, token: mfaToken })
  const totp = OTPAuth.URI.parse(associated.body.data.qrcode_uri) as OTPAuth.TOTP
  const confirmed = await h.call('POST', paths.totpAssociateConfirm, { body: { totp: h.code(totp) }, token: mfaToken })
  expect(confirmed.body.code).toBe(200)
  h.clock.advance(30_000)
  return { id, token: confirmed.body.data.token as string, totp }
}

/** An account with TOTP and the Hopper face bound. */
async function enrolled(h: Harness, email: string) {
  const account = await withTotp(h, email)
  const bound = await bindFace(h, account.token)
  expect(bound.body.code).toBe(200)
  return account
}

describe('POST /api/v2/upload', () => {
  it('keeps a photo and answers its key and url', async () => {
    const h = faceHarness()
    const { status, body } = await upload(h, 'grace_hopper.jpg')
    expect(status).toBe(200)
    expect(body.data.key).toMatch(UPLOAD_KEY_PATTERN)
    expect(body.data.url).toBe(`http://mfa.test/api/v2/upload/${body.data.key}`)
  })

  it('refuses a photo over the size cap with 413 (SSRF-08)', async () => {
    const h = faceHarness({ limits: { uploadMaxBytes: 64 * 1024 } })
    const { status, body } = await upload(h, 'grace_hopper_512x512.jpg')
    expect(status).toBe(413)
    expect(body).toMatchObject({ code: AuthingCode.PAYLOAD_TOO_LARGE, message: 'The request body is larger than 65536 bytes' })
    expect((await upload(h, 'grace_hopper.jpg')).status).toBe(200)
  })

  it.each([
    ['a text file renamed .jpg', new TextEncoder().encode('not a photo at all')],
    ['an empty file', new Uint8Array(0)],
    ['a 10,000×10,000 PNG header', pngHeader(10_000, 10_000)],
    ['a PNG just over the dimension cap', pngHeader(4097, 10)],
    ['a GIF', new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x80\x00\x00')],
  ])('refuses %s as an invalid image (1702), never a 500', async (_name, bytes) => {
    const { status, body } = await upload(faceHarness(), bytes)
    expect(status).toBe(200)
    expect(body).toEqual({
      code: AuthingCode.FACE_INVALID_IMAGE,
      message: 'The photo could not be read: send a JPEG, PNG or WebP image of at most 5120 KiB and 4096×4096 pixels',
      data: null,
    })
  })

  it('wants multipart with a file field', async () => {
    const h = faceHarness()
    const json = await h.call('POST', paths.upload, { body: { file: 'abc' } })
    expect(json.status).toBe(415)
    const form = new FormData()
    form.set('photo', 'not the file field')
    const response = await h.server.fetch(new Request(`http://mfa.test${paths.upload}`, { method: 'POST', body: form }))
    expect(await response.json()).toMatchObject({ code: AuthingCode.BAD_REQUEST, message: 'Missing field: file' })
  })

  it('refuses a dead token instead of uploading without one', async () => {
    const { body } = await upload(faceHarness(), 'grace_hopper.jpg', 'not-a-live-token')
    expect(body.code).toBe(AuthingCode.LOGIN_EXPIRED)
  })

  it('limits uploads per client address', async () => {
    const h = faceHarness({ limits: { uploadsPerClientPerHour: 2 } })
    for (let i = 0; i < 2; i++) expect((await upload(h, 'grace_hopper.jpg', undefined, '203.0.113.9')).body.code).toBe(200)
    const third = await upload(h, 'grace_hopper.jpg', undefined, '203.0.113.9')
    expect(third.body).toMatchObject({ code: AuthingCode.TOO_MANY_ATTEMPTS, data: { retryAfterMs: 3_600_000 } })
    expect((await upload(h, 'grace_hopper.jpg', undefined, '198.51.100.1')).body.code).toBe(200)
  })
})

describe('POST /api/v2/mfa/face/associate', () => {
  it('binds a face from two photos of it, seals both descriptors, notifies the user and ends other sessions', async () => {
    const h = faceHarness()
    const { id, token } = await withTotp(h, 'hopper@example.com')
    const other = (await h.login('hopper@example.com')).data!.mfaToken as string
    expect(other).toBeTruthy()
    const bound = await bindFace(h, token)
    expect(bound.body).toMatchObject({ code: 200, data: { id, email: 'hopper@example.com' } })

    const stored = (await h.server.store.getFace(id))!
    expect(stored.sealedDescriptors).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    const box = createSecretBox([{ id: 'v1', key: await importSecretBoxKey(TEST_KEY) }])
    expect((await box.open(stored.sealedDescriptors, { userId: id, factor: 'face' })).byteLength).toBe(2 * 128 * 4)
    await expect(box.open(stored.sealedDescriptors, { userId: 'someone-else', factor: 'face' })).rejects.toThrow()
    await expect(box.open(stored.sealedDescriptors, { userId: id, factor: 'totp' })).rejects.toThrow()

    expect(h.server.outbox()[0]).toMatchObject({
      to: 'hopper@example.com',
      code: null,
      text: expect.stringContaining('Face verification was added'),
    })
    const listed = await h.call('GET', `${paths.authenticators}?type=face`, { token })
    expect(listed.body.data).toEqual([expect.objectContaining({ authenticatorType: 'face', userId: id, secret: '' })])
    expect((await h.call('GET', `${paths.authenticators}?type=all`, { token })).body.data.map((a: any) => a.authenticatorType)).toEqual([
      'totp',
      'face',
    ])
    expect((await bindFace(h, token)).body.code).toBe(AuthingCode.ALREADY_BOUND)
  })

  it('uses each uploaded photo once', async () => {
    const h = faceHarness()
    const { token } = await withTotp(h, 'once@example.com')
    const photoA = await uploadKey(h, 'grace_hopper.jpg', token)
    const photoB = await uploadKey(h, 'astronaut.png', token)
    expect((await h.call('POST', paths.faceAssociate, { body: { photoA, photoB }, token })).body.code).toBe(AuthingCode.FACE_MISMATCH)
    const again = await h.call('POST', paths.faceAssociate, { body: { photoA, photoB }, token })
    expect(again.body).toMatchObject({
      code: AuthingCode.FACE_INVALID_IMAGE,
      message: 'The photo was not found or has expired: upload it again',
    })
  })

  it('accepts one photo named twice, as authing-js-sdk sends a single capture', async () => {
    const h = faceHarness()
    const { token } = await withTotp(h, 'single@example.com')
    const key = await uploadKey(h, 'person-vlado.jpg')
    expect((await h.call('POST', paths.faceAssociate, { body: { photoA: key, photoB: key }, token })).body.code).toBe(200)
  })

  it('binds the two Vlado photos, which are different shots of one man', async () => {
    const h = faceHarness()
    const { token } = await withTotp(h, 'vlado@example.com')
    expect((await bindFace(h, token, 'person-vlado.jpg', 'person-vlado1.jpg')).body.code).toBe(200)
  })

  it.each([
    [
      'photos of two different people',
      'grace_hopper.jpg',
      'astronaut.png',
      AuthingCode.FACE_MISMATCH,
      'The two photos do not show the same face',
    ],
    [
      'a photo with no face',
      'grace_hopper.jpg',
      'coffee.png',
      AuthingCode.FACE_NOT_DETECTED,
      'No face was found in the photo: face the camera in good light',
    ],
  ] as const)('refuses %s', async (_name, a, b, code, message) => {
    const h = faceHarness()
    const { id, token } = await withTotp(h, 'refused@example.com')
    expect((await bindFace(h, token, a, b)).body).toEqual({ code, message, data: null })
    expect(await h.server.store.getFace(id)).toBeNull()
  })

  it('refuses a photo of two people, a blank image and a truncated JPEG, each with its own code', async () => {
    const h = faceHarness()
    const { token } = await withTotp(h, 'bad@example.com')
    const two = await sideBySide(fixture('grace_hopper.jpg'), fixture('astronaut.png'))
    expect((await bindFace(h, token, two, 'grace_hopper.jpg')).body.code).toBe(AuthingCode.FACE_MULTIPLE)
    expect((await bindFace(h, token, await blank(640, 480, 'png'), 'grace_hopper.jpg')).body.code).toBe(AuthingCode.FACE_NOT_DETECTED)
    const cut = await bindFace(h, token, truncated(fixture('grace_hopper.jpg')), 'grace_hopper.jpg')
    expect(cut.status).toBe(200)
    expect(cut.body.code).toBe(AuthingCode.FACE_INVALID_IMAGE)
  })

  it('needs a recent authentication from a session (6006)', async () => {
    const h = faceHarness()
    const { token } = await withTotp(h, 'stale@example.com')
    h.clock.advance(6 * MINUTE)
    expect((await bindFace(h, token)).body.code).toBe(AuthingCode.RECENT_LOGIN_REQUIRED)
  })

  it('limits binding attempts per account', async () => {
    const h = faceHarness({ limits: { faceBindingsPerUserPerHour: 1 } })
    const { token } = await withTotp(h, 'busy@example.com')
    expect((await bindFace(h, token, 'grace_hopper.jpg', 'coffee.png')).body.code).toBe(AuthingCode.FACE_NOT_DETECTED)
    expect((await bindFace(h, token)).body.code).toBe(AuthingCode.TOO_MANY_ATTEMPTS)
  })

  it('answers 6005 when the server has no face matcher', async () => {
    const h = createHarness()
    await h.register('nomatcher@example.com')
    const { user } = await h.login('nomatcher@example.com')
    expect((await h.call('POST', paths.faceAssociate, { body: { photoA: 'x', photoB: 'y' }, token: user!.token })).body.code).toBe(
      AuthingCode.FACTOR_DISABLED,
    )
  })
})

describe('FACE-03: face never stands alone', () => {
  it('refuses the FACE policy alone, and FACE without a matcher', () => {
    expect(() => createHarness({ factors: ['FACE'], face: { matcher } })).toThrow(MfaConfigError)
    expect(() => createHarness({ factors: ['FACE'], face: { matcher } })).toThrow(/FACE cannot be the only factor/)
    expect(() => createHarness({ factors: ['OTP', 'FACE'] })).toThrow(/no face.matcher/)
  })

  it('refuses to bind a face to an account with no possession factor (6012)', async () => {
    const h = createHarness({ face: { matcher } })
    await h.register('alone@example.com')
    const { user } = await h.login('alone@example.com')
    const bound = await bindFace(h, user!.token!)
    expect(bound.body).toMatchObject({ code: AuthingCode.ANOTHER_FACTOR_REQUIRED, message: expect.stringContaining('never stands alone') })
  })

  it('refuses to remove the last factor beside a face: TOTP, or a proven email', async () => {
    const h = faceHarness()
    const { id, token } = await enrolled(h, 'keep@example.com')
    expect((await h.call('DELETE', paths.totpAssociate, { token })).body.code).toBe(AuthingCode.ANOTHER_FACTOR_REQUIRED)
    expect(await h.server.store.getTotp(id)).not.toBeNull()

    await h.server.store.bindContact(id, { channel: 'email', value: 'keep@example.com', countryCode: null, now: h.clock.now() })
    expect((await h.call('DELETE', paths.totpAssociate, { token })).body.code).toBe(200)
    expect((await h.call('DELETE', paths.emailAssociate, { token })).body.code).toBe(AuthingCode.ANOTHER_FACTOR_REQUIRED)
    expect((await h.call('DELETE', paths.faceAssociate, { token })).body.code).toBe(200)
    expect((await h.call('DELETE', paths.emailAssociate, { token })).body.code).toBe(200)
  })

  it('does not offer face during sign-in to an account that cannot use it, nor bind it with the mfaToken', async () => {
    const h = faceHarness()
    await h.register('fresh@example.com')
    const fresh = await h.loginForMfa('fresh@example.com')
    expect(fresh.data).toMatchObject({ faceMfaEnabled: false, applicationMfa: [{ mfaPolicy: 'OTP' }] })
    const key = await uploadKey(h, 'grace_hopper.jpg')
    const refused = await h.call('POST', paths.faceAssociate, { body: { photoA: key, photoB: key }, token: fresh.mfaToken })
    expect(refused.body.code).toBe(AuthingCode.ANOTHER_FACTOR_REQUIRED)

    // An account with TOTP verifies with it first: the mfaToken alone cannot add a face.
    await withTotp(h, 'has-totp@example.com')
    const signIn = await h.loginForMfa('has-totp@example.com')
    expect(signIn.data.applicationMfa.map((item) => item.mfaPolicy)).toEqual(['OTP'])
    const key2 = await uploadKey(h, 'grace_hopper.jpg')
    const needsSignIn = await h.call('POST', paths.faceAssociate, { body: { photoA: key2, photoB: key2 }, token: signIn.mfaToken })
    expect(needsSignIn.body.code).toBe(AuthingCode.UNAUTHENTICATED)
  })

  it("with enrollmentDuringLogin 'any', binds beside TOTP with the mfaToken and finishes the sign-in, in a session that must re-verify before changing factors", async () => {
    const h = faceHarness({ enrollmentDuringLogin: 'any' })
    await withTotp(h, 'any@example.com')
    const { mfaToken, data } = await h.loginForMfa('any@example.com')
    expect(data.applicationMfa.map((item) => item.mfaPolicy)).toEqual(['OTP', 'FACE'])
    const photoA = await uploadKey(h, 'grace_hopper.jpg', mfaToken)
    const photoB = await uploadKey(h, 'grace_hopper_512x512.jpg', mfaToken)
    const bound = await h.call('POST', paths.faceAssociate, {
      body: { photoA, photoB },
      token: mfaToken,
      headers: { 'x-authing-request-from': 'Guard@5.3.9' },
    })
    expect(bound.body).toMatchObject({
      code: 200,
      statusCode: 302,
      apiCode: AuthingCode.FLOW_END,
      data: { user: { email: 'any@example.com' } },
    })
    const session = bound.body.data.user.token as string
    expect((await h.call('DELETE', paths.faceAssociate, { token: session })).body.code).toBe(AuthingCode.RECENT_LOGIN_REQUIRED)
    expect((await h.call('GET', paths.reverification, { token: session })).body.data).toMatchObject({
      authenticatedAt: '1970-01-01T00:00:00.000Z',
    })
  })
})

describe('POST /api/v2/mfa/face/verify', () => {
  it('signs in with a matching face: the trigger says faceMfaEnabled, the mfaToken is consumed, the user gets a token', async () => {
    const h = faceHarness()
    const { id } = await enrolled(h, 'hopper@example.com')
    const { mfaToken, data } = await h.loginForMfa('hopper@example.com')
    expect(data).toMatchObject({
      faceMfaEnabled: true,
      totpMfaEnabled: true,
      applicationMfa: [{ mfaPolicy: 'OTP' }, { mfaPolicy: 'FACE' }],
    })
    const verified = await verify(h, mfaToken, 'grace_hopper_512x512.jpg')
    expect(verified.body).toMatchObject({ code: 200, data: { id, token: expect.any(String) } })
    const again = await h.call('POST', paths.faceVerify, { body: { photo: await uploadKey(h, 'grace_hopper.jpg') }, token: mfaToken })
    expect(again.body.code).toBe(AuthingCode.MFA_TOKEN_INVALID)
  })

  it("answers Guard's path with the flow-end envelope", async () => {
    const h = faceHarness()
    await enrolled(h, 'guard@example.com')
    const { mfaToken } = await h.loginForMfa('guard@example.com')
    const verified = await verify(h, mfaToken, 'grace_hopper.jpg', paths.applicationFaceVerify, { 'x-authing-request-from': 'Guard@5.3.9' })
    expect(verified.body).toMatchObject({
      code: 200,
      statusCode: 302,
      apiCode: AuthingCode.FLOW_END,
      data: { user: { email: 'guard@example.com' } },
    })
  })

  it('refuses another face and counts it; a photo without one face spends the attempt without counting', async () => {
    const h = faceHarness()
    const { id } = await enrolled(h, 'count@example.com')
    const { mfaToken } = await h.loginForMfa('count@example.com')
    const other = await verify(h, mfaToken, 'astronaut.png')
    expect(other.body).toEqual({
      code: AuthingCode.FACE_MISMATCH,
      message: 'The face does not match the face bound to this account',
      data: null,
    })
    expect(await h.server.store.getFailureState(`factor:face:${id}`)).toMatchObject({ failures: 1 })
    expect((await verify(h, mfaToken, 'coffee.png')).body.code).toBe(AuthingCode.FACE_NOT_DETECTED)
    expect((await verify(h, mfaToken, truncated(fixture('grace_hopper.jpg')))).body.code).toBe(AuthingCode.FACE_INVALID_IMAGE)
    expect(await h.server.store.getFailureState(`factor:face:${id}`)).toMatchObject({ failures: 1 })
    // Every attempt spent one of the mfaToken's 5.
    expect((await verify(h, mfaToken, 'coffee.png')).body.code).toBe(AuthingCode.FACE_NOT_DETECTED)
    expect((await verify(h, mfaToken, 'coffee.png')).body.code).toBe(AuthingCode.FACE_NOT_DETECTED)
    expect((await verify(h, mfaToken, 'grace_hopper.jpg')).body.code).toBe(AuthingCode.MFA_TOKEN_EXHAUSTED)
  })

  it("never uses a photo uploaded with another user's token, nor fetches a URL", async () => {
    const h = faceHarness()
    await enrolled(h, 'victim@example.com')
    await enrolled(h, 'mallory@example.com')
    const victim = await h.loginForMfa('victim@example.com')
    const mallory = await h.loginForMfa('mallory@example.com')
    const victimsPhoto = await uploadKey(h, 'grace_hopper.jpg', victim.mfaToken)
    const stolen = await h.call('POST', paths.faceVerify, { body: { photo: victimsPhoto }, token: mallory.mfaToken })
    expect(stolen.body.message).toBe('The photo was not found or has expired: upload it again')
    expect((await h.call('POST', paths.faceVerify, { body: { photo: victimsPhoto }, token: victim.mfaToken })).body.code).toBe(200)
    const url = await h.call('POST', paths.faceVerify, { body: { photo: 'http://203.0.113.5/hopper.jpg' }, token: mallory.mfaToken })
    expect(url.body.code).toBe(AuthingCode.FACE_INVALID_IMAGE)
  })

  it('forgets a photo nobody used once its time is up', async () => {
    const h = faceHarness()
    await enrolled(h, 'late@example.com')
    const { mfaToken } = await h.loginForMfa('late@example.com')
    const key = await uploadKey(h, 'grace_hopper.jpg', mfaToken)
    h.clock.advance(5 * MINUTE)
    expect((await h.call('POST', paths.faceVerify, { body: { photo: key }, token: mfaToken })).body.code).toBe(
      AuthingCode.FACE_INVALID_IMAGE,
    )
  })

  it('answers 6003 when no face is bound', async () => {
    const h = faceHarness({ enrollmentDuringLogin: 'any' })
    await withTotp(h, 'unbound@example.com')
    const { mfaToken } = await h.loginForMfa('unbound@example.com')
    expect((await verify(h, mfaToken, 'grace_hopper.jpg')).body.code).toBe(AuthingCode.NOT_BOUND)
  })

  it('opens a session that must re-verify before it can change factors', async () => {
    const h = faceHarness()
    const { totp } = await enrolled(h, 'session@example.com')
    const { mfaToken } = await h.loginForMfa('session@example.com')
    const session = (await verify(h, mfaToken, 'grace_hopper.jpg')).body.data.token as string
    expect((await h.call('DELETE', paths.faceAssociate, { token: session })).body.code).toBe(AuthingCode.RECENT_LOGIN_REQUIRED)
    const reverified = await h.call('POST', paths.reverification, { body: { type: 'totp', code: h.code(totp) }, token: session })
    expect(reverified.body.code).toBe(200)
    expect((await h.call('DELETE', paths.faceAssociate, { token: session })).body.code).toBe(200)
  })
})

describe('FACE-02: face attempts are limited', () => {
  it('locks after the threshold with a growing delay, turns face off at the limit, and a new binding turns it on', async () => {
    const h = faceHarness({ limits: { faceFailureThreshold: 2, faceFailureLimit: 4 } })
    const { id, totp } = await enrolled(h, 'limit@example.com')
    const failure = async () => (await verify(h, (await h.loginForMfa('limit@example.com')).mfaToken, 'astronaut.png')).body
    expect((await failure()).code).toBe(AuthingCode.FACE_MISMATCH)
    expect((await failure()).code).toBe(AuthingCode.FACE_MISMATCH)
    // Locked: even the right face waits, and nothing is analysed meanwhile.
    const { mfaToken } = await h.loginForMfa('limit@example.com')
    expect((await verify(h, mfaToken, 'grace_hopper.jpg')).body).toMatchObject({
      code: AuthingCode.TOO_MANY_ATTEMPTS,
      data: { retryAfterMs: 30_000 },
    })
    h.clock.advance(30_000)
    expect((await failure()).code).toBe(AuthingCode.FACE_MISMATCH)
    expect((await verify(h, (await h.loginForMfa('limit@example.com')).mfaToken, 'grace_hopper.jpg')).body.data).toMatchObject({
      retryAfterMs: 60_000,
    })
    h.clock.advance(60_000)
    expect((await failure()).code).toBe(AuthingCode.FACE_MISMATCH)

    // The limit: face is off however long one waits, the user is told, and sign-in offers only TOTP.
    h.clock.advance(24 * 60 * MINUTE)
    const off = await h.loginForMfa('limit@example.com')
    expect(off.data).toMatchObject({ faceMfaEnabled: false, applicationMfa: [{ mfaPolicy: 'OTP' }] })
    expect((await verify(h, off.mfaToken, 'grace_hopper.jpg')).body).toMatchObject({
      code: AuthingCode.FACTOR_DISABLED,
      message: expect.stringContaining('turned off'),
    })
    expect(h.server.outbox().some((message) => message.text.includes('Face verification was turned off'))).toBe(true)

    // Sign in with TOTP, bind the face again: it works again.
    const signIn = await h.loginForMfa('limit@example.com')
    const session = (await h.call('POST', paths.totpVerify, { body: { totp: h.code(totp) }, token: signIn.mfaToken })).body.data.token
    expect((await h.call('DELETE', paths.faceAssociate, { token: session })).body.code).toBe(200)
    expect(await h.server.store.getFailureState(`factor:face:${id}`)).toBeNull()
    expect((await bindFace(h, session)).body.code).toBe(200)
    expect((await verify(h, (await h.loginForMfa('limit@example.com')).mfaToken, 'grace_hopper.jpg')).body.code).toBe(200)
  })
})

describe('external photos (isExternal)', () => {
  let photoServer: Server
  let port: number
  let hits = 0
  beforeAll(async () => {
    photoServer = createServer((request: IncomingMessage, response: ServerResponse) => {
      hits++
      const name = request.url?.slice(1) as Fixture
      if (request.url === '/redirect') {
        response.writeHead(302, { location: `http://127.0.0.1:${port}/grace_hopper.jpg` }).end()
      } else if (request.url === '/page.html') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>')
      } else if (request.url === '/never') {
        // never answers
      } else if (!FIXTURES.includes(name)) {
        response.writeHead(404).end()
      } else {
        const bytes = fixture(name)
        response.writeHead(200, { 'content-type': name.endsWith('.png') ? 'image/png' : 'image/jpeg' }).end(bytes)
      }
    })
    await new Promise<void>((done) => photoServer.listen(0, '127.0.0.1', () => done()))
    port = (photoServer.address() as AddressInfo).port
  })
  afterAll(async () => {
    photoServer.closeAllConnections()
    await new Promise<void>((done) => photoServer.close(() => done()))
  })

  const external = (extra: NonNullable<MfaServerOptions['face']> = {}) =>
    faceHarness({
      limits: { photoFetchTimeoutMs: 500 },
      face: { fetcher: createNodePhotoFetcher(), photoOrigins: [`http://127.0.0.1:${port}`], ...extra },
    })

  it("binds from the deployment's own image host", async () => {
    const h = external({ allowLoopbackPhotos: true })
    const { token } = await withTotp(h, 'url@example.com')
    const body = {
      photoA: `http://127.0.0.1:${port}/grace_hopper.jpg`,
      photoB: `http://127.0.0.1:${port}/grace_hopper_512x512.jpg`,
      isExternal: true,
    }
    expect((await h.call('POST', paths.faceAssociate, { body, token })).body.code).toBe(200)
  })

  it('gives one answer for every failure, and connects to no internal address', async () => {
    const h = external()
    const { token } = await withTotp(h, 'ssrf@example.com')
    const loopbackHost = external({ allowLoopbackPhotos: true })
    const { token: allowedToken } = await withTotp(loopbackHost, 'ssrf@example.com')
    const answers = new Set<string>()
    const before = hits
    for (const url of [
      `http://127.0.0.1:${port}/grace_hopper.jpg`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/face.jpg',
      'http://localhost/face.jpg',
      'http://no-such-host.invalid/face.jpg',
      'file:///etc/passwd',
      'http://example.com:22/face.jpg',
    ]) {
      answers.add(
        JSON.stringify((await h.call('POST', paths.faceAssociate, { body: { photoA: url, photoB: url, isExternal: true }, token })).body),
      )
    }
    expect(hits).toBe(before)
    for (const path of ['/redirect', '/page.html', '/never', '/coffee.png.missing']) {
      const url = `http://127.0.0.1:${port}${path}`
      answers.add(
        JSON.stringify(
          (
            await loopbackHost.call('POST', paths.faceAssociate, {
              body: { photoA: url, photoB: url, isExternalPhoto: true },
              token: allowedToken,
            })
          ).body,
        ),
      )
    }
    expect([...answers]).toEqual([
      JSON.stringify({
        code: AuthingCode.FACE_INVALID_IMAGE,
        message: 'The photo could not be fetched from that URL as a JPEG, PNG or WebP image',
        data: null,
      }),
    ])
  })

  it('keeps photo URLs and keys out of the log (FACE-04)', async () => {
    const h = external({ allowLoopbackPhotos: true })
    const { token } = await withTotp(h, 'quiet@example.com')
    const url = `http://127.0.0.1:${port}/grace_hopper.jpg`
    await h.call('POST', paths.faceAssociate, {
      body: { photoA: url, photoB: `http://127.0.0.1:${port}/redirect`, isExternal: true },
      token,
    })
    const key = await uploadKey(h, 'grace_hopper.jpg', token)
    await h.call('POST', paths.faceAssociate, { body: { photoA: key, photoB: key }, token })
    const { mfaToken } = await h.loginForMfa('quiet@example.com')
    await verify(h, mfaToken, 'astronaut.png')
    const log = JSON.stringify(h.logs)
    expect(log).toContain('face.photo_fetch_failed')
    expect(log).toContain('upload.stored')
    for (const secret of [String(port), 'grace_hopper', key, mfaToken, token]) expect(log).not.toContain(secret)
  })
})
