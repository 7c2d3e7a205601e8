import { useEffect, useMemo, useRef, useState } from '../peer'
import { createFacePrecheck } from './precheck'
import type { FacePrecheckInput, FacePrecheckOptions, FacePrecheckResult } from './precheck'

/** `off` without options; `idle → loading → ready`, or `error` when the files could not be loaded. */
export type FacePrecheckStatus = 'off' | 'idle' | 'loading' | 'ready' | 'error'

export interface UseFacePrecheckResult {
  status: FacePrecheckStatus
  /** Why loading or checking failed. */
  error: Error | null
  data: {
    /** The last check's answer. */
    result: FacePrecheckResult | null
  }
  /** Loads now (for example once the camera is on), so the first check is quick. */
  load: () => Promise<void>
  /**
   * Finds the faces in a frame or photo. Resolves to null when the pre-check is off or cannot
   * run: it is a hint, and the server decides anyway.
   */
  check: (input: FacePrecheckInput) => Promise<FacePrecheckResult | null>
}

/**
 * The optional pre-check of `createFacePrecheck`, as a hook: quick feedback such as "no face in
 * view" before a photo is uploaded. Pass no options to turn it off; nothing loads until `load()`
 * or the first `check()`.
 */
export function useFacePrecheck(options?: FacePrecheckOptions | null): UseFacePrecheckResult {
  const { moduleUrl, modelUrl, wasmUrl, minScore, inputSize } = options ?? {}
  const latest = useRef(options)
  latest.current = options
  const precheck = useMemo(
    () => (latest.current ? createFacePrecheck(latest.current) : null),
    [moduleUrl, modelUrl, wasmUrl, minScore, inputSize],
  )
  const [state, setState] = useState<{ status: FacePrecheckStatus; error: Error | null; result: FacePrecheckResult | null }>({
    status: 'idle',
    error: null,
    result: null,
  })
  const mounted = useRef(false)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])
  const update = (next: Partial<typeof state>) => mounted.current && setState((s) => ({ ...s, ...next }))
  const fail = (error: unknown) => update({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) })

  const load = async () => {
    if (!precheck) return
    if (state.status !== 'ready') update({ status: 'loading', error: null })
    try {
      await precheck.load()
      update({ status: 'ready' })
    } catch (error) {
      fail(error)
    }
  }

  const check = async (input: FacePrecheckInput): Promise<FacePrecheckResult | null> => {
    if (!precheck) return null
    try {
      const result = await precheck.check(input)
      update({ status: 'ready', error: null, result })
      return result
    } catch (error) {
      fail(error)
      return null
    }
  }

  return { status: precheck ? state.status : 'off', error: state.error, data: { result: state.result }, load, check }
}
