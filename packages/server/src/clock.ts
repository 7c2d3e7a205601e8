/** Where the server reads the time. Every time-dependent rule uses it, so tests never sleep. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

/** A clock that only moves when told to. */
export interface FakeClock extends Clock {
  /** Moves the clock forward by `ms` (must not be negative) and returns the new time. */
  advance(ms: number): number
  /** Jumps to an absolute time and returns it. */
  set(ms: number): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A manual clock starting at `startMs` (default: 2024-01-01T00:00:00Z). */
export function createFakeClock(startMs = Date.UTC(2024, 0, 1)): FakeClock {
  check(startMs)
  let current = startMs
  return {
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() needs a non-negative number of milliseconds')
      current += ms
      return current
    },
    set(ms) {
      check(ms)
      current = ms
      return current
    },
  }
}

function check(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('a clock time must be a non-negative number of milliseconds')
}
