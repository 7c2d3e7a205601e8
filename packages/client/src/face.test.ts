/**
 * The face calls against the reference server in-process, with its real Node matcher and the
 * fixture photos: uploads (with progress, over fetch and over XMLHttpRequest), binding from
 * photos, URLs and a picked file, verification, the face error codes and the throttle.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { paths } from '@mfa-kit/protocol'
import { createNodePhotoFetcher } from '@mfa-kit/server/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createMfaClient } from './client'
import { fixture, fixtureBlob, photoBlob, sideBySide, truncated, useFaceMatcher, webcamFrame, type Fixture } from './face.testing'
import { APP_HOST, failure, pathOf, setup, type Setup } from './harness.testing'
import type { FetchFunction, MfaClient, UploadProgress } from './types'

vi.setConfig({ testTimeout: 60_000 })

const faces = useFaceMatcher()

function faceSetup(extra: Parameters<typeof setup>[0] = {}): Setup {
  return setup({ factors: ['OTP', 'FACE'], ...extra, face: { matcher: faces.matcher, ...extra.face } })
}

/**
 * A new account that bound TOTP during its first sign-in (face never stands alone): the client
 * holds the recent session that binding answered with.
 */
async function withTotpSession(s: Setup, c: MfaClient = s.client()) {
  const { email, password } = await s.register(c)
  const login = await c.auth.loginByEmail(email, password)
  if (login.status !== 'mfa_required') throw new Error('expected MFA')
  expect(login.trigger.faceMfaEnabled).toBe(false)
  const association = await c.mfa.associateMfaAuthenticator({ source: 'APPLICATION', mfaToken: login.mfaToken })
  const confirmed = await c.mfa.confirmAssociateMfaAuthenticator({ source: 'APPLICATION', totp: s.totp(association.secret) })
  expect(c.getToken()).toBe(confirmed.user?.token)
  return { email, password, client: c, user: confirmed.user! }
}

/** An account with TOTP and the Hopper face bound, signed out, then signing in again: face can finish it. */
async function enrolled(s: Setup) {
  const account = await withTotpSession(s)
  await account.client.mfa.associateFaceByBlob({
    baseFace: fixtureBlob('grace_hopper.jpg'),
    compareFace: fixtureBlob('grace_hopper_512x512.jpg'),
  })
  const login = async () => {
    const c = s.client()
    const r = await c.auth.loginByEmail(account.email, account.password)
    if (r.status !== 'mfa_required') throw new Error('expected MFA')
    return { client: c, mfaToken: r.mfaToken, trigger: r.trigger }
  }
  return { ...account, login }
}

/** The multipart field `file` of a recorded upload. */
async function uploadedFile(request: Request): Promise<File> {
  const file = (await request.clone().formData()).get('file')
  if (!(file instanceof File)) throw new Error('no file field')
  return file
}

const uploads = (s: Setup) => s.requests.filter((r) => new URL(r.url).pathname === paths.upload)

