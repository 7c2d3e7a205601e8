import { equalBytesFixedLength } from '../crypto/compare'
import { utf8Encode } from '../crypto/encoding'
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

/**
 * Equality of a stored keyed hash and a presented one, in time that does not depend on where they
 * differ. Hashes have a fixed, public length, so a length mismatch may answer early.
 */
export function sameHash(stored: string, presented: string): boolean {
  return equalBytesFixedLength(utf8Encode(stored), utf8Encode(presented))
}

/** Key of an mfaToken's attempt counter in the rate-limit table, shared by every adapter. */
export function mfaTokenAttemptsKey(mfaTokenHash: string): string {
  return `mfa-token-attempts:${mfaTokenHash}`
}
