/** Whole seconds left until `until` (epoch ms) at time `now`, rounded up and never negative. */
export function secondsLeft(until: number | null, now: number): number {
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000))
}

/** How long to wait before the displayed number of seconds changes. */
export function nextTickIn(until: number, now: number): number {
  const left = until - now
  return left <= 0 ? 0 : left % 1000 || 1000
}