describe('uploadFace', () => {
  it('uploads the photo as authing-js-sdk does and resolves to its key, reporting progress', async () => {
    const s = faceSetup()
    const { client, user } = await withTotpSession(s)
    const progress: UploadProgress[] = []
    const photo = fixtureBlob('grace_hopper.jpg')
    const key = await client.mfa.uploadFace(photo, { onProgress: (p) => progress.push(p) })
    expect(key).toMatch(/^[\w-]{16,}$/)

    const [request] = uploads(s)
    expect(pathOf(request!)).toBe('/api/v2/upload?folder=face-photo&private=true')
    expect(request!.method).toBe('POST')
    expect(request!.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=-+mfa-kit-[0-9a-f]{24}$/)
    // The upload is tied to the session: only this token can use the photo.
    expect(request!.headers.get('authorization')).toBe(`Bearer ${user.token}`)
    expect(request!.headers.get('x-authing-app-id')).toBe('app1')
    const file = await uploadedFile(request!)
    expect(file.name).toBe('personal.jpeg')
    expect(file.type).toBe('image/jpeg')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(fixture('grace_hopper.jpg'))

    const total = progress.at(-1)!.total
    expect(total).toBeGreaterThan(photo.size)
    expect(progress).toEqual([
      { loaded: 0, total },
      { loaded: total, total },
    ])
  })

  it('sends the mfaToken it is given, so only that sign-in can use the photo', async () => {
    const s = faceSetup()
    const { login } = await enrolled(s)
    const { client, mfaToken } = await login()
    const key = await client.mfa.uploadFace(fixtureBlob('grace_hopper_512x512.jpg'), { mfaToken })
    expect(uploads(s).at(-1)!.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)

    // Another sign-in of the same account cannot use it.
    const other = await login()
    const e = await failure(other.client.mfa.verifyFaceMfa(key, other.mfaToken))
    expect(e).toMatchObject({ code: 'invalid_image', authingCode: 1702 })
  })

  it('keeps a part header clean whatever type the Blob claims', async () => {
    const s = faceSetup()
    const { client } = await withTotpSession(s)
    await client.mfa.uploadFace(photoBlob(fixture('grace_hopper.jpg'), 'image/jpeg\r\nX-Evil: 1'))
    const file = await uploadedFile(uploads(s).at(-1)!)
    expect(file.type).toBe('application/octet-stream')
  })

  it('refuses what is not a photo: a text file, an empty file, a photo over the size cap', async () => {
    const s = faceSetup({ limits: { uploadMaxBytes: 64 * 1024 } })
    const { client } = await withTotpSession(s)
    const text = await failure(client.mfa.uploadFace(new Blob(['not a photo at all'], { type: 'image/jpeg' })))
    expect(text).toMatchObject({ code: 'invalid_image', authingCode: 1702 })
    expect(await failure(client.mfa.uploadFace(new Blob([])))).toMatchObject({ code: 'invalid_image' })
    const large = await failure(client.mfa.uploadFace(fixtureBlob('grace_hopper_512x512.jpg')))
    expect(large).toMatchObject({ code: 'payload_too_large', status: 413 })
  })

  it('rejects something that is not a Blob before sending anything', async () => {
    const s = faceSetup()
    const c = s.client()
    const e = await failure(c.mfa.uploadFace('photo.jpg' as unknown as Blob))
    expect(e.code).toBe('invalid_request')
    expect(s.requests).toHaveLength(0)
  })

  it('is aborted by its signal', async () => {
    const s = faceSetup()
    const { client } = await withTotpSession(s)
    const controller = new AbortController()
    controller.abort()
    const e = await failure(client.mfa.uploadFace(fixtureBlob('grace_hopper.jpg'), { signal: controller.signal }))
    expect(e.code).toBe('aborted')
  })
})

/**
 * A browser's XMLHttpRequest, as far as the client uses it, in front of the in-process server:
 * the request goes to `fetch`, and the upload reports progress in 16 KiB steps before it is sent.
 */
function serverXhr(fetch: FetchFunction) {
  const sent: { headers: Record<string, string>; bytes: number }[] = []
  class ServerXhr {
    upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null }
    onload: (() => void) | null = null
    onerror: (() => void) | null = null
    ontimeout: (() => void) | null = null
    onabort: (() => void) | null = null
    status = 0
    responseText = ''
    private method = 'GET'
    private url = ''
    private headers: Record<string, string> = {}
    private response: Response | null = null
    private aborted = false
    open(method: string, url: string) {
      this.method = method
      this.url = url
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value
    }
    getAllResponseHeaders() {
      return [...(this.response?.headers ?? [])].map(([k, v]) => `${k}: ${v}`).join('\r\n')
    }
    abort() {
      this.aborted = true
      this.onabort?.()
    }
    send(body: Uint8Array<ArrayBuffer>) {
      sent.push({ headers: { ...this.headers }, bytes: body.byteLength })
      void (async () => {
        for (let loaded = 16 * 1024; loaded < body.byteLength; loaded += 16 * 1024) {
          await new Promise((r) => setTimeout(r, 1))
          if (this.aborted) return
          this.upload.onprogress?.({ loaded, total: body.byteLength, lengthComputable: true })
        }
        this.upload.onprogress?.({ loaded: body.byteLength, total: body.byteLength, lengthComputable: true })
        try {
          this.response = await fetch(new Request(this.url, { method: this.method, headers: this.headers, body }))
        } catch {
          this.onerror?.()
          return
        }
        if (this.aborted) return
        this.status = this.response.status
        this.responseText = await this.response.text()
        this.onload?.()
      })()
    }
  }
  return { ServerXhr, sent }
}

