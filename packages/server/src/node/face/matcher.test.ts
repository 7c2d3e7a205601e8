/**
 * The Node face matcher with the real models and the fixture photos. One matcher (one worker
 * thread, one model load) serves the whole file.
 */

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FaceImageError, FaceMatcherBusyError } from '../../face/matcher'
import { createNodeFaceMatcher, type NodeFaceMatcher } from './matcher'
import {
  FIXTURES,
  PERSON,
  asGreyJpeg,
  asWebp,
  blank,
  fixture,
  pngHeader,
  sideBySide,
  truncated,
  turnedWithExif,
  type Fixture,
} from './photos.testing'

// Real models: each photo costs a few hundred milliseconds of CPU, more on a busy machine.
vi.setConfig({ testTimeout: 30_000 })

const THRESHOLD = 0.5
const LIMITS = { maxDimension: 4096 }

let matcher: NodeFaceMatcher
const descriptors = new Map<Fixture, Float32Array>()

beforeAll(async () => {
  matcher = createNodeFaceMatcher()
  await matcher.load()
  for (const name of FIXTURES) {
    const analysis = await matcher.analyze(fixture(name), { confirm: true, ...LIMITS })
    if (analysis.descriptor) descriptors.set(name, analysis.descriptor)
  }
}, 120_000)

afterAll(async () => {
  await matcher?.close()
})

const describeOne = async (bytes: Uint8Array, confirm = false) => {
  const analysis = await matcher.analyze(bytes, { confirm, ...LIMITS })
  expect(analysis.faces).toBe(1)
  return analysis.descriptor!
}

describe('the Node face matcher on the fixture photos', () => {
  it('loads its models in a worker, once', () => {
    expect(matcher.modelLoadMs).toBeGreaterThan(0)
  })

  it('finds exactly one face, confirmed by the second detector, in every photo of a person, and none in the coffee', () => {
    for (const name of FIXTURES) expect(descriptors.has(name), name).toBe(PERSON[name] !== null)
    expect(descriptors.get('grace_hopper.jpg')).toHaveLength(128)
  })

  it('matches the Hopper pair and the Vlado pair at the default threshold', () => {
    const hopper = matcher.distance(descriptors.get('grace_hopper.jpg')!, descriptors.get('grace_hopper_512x512.jpg')!)
    const vlado = matcher.distance(descriptors.get('person-vlado.jpg')!, descriptors.get('person-vlado1.jpg')!)
    expect(hopper).toBeLessThan(0.15)
    expect(vlado).toBeGreaterThan(0.35)
    expect(vlado).toBeLessThanOrEqual(THRESHOLD - 0.05)
  })

  it('rejects every pair of different people, with a margin', () => {
    const people = [...descriptors.keys()]
    let pairs = 0
    for (const [i, a] of people.entries()) {
      for (const b of people.slice(i + 1)) {
        if (PERSON[a] === PERSON[b]) continue
        pairs++
        expect(matcher.distance(descriptors.get(a)!, descriptors.get(b)!), `${a} ~ ${b}`).toBeGreaterThan(THRESHOLD + 0.1)
      }
    }
    expect(pairs).toBe(8)
  })

  it('turns a photo upright by its EXIF orientation before looking for the face', async () => {
    const original = descriptors.get('grace_hopper.jpg')!
    const turned = await turnedWithExif(fixture('grace_hopper.jpg'))
    expect(matcher.distance(original, await describeOne(turned, true))).toBeLessThan(0.15)
  })

  it('reads WebP and greyscale photos', async () => {
    const original = descriptors.get('grace_hopper.jpg')!
    expect(matcher.distance(original, await describeOne(await asWebp(fixture('grace_hopper.jpg'))))).toBeLessThan(0.2)
    expect(matcher.distance(original, await describeOne(await asGreyJpeg(fixture('grace_hopper.jpg'))))).toBeLessThan(0.25)
  })

  it('finds no face in blank images', async () => {
    for (const image of [await blank(640, 480, 'png'), await blank(640, 480, 'jpeg', 0)]) {
      expect(await matcher.analyze(image, { confirm: true, ...LIMITS })).toEqual({ faces: 0, descriptor: null })
    }
  })

  it('counts two faces in a photo of two people, and describes neither', async () => {
    const pair = await sideBySide(fixture('grace_hopper.jpg'), fixture('astronaut.png'))
    const analysis = await matcher.analyze(pair, { confirm: true, ...LIMITS })
    expect(analysis.faces).toBe(2)
    expect(analysis.descriptor).toBeNull()
  })

  it.each([
    ['a truncated JPEG', () => truncated(fixture('grace_hopper.jpg'))],
    ['a text file renamed .jpg', () => new TextEncoder().encode('just text, named face.jpg')],
    ['an empty file', () => new Uint8Array(0)],
    ['a 10,000×10,000 PNG header', () => pngHeader(10_000, 10_000)],
    ['a GIF', () => new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x80\x00\x00')],
  ])('refuses %s as an unreadable image', async (_name, make) => {
    await expect(matcher.analyze(make(), { confirm: false, ...LIMITS })).rejects.toBeInstanceOf(FaceImageError)
  })

  it('refuses an image larger than the dimension cap before decoding it', async () => {
    await expect(matcher.analyze(fixture('grace_hopper.jpg'), { confirm: false, maxDimension: 599 })).rejects.toBeInstanceOf(FaceImageError)
  })

  it('keeps the event loop free while a face is analysed', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    await matcher.analyze(fixture('person-vlado1.jpg'), { confirm: true, ...LIMITS })
    clearInterval(timer)
    expect(ticks).toBeGreaterThanOrEqual(5)
  })
})

describe('the matcher queue', () => {
  it('refuses photos beyond its queue, before any model is loaded', async () => {
    const small = createNodeFaceMatcher({ maxQueued: 1 })
    try {
      const first = small.analyze(truncated(fixture('grace_hopper.jpg')), { confirm: false, ...LIMITS })
      await expect(small.analyze(fixture('grace_hopper.jpg'), { confirm: false, ...LIMITS })).rejects.toBeInstanceOf(FaceMatcherBusyError)
      await expect(first).rejects.toBeInstanceOf(FaceImageError)
      expect(small.modelLoadMs).toBeNull()
    } finally {
      await small.close()
    }
  })

  it('refuses work once closed', async () => {
    const closed = createNodeFaceMatcher()
    await closed.close()
    await expect(closed.analyze(fixture('grace_hopper.jpg'), { confirm: false, ...LIMITS })).rejects.toThrow(/closed/)
  })
})
