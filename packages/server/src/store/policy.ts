import type { FailurePolicy } from './types'

/**
 * Lock delay for a lockout, given how many lockouts came before it since the last success:
 * `baseLockMs`, then twice that, four times, … capped at `maxLockMs`. Shared by every adapter so
 * that they lock identically.
 */
export function lockDelay(policy: FailurePolicy, previousLockouts: number): number {
  const exponent = Math.min(Math.max(0, Math.floor(previousLockouts)), 30)
  return Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** exponent)
}