describe('uploads with XMLHttpRequest, in a browser using its own fetch', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('reports progress as the photo is sent, then binds', async () => {
    const s = faceSetup()
    const xhr = serverXhr(s.fetch)
    vi.stubGlobal('fetch', s.fetch)
    vi.stubGlobal('XMLHttpRequest', xhr.ServerXhr)
    const client = createMfaClient({ appId: 'app1', appHost: APP_HOST })
    await withTotpSession(s, client)
    const progress: UploadProgress[] = []
    const base = fixtureBlob('grace_hopper.jpg')
    const compare = fixtureBlob('grace_hopper_512x512.jpg')
    const user = await client.mfa.associateFaceByBlob({ baseFace: base, compareFace: compare, onProgress: (p) => progress.push(p) })
    expect(user.id).toEqual(expect.any(String))

    expect(xhr.sent).toHaveLength(2)
    expect(xhr.sent[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(xhr.sent[0]!.headers.authorization).toBe(`Bearer ${client.getToken()}`)
    const total = xhr.sent[0]!.bytes + xhr.sent[1]!.bytes
    expect(progress[0]).toEqual({ loaded: 0, total })
    expect(progress.at(-1)).toEqual({ loaded: total, total })
    // Several steps in between, always growing, never past the total.
    expect(progress.length).toBeGreaterThan(4)
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.loaded).toBeGreaterThan(progress[i - 1]!.loaded)
    expect(progress.some((p) => p.loaded === xhr.sent[0]!.bytes)).toBe(true)
  })

  it('aborts the XMLHttpRequest when the signal fires', async () => {
    const s = faceSetup()
    const xhr = serverXhr(s.fetch)
    vi.stubGlobal('fetch', s.fetch)
    vi.stubGlobal('XMLHttpRequest', xhr.ServerXhr)
    const client = createMfaClient({ appId: 'app1', appHost: APP_HOST })
    await withTotpSession(s, client)
    const controller = new AbortController()
    const before = uploads(s).length
    const call = failure(
      client.mfa.uploadFace(fixtureBlob('grace_hopper.jpg'), {
        signal: controller.signal,
        onProgress: (p) => p.loaded > 0 && controller.abort(),
      }),
    )
    expect((await call).code).toBe('aborted')
    expect(uploads(s)).toHaveLength(before)
  })

  it('is not used with a fetch option: the app fetch sees every request', async () => {
    const s = faceSetup()
    const xhr = serverXhr(s.fetch)
    vi.stubGlobal('XMLHttpRequest', xhr.ServerXhr)
    const { client } = await withTotpSession(s)
    await client.mfa.uploadFace(fixtureBlob('grace_hopper.jpg'), { onProgress: () => {} })
    expect(xhr.sent).toHaveLength(0)
    expect(uploads(s)).toHaveLength(1)
  })
})

