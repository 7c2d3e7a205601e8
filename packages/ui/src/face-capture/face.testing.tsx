/**
 * Face tests of the components: the reference server with its real Node matcher (loaded once per
 * file, answers remembered per photo), the fixture photos, and a camera for jsdom, which has none.
 */
import { Blob as NodeBlob, File as NodeFile } from 'node:buffer'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FaceAnalysis, FaceMatcher, MfaServerOptions } from '@mfa-kit/server'
import { createNodeFaceMatcher, type NodeFaceMatcher } from '@mfa-kit/server/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createKit, totpCode } from '../harness.testing'

type Fixture = 'grace_hopper.jpg' | 'grace_hopper_512x512.jpg' | 'astronaut.png' | 'coffee.png' | 'person-vlado.jpg' | 'person-vlado1.jpg'

// Found from this file's path: under jsdom, `new URL(…, import.meta.url)` is rewritten as a page asset.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../server/test/fixtures/faces')

/** A fresh copy of a fixture photo's bytes. */
export const fixture = (name: Fixture): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)))

/** A fixture as the File a user picks. */
export const fixtureFile = (name: Fixture): File =>
  new File([fixture(name) as Uint8Array<ArrayBuffer>], name, { type: name.endsWith('.png') ? 'image/png' : 'image/jpeg' })

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
      // A fresh copy each time: the server wipes the descriptors it is given.
      return answer.then(({ faces, descriptor }) => ({ faces, descriptor: descriptor && Float32Array.from(descriptor) }))
    },
    distance: real.distance,
  }
}

/**
 * The ui kit with face on (`OTP` and `FACE`) and the real matcher, loaded before the file's first
 * test. Call at the top of a test file; `kit()` gives it inside tests.
 */
export function useFaceKit(options: Partial<MfaServerOptions> = {}) {
  let models: NodeFaceMatcher | undefined
  let kit: FaceKit | undefined
  const pageClasses = { Blob: globalThis.Blob, File: globalThis.File }
  beforeAll(async () => {
    // The server reads uploads with Node's fetch classes, whose files are Node's Blobs; jsdom's
    // Blob class would make them look like no file at all. Browsers have one Blob class.
    Object.assign(globalThis, { Blob: NodeBlob, File: NodeFile })
    models = createNodeFaceMatcher()
    await models.load()
    kit = faceKit(remembering(models), options)
  }, 120_000)
  afterAll(async () => {
    Object.assign(globalThis, pageClasses)
    await models?.close()
  })
  return () => kit!
}

function faceKit(matcher: FaceMatcher, options: Partial<MfaServerOptions>) {
  const base = createKit({ factors: ['OTP', 'FACE'], ...options, face: { matcher, ...options.face } })
  return {
    ...base,
    with: (other: Partial<MfaServerOptions>) => faceKit(matcher, { ...options, ...other }),
    /** An account with TOTP, signed in with it: a recent session, ready to bind a face. */
    async signedInToBindFace() {
      const pending = await base.signInWithTotp()
      await pending.client.mfa.verifyTotpMfa({ totp: totpCode(pending.secret, base.clock.now()), mfaToken: pending.mfaToken })
      return pending
    },
    /** An account with TOTP and the Hopper face, signing in again: face can finish this sign-in. */
    async signInWithFace() {
      const account = await this.signedInToBindFace()
      await account.client.mfa.associateFaceByBlob({
        baseFace: new Blob([fixture('grace_hopper.jpg') as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
        compareFace: new Blob([fixture('grace_hopper_512x512.jpg') as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
      })
      base.clock.advance(30_000)
      return base.signIn(account.email)
    },
  }
}

type FaceKit = ReturnType<typeof faceKit>

/** A camera track as far as the components use it. */
class FakeTrack extends EventTarget {
  readonly kind = 'video'
  stopped = false
  stop(): void {
    this.stopped = true
  }
}

/** A stream of one fake track. */
function fakeStream(): MediaStream & { track: FakeTrack } {
  const track = new FakeTrack()
  return {
    track,
    getTracks: () => [track],
    getVideoTracks: () => [track],
    getAudioTracks: () => [],
    removeTrack: () => {},
  } as unknown as MediaStream & { track: FakeTrack }
}

/**
 * A camera for jsdom: a `mediaDevices` source answering with a stream (or the error given), and
 * a video and canvas that "see" the given photo: the still canvas encodes that photo's bytes. Undo
 * with `restore()` (done after each test).
 */
export function fakeCamera(options: { shows?: Fixture; fails?: DOMException } = {}) {
  const streams: ReturnType<typeof fakeStream>[] = []
  let shows = options.shows ?? 'grace_hopper_512x512.jpg'
  const video = HTMLVideoElement.prototype
  const canvas = HTMLCanvasElement.prototype
  const saved = {
    videoWidth: Object.getOwnPropertyDescriptor(video, 'videoWidth'),
    videoHeight: Object.getOwnPropertyDescriptor(video, 'videoHeight'),
    getContext: canvas.getContext,
    toBlob: canvas.toBlob,
  }
  Object.defineProperty(video, 'videoWidth', { configurable: true, get: () => 640 })
  Object.defineProperty(video, 'videoHeight', { configurable: true, get: () => 480 })
  canvas.getContext = (() => ({ drawImage: () => {} })) as unknown as typeof canvas.getContext
  canvas.toBlob = function toBlob(done: BlobCallback, type?: string) {
    done(new Blob([fixture(shows) as Uint8Array<ArrayBuffer>], { type: type ?? 'image/jpeg' }))
  }
  const restore = () => {
    if (saved.videoWidth) Object.defineProperty(video, 'videoWidth', saved.videoWidth)
    else delete (video as { videoWidth?: number }).videoWidth
    if (saved.videoHeight) Object.defineProperty(video, 'videoHeight', saved.videoHeight)
    else delete (video as { videoHeight?: number }).videoHeight
    canvas.getContext = saved.getContext
    canvas.toBlob = saved.toBlob
  }
  cleanups.push(restore)
  return {
    streams,
    /** What the camera sees from now on. */
    show: (photo: Fixture) => {
      shows = photo
    },
    mediaDevices: {
      getUserMedia: async () => {
        if (options.fails) throw options.fails
        const stream = fakeStream()
        streams.push(stream)
        return stream
      },
    },
    restore,
  }
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** A DOMException as getUserMedia rejects with it. */
export const mediaError = (name: string, message = name): DOMException => new DOMException(message, name)
