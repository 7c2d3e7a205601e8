/**
 * Face tests of the hooks: the reference server with its real Node matcher (loaded once per file,
 * answers remembered per photo), the fixture photos as Blobs, accounts with a face, and a camera
 * that jsdom does not have.
 */
import { Blob as NodeBlob, File as NodeFile } from 'node:buffer'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FaceAnalysis, FaceMatcher, MfaServerOptions } from '@mfa-kit/server'
import { createNodeFaceMatcher, type NodeFaceMatcher } from '@mfa-kit/server/node'
import { afterAll, beforeAll } from 'vitest'
import { sideBySide, webcamFrame, type Fixture } from '../../../server/src/node/face/photos.testing'
import { createKit } from '../harness.testing'

export { sideBySide, webcamFrame, type Fixture }

// Found from this file's path: under jsdom, `new URL(…, import.meta.url)` is rewritten as a page asset.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../server/test/fixtures/faces')

/** A fresh copy of a fixture photo's bytes (the server wipes the photos it is given). */
export const fixture = (name: Fixture): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)))

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

/** A photo as the page hands it over. */
export const photoBlob = (bytes: Uint8Array, type = 'image/jpeg'): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>], { type })

/** A fixture as a Blob. */
export const fixtureBlob = (name: Fixture): Blob => photoBlob(fixture(name), name.endsWith('.png') ? 'image/png' : 'image/jpeg')

/**
 * The hooks' kit with face on (`OTP` and `FACE`) and the real matcher: the models load before the
 * file's first test. Call at the top of a test file; `kit()` gives the kit inside tests.
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
    matcher,
    /** Another kit on the same matcher, with other server options. */
    with: (other: Partial<MfaServerOptions>) => faceKit(matcher, { ...options, ...other }),
    /** An account with TOTP, signed in with it: the client holds a recent session, ready to bind a face. */
    async signedInToBindFace() {
      return base.signedInWithTotp()
    },
    /** An account with TOTP and the Hopper face, signing in again: face can finish this sign-in. */
    async signInWithFace() {
      const account = await base.signedInWithTotp()
      await account.client.mfa.associateFaceByBlob({
        baseFace: fixtureBlob('grace_hopper.jpg'),
        compareFace: fixtureBlob('grace_hopper_512x512.jpg'),
      })
      base.clock.advance(1_000)
      const again = await base.signIn(account.account)
      if (!again.trigger.faceMfaEnabled) throw new Error('expected face to be offered')
      return { ...again, secret: account.secret }
    },
  }
}

type FaceKit = ReturnType<typeof faceKit>

/** A camera track as far as the hook uses it: it stops, and it can end on its own. */
export class FakeTrack extends EventTarget {
  readonly kind = 'video'
  stopped = false
  stop(): void {
    this.stopped = true
  }
  /** The device went away. */
  end(): void {
    this.dispatchEvent(new Event('ended'))
  }
}

/** A stream of one fake track. */
export function fakeStream(): MediaStream & { track: FakeTrack } {
  const track = new FakeTrack()
  return {
    track,
    getTracks: () => [track],
    getVideoTracks: () => [track],
    getAudioTracks: () => [],
    removeTrack: () => {},
  } as unknown as MediaStream & { track: FakeTrack }
}

/** `navigator.mediaDevices` for jsdom: each request answers with `answer()` (a stream, or a thrown error). */
export function fakeMediaDevices(answer: () => MediaStream | Promise<MediaStream> = fakeStream) {
  const requests: MediaStreamConstraints[] = []
  return {
    requests,
    getUserMedia: async (constraints: MediaStreamConstraints) => {
      requests.push(constraints)
      return answer()
    },
  }
}

/** `navigator.permissions` for jsdom, whose camera permission the test changes with `set`. */
export function fakePermissions(initial: PermissionState) {
  const status = Object.assign(new EventTarget(), { state: initial, name: 'camera', onchange: null }) as unknown as PermissionStatus & {
    state: PermissionState
  }
  return {
    status,
    query: async () => status,
    set(state: PermissionState) {
      status.state = state
      status.dispatchEvent(new Event('change'))
    },
  }
}

/** A DOMException as getUserMedia rejects with it. */
export const mediaError = (name: string, message = name): DOMException => new DOMException(message, name)