describe('associateFaceByBlob', () => {
  it('uploads both photos, then binds them for the signed-in user', async () => {
    const s = faceSetup()
    const { client, user } = await withTotpSession(s)
    const bound = await client.mfa.associateFaceByBlob({
      baseFace: fixtureBlob('grace_hopper.jpg'),
      compareFace: fixtureBlob('grace_hopper_512x512.jpg'),
    })
    expect(bound.id).toBe(user.id)
    // The session stays the same: a SELF binding does not sign in again.
    expect(client.getToken()).toBe(user.token)

    const [a, b, associate] = s.requests.slice(-3)
    expect([a, b].map((r) => pathOf(r!))).toEqual(Array(2).fill('/api/v2/upload?folder=face-photo&private=true'))
    expect(pathOf(associate!)).toBe(paths.faceAssociate)
    expect(associate!.headers.get('authorization')).toBe(`Bearer ${user.token}`)
    const body = (await associate!.json()) as { photoA: string; photoB: string }
    expect(Object.keys(body)).toEqual(['photoA', 'photoB'])
    expect(body.photoA).not.toBe(body.photoB)

    const list = await client.mfa.getMfaAuthenticators({ type: 'face' })
    expect(list.map((a) => a.authenticatorType)).toEqual(['face'])
  })

  it('binds one photo twice when there is no second one, as authing-js-sdk does', async () => {
    const s = faceSetup()
    const { client } = await withTotpSession(s)
    await client.mfa.associateFaceByBlob({ baseFace: fixtureBlob('grace_hopper_512x512.jpg') })
    const body = (await s.requests.at(-1)!.json()) as { photoA: string; photoB: string }
    expect(body.photoB).toBe(body.photoA)
    expect(uploads(s)).toHaveLength(1)
  })

  it('finishes a login when bound with the mfaToken, and the client holds the new token', async () => {
    const s = faceSetup({ enrollmentDuringLogin: 'any' })
    const { email, password } = await withTotpSession(s)
    const c = s.client()
    const login = await c.auth.loginByEmail(email, password)
    if (login.status !== 'mfa_required') throw new Error('expected MFA')
    const user = await c.mfa.associateFaceByBlob({
      baseFace: fixtureBlob('grace_hopper.jpg'),
      compareFace: fixtureBlob('grace_hopper_512x512.jpg'),
      mfaToken: login.mfaToken,
    })
    expect(user.token).toEqual(expect.any(String))
    expect(c.getToken()).toBe(user.token)
    expect(uploads(s).map((r) => r.headers.get('authorization'))).toEqual([`Bearer ${login.mfaToken}`, `Bearer ${login.mfaToken}`])
  })

  it.each<[string, string, number, () => Promise<[Blob, Blob]>]>([
    ['two different people', 'face_mismatch', 1701, async () => [fixtureBlob('grace_hopper.jpg'), fixtureBlob('astronaut.png')]],
    ['a photo without a face', 'face_not_detected', 1700, async () => [fixtureBlob('grace_hopper.jpg'), fixtureBlob('coffee.png')]],
    [
      'a photo with two faces',
      'multiple_faces',
      1703,
      async () => [fixtureBlob('grace_hopper.jpg'), photoBlob(await sideBySide(fixture('grace_hopper.jpg'), fixture('astronaut.png')))],
    ],
    [
      'a damaged photo',
      'invalid_image',
      1702,
      async () => [fixtureBlob('grace_hopper.jpg'), photoBlob(truncated(fixture('grace_hopper_512x512.jpg')))],
    ],
  ])('refuses %s with %s (%i)', async (_, code, authingCode, photos) => {
    const s = faceSetup()
    const { client } = await withTotpSession(s)
    const [baseFace, compareFace] = await photos()
    const e = await failure(client.mfa.associateFaceByBlob({ baseFace, compareFace }))
    expect(e).toMatchObject({ code, authingCode })
    expect(await client.mfa.getMfaAuthenticators({ type: 'face' })).toEqual([])
  })

  it('refuses a face for an account with no other factor: another_factor_required', async () => {
    const s = faceSetup()
    const c = s.client()
    const { email, password } = await s.register(c)
    const login = await c.auth.loginByEmail(email, password)
    if (login.status !== 'mfa_required') throw new Error('expected MFA')
    const e = await failure(
      c.mfa.associateFaceByBlob({ baseFace: fixtureBlob('grace_hopper.jpg'), compareFace: fixtureBlob('grace_hopper_512x512.jpg') }),
    )
    expect(e).toMatchObject({ code: 'another_factor_required', authingCode: 6012 })
    // Without an access token, the client used the mfaToken of its pending login.
    expect(s.requests.at(-1)!.headers.get('authorization')).toBe(`Bearer ${login.mfaToken}`)
    expect(c.getToken()).toBeNull()
  })

  it('asks for a recent sign-in first: reauthentication_required', async () => {
    const s = faceSetup()
    const { client } = await withTotpSession(s)
    s.clock.advance(6 * 60_000)
    const e = await failure(
      client.mfa.associateFaceByBlob({ baseFace: fixtureBlob('grace_hopper.jpg'), compareFace: fixtureBlob('grace_hopper_512x512.jpg') }),
    )
    expect(e).toMatchObject({ code: 'reauthentication_required', authingCode: 6006 })
  })
})

