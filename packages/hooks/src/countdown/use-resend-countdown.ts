import { useContext, useEffect, useRef, useState } from '../peer'
import { MfaContext } from '../context'
import { nextTickIn, secondsLeft } from './countdown'

export interface UseResendCountdownOptions {
  /** The clock to read, in epoch ms. Defaults to the provider's `now`, else `Date.now`. */
  now?: () => number
  /** Called once when a running countdown reaches zero. */
  onEnd?: () => void
}

export interface UseResendCountdownResult {
  /** Whole seconds left, rounded up; 0 when not running. */
  secondsLeft: number
  /** True while counting down. */
  isActive: boolean
  /** Starts (or restarts) a countdown of `ms` milliseconds, e.g. the server's `retryAfterMs`. */
  start: (ms: number) => void
  /** Stops without calling `onEnd`. */
  stop: () => void
}

/**
 * A countdown to the moment the server accepts another send or attempt. It re-renders once per
 * displayed second, reads an injectable clock and clears its timer on unmount.
 */
export function useResendCountdown(options: UseResendCountdownOptions = {}): UseResendCountdownResult {
  const ctx = useContext(MfaContext)
  const latest = useRef(options)
  latest.current = options
  const now = () => (latest.current.now ?? ctx?.now ?? Date.now)()
  const [state, setState] = useState<{ until: number; at: number } | null>(null)

  useEffect(() => {
    if (!state) return
    const wait = nextTickIn(state.until, state.at)
    if (wait === 0) {
      setState(null)
      latest.current.onEnd?.()
      return
    }
    const id = setTimeout(() => setState((s) => s && { until: s.until, at: now() }), wait)
    return () => clearTimeout(id)
  }, [state])

  return {
    secondsLeft: state ? secondsLeft(state.until, state.at) : 0,
    isActive: state !== null,
    start: (ms) => {
      const at = now()
      setState({ until: at + Math.max(0, ms), at })
    },
    stop: () => setState(null),
  }
}
