/**
 * Face tests: the server's real Node matcher (loaded once per file) and the fixture photos of
 * `packages/server/test/fixtures/faces` as Blobs.
 */
import { createHash } from 'node:crypto'
import type { FaceAnalysis, FaceMatcher } from '@mfa-kit/server'
import { createNodeFaceMatcher, type NodeFaceMatcher } from '@mfa-kit/server/node'
import { afterAll, beforeAll } from 'vitest'
import { fixture, sideBySide, truncated, webcamFrame, type Fixture } from '../../server/src/node/face/photos.testing'

export { fixture, sideBySide, truncated, webcamFrame, type Fixture }

/**
 * The real matcher, remembering its answer per photo: the same fixtures are analysed many times
 * in a file, at a few hundred milliseconds each. Each answer is a fresh copy, since the server
 * wipes the descriptors it is given.
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

/** The Node face matcher for the test file: models loaded before the first test, closed after the last. */
export function useFaceMatcher(): { readonly matcher: FaceMatcher } {
  let models: NodeFaceMatcher | undefined
  const holder = { matcher: undefined as unknown as FaceMatcher }
  beforeAll(async () => {
    models = createNodeFaceMatcher()
    await models.load()
    holder.matcher = remembering(models)
  }, 120_000)
  afterAll(async () => {
    await models?.close()
  })
  return holder
}

/** A photo as the page would hand it over. */
export const photoBlob = (bytes: Uint8Array, type = 'image/jpeg'): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>], { type })

/** A fixture as a Blob. */
export const fixtureBlob = (name: Fixture): Blob => photoBlob(fixture(name), name.endsWith('.png') ? 'image/png' : 'image/jpeg')