describe('associateFaceByUrl', () => {
  let photos: Server
  let photoBase = ''
  const fetched: string[] = []
  beforeAll(async () => {
    photos = createServer((request, response) => {
      fetched.push(request.url ?? '')
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(fixture((request.url ?? '').slice(1) as Fixture))
    })
    await new Promise<void>((done) => photos.listen(0, '127.0.0.1', () => done()))
    photoBase = `http://127.0.0.1:${(photos.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((done) => photos?.close(() => done()))
  })

  // The photo host stands in for a deployment's own image host, on loopback for the test.
  const urlSetup = () => faceSetup({ face: { fetcher: createNodePhotoFetcher(), photoOrigins: [photoBase], allowLoopbackPhotos: true } })

  it('sends the URLs with isExternal, and the server fetches and binds them', async () => {
    const s = urlSetup()
    const { client, email, password } = await withTotpSession(s)
    const before = fetched.length
    const user = await client.mfa.associateFaceByUrl({
      baseFace: `${photoBase}/grace_hopper.jpg`,
      compareFace: `${photoBase}/grace_hopper_512x512.jpg`,
    })
    expect(user.id).toEqual(expect.any(String))
    expect(await s.requests.at(-1)!.json()).toEqual({
      photoA: `${photoBase}/grace_hopper.jpg`,
      photoB: `${photoBase}/grace_hopper_512x512.jpg`,
      isExternal: true,
    })
    expect(fetched.slice(before)).toEqual(['/grace_hopper.jpg', '/grace_hopper_512x512.jpg'])

    const again = await s.client().auth.loginByEmail(email, password)
    expect(again.status === 'mfa_required' && again.trigger.faceMfaEnabled).toBe(true)
  })

  it('gives one answer for a photo the server cannot fetch: invalid_image', async () => {
    const s = urlSetup()
    const { client } = await withTotpSession(s)
    const e = await failure(
      client.mfa.associateFaceByUrl({ baseFace: 'http://169.254.169.254/latest/meta-data', compareFace: `${photoBase}/grace_hopper.jpg` }),
    )
    expect(e).toMatchObject({ code: 'invalid_image', authingCode: 1702 })
  })

  it('refuses the mfaToken of an account with no other factor before fetching anything', async () => {
    const s = urlSetup()
    const c = s.client()
    const { email, password } = await s.register(c)
    const login = await c.auth.loginByEmail(email, password)
    if (login.status !== 'mfa_required') throw new Error('expected MFA')
    const before = fetched.length
    const e = await failure(
      c.mfa.associateFaceByUrl({
        baseFace: `${photoBase}/grace_hopper.jpg`,
        compareFace: `${photoBase}/grace_hopper_512x512.jpg`,
        mfaToken: login.mfaToken,
      }),
    )
    expect(e.code).toBe('another_factor_required')
    expect(fetched).toHaveLength(before)
  })
})

describe('associateFaceByLocalFile', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('fails clearly outside a browser, sending nothing', async () => {
    const s = faceSetup()
    const e = await failure(s.client().mfa.associateFaceByLocalFile())
    expect(e.code).toBe('invalid_request')
    expect(e.message).toMatch(/browser/)
    expect(e.message).toMatch(/associateFaceByBlob/)
    expect(s.requests).toHaveLength(0)
  })

  /** A page whose file picker answers with `file` (or is closed, with `null`). */
  function pageWithPicker(file: File | null) {
    const inputs: { type: string; accept: string }[] = []
    vi.stubGlobal('document', {
      createElement: (tag: string) => {
        expect(tag).toBe('input')
        const listeners = new Map<string, () => void>()
        const input = {
          type: '',
          accept: '',
          files: null as File[] | null,
          addEventListener: (name: string, listener: () => void) => listeners.set(name, listener),
          click: () =>
            setTimeout(() => {
              if (file) {
                input.files = [file]
                listeners.get('change')?.()
              } else listeners.get('cancel')?.()
            }, 1),
        }
        inputs.push(input)
        return input
      },
    })
    return inputs
  }

  it('opens a picker for photos, uploads the chosen one and binds it', async () => {
    const s = faceSetup()
    const { client } = await withTotpSession(s)
    const inputs = pageWithPicker(
      new File([fixture('grace_hopper.jpg') as Uint8Array<ArrayBuffer>], 'IMG_0042.jpg', { type: 'image/jpeg' }),
    )
    const user = await client.mfa.associateFaceByLocalFile()
    expect(user.id).toEqual(expect.any(String))
    expect(inputs).toEqual([expect.objectContaining({ type: 'file', accept: 'image/jpeg,image/png,image/webp' })])
    // The user's own file name stays on the page.
    expect((await uploadedFile(uploads(s).at(-1)!)).name).toBe('personal.jpeg')
    const body = (await s.requests.at(-1)!.json()) as { photoA: string; photoB: string }
    expect(body.photoB).toBe(body.photoA)
  })

  it('rejects with aborted when the picker is closed without a photo', async () => {
    const s = faceSetup()
    const { client } = await withTotpSession(s)
    const before = s.requests.length
    pageWithPicker(null)
    expect((await failure(client.mfa.associateFaceByLocalFile())).code).toBe('aborted')
    expect(s.requests).toHaveLength(before)
  })
})

describe('verifyFaceMfa', () => {
  it('finishes the login with a photo of the bound face, and the client holds the token', async () => {
    const s = faceSetup()
    const { login, user: account } = await enrolled(s)
    const { client, mfaToken, trigger } = await login()
    expect(trigger.faceMfaEnabled).toBe(true)
    expect(trigger.applicationMfa.map((f) => f.mfaPolicy)).toContain('FACE')
    const key = await client.mfa.uploadFace(photoBlob(await webcamFrame(fixture('grace_hopper.jpg'))), { mfaToken })
    const user = await client.mfa.verifyFaceMfa(key, mfaToken)
    expect(user).toMatchObject({ id: account.id, token: expect.any(String) })
    expect(client.getToken()).toBe(user.token)
    const request = s.requests.at(-1)!
    expect(pathOf(request)).toBe(paths.faceVerify)
    expect(request.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)
    expect(await request.json()).toEqual({ photo: key })
  })

  it('uses the pending login when no mfaToken is given', async () => {
    const s = faceSetup()
    const { login } = await enrolled(s)
    const { client, mfaToken } = await login()
    const key = await client.mfa.uploadFace(fixtureBlob('grace_hopper_512x512.jpg'))
    expect(uploads(s).at(-1)!.headers.get('authorization')).toBe(`Bearer ${mfaToken}`)
    expect((await client.mfa.verifyFaceMfa(key)).token).toBe(client.getToken())
  })

  it.each<[string, string, number, () => Promise<Uint8Array>]>([
    ['another person', 'face_mismatch', 1701, async () => fixture('astronaut.png')],
    ['no face', 'face_not_detected', 1700, async () => fixture('coffee.png')],
    ['two faces', 'multiple_faces', 1703, () => sideBySide(fixture('grace_hopper.jpg'), fixture('astronaut.png'))],
    ['a damaged photo', 'invalid_image', 1702, async () => truncated(fixture('grace_hopper.jpg'))],
  ])('refuses %s with %s (%i), and the client holds no token', async (_, code, authingCode, photo) => {
    const s = faceSetup()
    const { login } = await enrolled(s)
    const { client, mfaToken } = await login()
    const key = await client.mfa.uploadFace(photoBlob(await photo()), { mfaToken })
    const e = await failure(client.mfa.verifyFaceMfa(key, mfaToken))
    expect(e).toMatchObject({ code, authingCode })
    expect(client.getToken()).toBeNull()
  })

  it('refuses a key used once already: each upload serves one verification', async () => {
    const s = faceSetup({ limits: { mfaTokenMaxAttempts: 10 } })
    const { login } = await enrolled(s)
    const { client, mfaToken } = await login()
    const key = await client.mfa.uploadFace(fixtureBlob('astronaut.png'), { mfaToken })
    expect((await failure(client.mfa.verifyFaceMfa(key, mfaToken))).code).toBe('face_mismatch')
    expect((await failure(client.mfa.verifyFaceMfa(key, mfaToken))).code).toBe('invalid_image')
  })

  it('is throttled after repeated mismatches: rate_limited with the wait, after which the right face signs in', async () => {
    const s = faceSetup({ limits: { mfaTokenMaxAttempts: 7 } })
    const { login } = await enrolled(s)
    const { client, mfaToken } = await login()
    const attempt = async () =>
      failure(client.mfa.verifyFaceMfa(await client.mfa.uploadFace(fixtureBlob('astronaut.png'), { mfaToken }), mfaToken))
    const codes: string[] = []
    let locked: Awaited<ReturnType<typeof attempt>> | undefined
    for (let i = 0; i < 6 && !locked; i++) {
      const e = await attempt()
      codes.push(e.code)
      if (e.code === 'rate_limited') locked = e
    }
    expect(codes).toEqual([...Array(5).fill('face_mismatch'), 'rate_limited'])
    expect(locked).toMatchObject({ authingCode: 2057, retryAfterMs: expect.any(Number) })
    expect(locked!.retryAfterMs).toBeGreaterThan(0)

    // After the wait, the right face still signs in, while the sign-in has attempts left.
    s.clock.advance(locked!.retryAfterMs! + 1)
    const key = await client.mfa.uploadFace(fixtureBlob('grace_hopper_512x512.jpg'), { mfaToken })
    expect((await client.mfa.verifyFaceMfa(key, mfaToken)).token).toBe(client.getToken())
  })

  it('ends the sign-in once its attempts are used up: too_many_attempts', async () => {
    const s = faceSetup({ limits: { mfaTokenMaxAttempts: 2 } })
    const { login } = await enrolled(s)
    const { client, mfaToken } = await login()
    const codes: string[] = []
    for (let i = 0; i < 3; i++) {
      const key = await client.mfa.uploadFace(fixtureBlob('coffee.png'), { mfaToken }).catch(() => 'none')
      codes.push((await failure(client.mfa.verifyFaceMfa(key, mfaToken))).code)
    }
    expect(codes).toEqual(['face_not_detected', 'face_not_detected', 'too_many_attempts'])
  })
})

describe('deleteFaceMfa', () => {
  it('removes the face of the signed-in user', async () => {
    const s = faceSetup()
    const { client } = await enrolled(s)
    expect(await client.mfa.getMfaAuthenticators({ type: 'face' })).toHaveLength(1)
    expect(await client.mfa.deleteFaceMfa()).toEqual({ code: 200, message: expect.any(String) })
    expect(s.requests.at(-1)!.method).toBe('DELETE')
    expect(pathOf(s.requests.at(-1)!)).toBe(paths.faceAssociate)
    expect(await client.mfa.getMfaAuthenticators({ type: 'face' })).toEqual([])
  })
})
