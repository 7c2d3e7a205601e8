import { useEffect, useRef, useState } from '../peer'
import { MutationObserver } from '../peer-query'
import type { CallOptions, MfaError, User } from '@mfa-kit/client'
import { useResendCountdown } from '../countdown/use-resend-countdown'
import { useMfaContext } from '../provider'
import type { MfaMutationOptions } from '../query-options'
import { toMfaError } from './flow'
import type { SharedFlowEvent } from './machine'

/** Callbacks every server-backed flow accepts. */
export interface FlowCallbacks {
  /** The mfaToken (or session) is no longer accepted: the flow is `expired`; start a new login. */
  onExpired?: (error: MfaError) => void
}

/** How long to wait when the server throttles without saying for how long (Guard's figure). */
const DEFAULT_RETRY_MS = 60_000

/**
 * State from a pure reducer, held in a ref as well so that actions see the latest state at once
 * and a second click cannot start a second request.
 */
export function useMachine<S, E>(reducer: (state: S, event: E) => S, init: () => S) {
  const [state, setState] = useState(init)
  const ref = useRef(state)
  const send = (event: E): boolean => {
    const prev = ref.current
    const next = reducer(prev, event)
    if (next === prev) return false
    ref.current = next
    setState(next)
    return true
  }
  return [state, send, ref] as const
}

/**
 * A flow's machine plus its server calls. Calls run as TanStack mutations (no retry, nothing
 * cached), carry an AbortSignal that fires on unmount, and feed failures into the reducer:
 * throttling starts the countdown, a dead mfaToken calls `onExpired`.
 */
export function useFlow<S extends { status: string; error: MfaError | null }, E extends { type: string }>(
  reducer: (state: S, event: E | SharedFlowEvent) => S,
  init: () => S,
  callbacks: FlowCallbacks,
) {
  const ctx = useMfaContext()
  const [state, send, ref] = useMachine(reducer, init)
  const latest = useRef(callbacks)
  latest.current = callbacks
  const countdown = useResendCountdown({ onEnd: () => send({ type: 'retry_ready' }) })
  const live = useRef({ mounted: false, controller: null as AbortController | null })

  useEffect(() => {
    const l = live.current
    l.mounted = true
    return () => {
      l.mounted = false
      // StrictMode unmounts and remounts synchronously; only a real unmount aborts.
      queueMicrotask(() => {
        if (!l.mounted) l.controller?.abort()
      })
    }
  }, [])

  /**
   * Sends `event` and, when the machine accepts it, runs one call. Resolves to the call's result,
   * or to `undefined` when the event was refused, the call failed (then `onFail` runs) or its
   * answer is stale.
   */
  const call = async <R, V extends CallOptions>(
    event: E,
    options: MfaMutationOptions<R, V>,
    variables: V,
    onFail?: () => void,
  ): Promise<R | undefined> => {
    if (!send(event)) return
    const l = live.current
    l.controller?.abort()
    const controller = new AbortController()
    l.controller = controller
    const observer = new MutationObserver(ctx.queryClient, options)
    let data: R | undefined
    let error: MfaError | undefined
    try {
      data = await observer.mutate({ ...variables, signal: controller.signal })
    } catch (e) {
      error = toMfaError(e)
    }
    observer.reset()
    if (!l.mounted || l.controller !== controller) return
    l.controller = null
    if (!error) return data
    send({ type: 'fail', error })
    onFail?.()
    const { status } = ref.current
    if (status === 'rate_limited') countdown.start(error.retryAfterMs ?? DEFAULT_RETRY_MS)
    if (status === 'expired') latest.current.onExpired?.(error)
  }

  return {
    ...ctx,
    state,
    send,
    ref,
    call,
    countdown,
    /** The flow ended with a signed-in user: the session records it, then the hook's own callback runs. */
    signedIn: (user: User, callback?: (user: User) => void) => {
      ctx.session.signIn(user)
      callback?.(user)
    },
    /** Starts over: the reducer's `reset`, the countdown stopped, then `then`. */
    reset: (then?: () => void) => {
      send({ type: 'reset' })
      countdown.stop()
      then?.()
    },
  }
}
