/**
 * The matcher the browser matcher is made of (`createFaceApiMatcher`, with the shared face rules),
 * run in this thread with face-api's Node build and the Node decoder in place of the page's: the
 * same fixture photos give the same answers as the Node matcher's worker. The page's own decoder
 * is exercised by the live face stories in Storybook.
 */

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createFaceApiMatcher, type FaceApiMatcher } from '../face/face-api'
import { FaceImageError } from '../face/matcher'
import { decodePhoto } from '../node/face/decode'
import { loadNodeFaceApi } from '../node/face/face-api'
import { fixture, truncated, webcamFrame } from '../node/face/photos.testing'

vi.setConfig({ testTimeout: 30_000 })

const THRESHOLD = 0.5
const LIMITS = { maxDimension: 4096 }

let matcher: FaceApiMatcher

beforeAll(async () => {
  matcher = createFaceApiMatcher({ faceApi: loadNodeFaceApi, decode: (image, maxDimension) => decodePhoto(image, maxDimension, 1280) })
  await matcher.load()
}, 120_000)

afterAll(async () => {
  await matcher?.close()
})

const describeFace = async (bytes: Uint8Array) => {
  const analysis = await matcher.analyze(bytes, { confirm: true, ...LIMITS })
  expect(analysis.faces).toBe(1)
  return analysis.descriptor!
}

describe('the face-api matcher the browser matcher is built on', () => {
  it('loads face-api once, on demand', () => {
    expect(matcher.modelLoadMs).toBeGreaterThan(0)
  })

  it('matches the two Hopper photos, and a webcam-like frame of one of them', async () => {
    const hopper = await describeFace(fixture('grace_hopper.jpg'))
    expect(hopper).toHaveLength(128)
    expect(matcher.distance(hopper, await describeFace(fixture('grace_hopper_512x512.jpg')))).toBeLessThan(0.15)
    expect(matcher.distance(hopper, await describeFace(await webcamFrame(fixture('grace_hopper_512x512.jpg'))))).toBeLessThan(0.2)
  })

  it('refuses the astronaut for Hopper, with a margin', async () => {
    const hopper = await describeFace(fixture('grace_hopper_512x512.jpg'))
    const astronaut = await describeFace(fixture('astronaut.png'))
    expect(matcher.distance(hopper, astronaut)).toBeGreaterThan(THRESHOLD + 0.1)
  })

  it('finds no face in the coffee photo', async () => {
    expect(await matcher.analyze(fixture('coffee.png'), { confirm: true, ...LIMITS })).toEqual({ faces: 0, descriptor: null })
  })

  it('refuses a damaged image before loading anything, and once closed refuses any work', async () => {
    const other = createFaceApiMatcher({
      faceApi: loadNodeFaceApi,
      decode: (image, maxDimension) => decodePhoto(image, maxDimension, 1280),
    })
    await expect(other.analyze(truncated(fixture('grace_hopper.jpg')), { confirm: false, ...LIMITS })).rejects.toBeInstanceOf(
      FaceImageError,
    )
    expect(other.modelLoadMs).toBeNull()
    await other.close()
    await expect(other.analyze(fixture('grace_hopper.jpg'), { confirm: false, ...LIMITS })).rejects.toThrow(/closed/)
  })
})
