import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { failOnConsole } from '../harness.testing'
import { createFacePrecheck } from './precheck'
import type { FacePrecheckOptions } from './precheck'
import { useFacePrecheck } from './use-face-precheck'

failOnConsole()

/**
 * A stand-in for face-api's browser module, with the calls the pre-check makes: the real one
 * needs a browser with WebAssembly and a canvas, and runs in the end-to-end tests.
 */
function faceApiModule(faces: number[] = [0.9]) {
  const calls: unknown[][] = []
  class TinyFaceDetectorOptions {
    constructor(readonly options: unknown) {}
  }
  const module = {
    tf: {
      setWasmPaths: (prefix: string) => void calls.push(['setWasmPaths', prefix]),
      setBackend: async (name: string) => {
        calls.push(['setBackend', name])
        return true
      },
      ready: async () => void calls.push(['ready']),
    },
    nets: { tinyFaceDetector: { loadFromUri: async (url: string) => void calls.push(['loadFromUri', url]) } },
    TinyFaceDetectorOptions,
    detectAllFaces: async (input: unknown, options: TinyFaceDetectorOptions) => {
      calls.push(['detectAllFaces', input, options.options])
      return faces.map((score) => ({ score }))
    },
  }
  return { module, calls }
}

let n = 0
/** Options with URLs of their own, so that each test loads afresh. */
function options(load: FacePrecheckOptions['load'], extra: Partial<FacePrecheckOptions> = {}): FacePrecheckOptions {
  n++
  return { moduleUrl: `/face/${n}/face-api.esm.js`, modelUrl: `/face/${n}/model/`, wasmUrl: `/face/${n}/wasm/`, load, ...extra }
}

describe('createFacePrecheck', () => {
  it('loads the module from the URL given, on the wasm backend, with the tiny detector, once', async () => {
    const { module, calls } = faceApiModule([0.93])
    const load = vi.fn(async () => module)
    const opts = options(load)
    const precheck = createFacePrecheck(opts)
    expect(load).not.toHaveBeenCalled()
    const frame = { frame: 1 } as unknown as HTMLCanvasElement
    expect(await precheck.check(frame)).toEqual({ faces: 1, score: 0.93 })
    expect(load).toHaveBeenCalledExactlyOnceWith(opts.moduleUrl)
    expect(calls).toEqual([
      ['setWasmPaths', opts.wasmUrl],
      ['setBackend', 'wasm'],
      ['ready'],
      ['loadFromUri', opts.modelUrl],
      ['detectAllFaces', frame, { inputSize: 320, scoreThreshold: 0.5 }],
    ])
    await createFacePrecheck(opts).check(frame)
    expect(load).toHaveBeenCalledOnce()
  })

  it('takes the module as a default export too, and its own detector settings', async () => {
    const { module, calls } = faceApiModule([0.6, 0.8])
    const precheck = createFacePrecheck(options(async () => ({ default: module }), { minScore: 0.7, inputSize: 416 }))
    expect(await precheck.check({} as HTMLVideoElement)).toEqual({ faces: 2, score: 0.8 })
    expect(calls.at(-1)?.[2]).toEqual({ inputSize: 416, scoreThreshold: 0.7 })
  })

  it('says when there is no face', async () => {
    const { module } = faceApiModule([])
    expect(await createFacePrecheck(options(async () => module)).check({} as HTMLVideoElement)).toEqual({ faces: 0, score: null })
  })

  it('tries to load again after a failed load', async () => {
    const { module } = faceApiModule()
    const load = vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module')).mockResolvedValue(module)
    const precheck = createFacePrecheck(options(load))
    await expect(precheck.load()).rejects.toThrow('Failed to fetch')
    await precheck.load()
    expect(load).toHaveBeenCalledTimes(2)
  })
})

describe('useFacePrecheck', () => {
  it('is off without options, and checks nothing', async () => {
    const { result } = renderHook(() => useFacePrecheck())
    expect(result.current.status).toBe('off')
    expect(await act(() => result.current.check({} as HTMLVideoElement))).toBeNull()
  })

  it('loads on demand and keeps the last answer', async () => {
    const { module } = faceApiModule([0.9])
    const opts = options(async () => module)
    const { result } = renderHook(() => useFacePrecheck(opts))
    expect(result.current.status).toBe('idle')
    await act(() => result.current.load())
    expect(result.current.status).toBe('ready')
    expect(await act(() => result.current.check({} as HTMLVideoElement))).toEqual({ faces: 1, score: 0.9 })
    expect(result.current.data.result).toEqual({ faces: 1, score: 0.9 })
  })

  it('reports a module that does not load, and answers null: the server decides anyway', async () => {
    const opts = options(async () => {
      throw new TypeError('Failed to fetch dynamically imported module')
    })
    const { result } = renderHook(() => useFacePrecheck(opts))
    expect(await act(() => result.current.check({} as HTMLVideoElement))).toBeNull()
    expect(result.current.status).toBe('error')
    expect(result.current.error?.message).toMatch(/Failed to fetch/)
  })
})
