import { errors } from '../http/errors'
import type { FailurePolicy } from '../store/types'
import type { ServerContext } from './context'

/** Factors with their own consecutive-failure counter. Recovery codes share the TOTP counter. */
export type ThrottledFactor = 'otp' | 'sms' | 'email' | 'face'

/**
 * The failure policy of a factor. Face follows NIST SP 800-63B-4 §3.2.3 for biometrics (FACE-02):
 * 5 consecutive failures, then at least 30 s before each further try, and after 50 face is turned
 * off until it is bound again; the others lock for a growing delay after each round of failures.
 */
export function factorPolicy(ctx: ServerContext, factor: ThrottledFactor): FailurePolicy {
  const { limits } = ctx.config
  const delays = { baseLockMs: limits.lockBaseMs, maxLockMs: limits.lockMaxMs }
  if (factor === 'face') return { threshold: limits.faceFailureThreshold, disableAfter: limits.faceFailureLimit, ...delays }
  return { threshold: limits.failureThreshold, ...delays }
}

const keyOf = (userId: string, factor: ThrottledFactor) => `factor:${factor}:${userId}`

/**
 * Starts a verification attempt for an account and factor. The counter is shared by every
 * mfaToken, session and resend of that account (VER-04); the attempt counts as a failure until
 * {@link factorSucceeded} is called, so parallel attempts can never exceed the threshold (REL-02).
 */
export async function beginFactorAttempt(ctx: ServerContext, userId: string, factor: ThrottledFactor): Promise<void> {
  const result = await ctx.store.beginAttempt(keyOf(userId, factor), ctx.clock.now(), factorPolicy(ctx, factor))
  if (!result.allowed) {
    ctx.log('warn', 'mfa.locked_attempt', { userId, factor })
    throw errors.locked(result.retryAfterMs)
  }
  if (result.failures >= ctx.config.limits.failureThreshold) {
    ctx.log('warn', 'mfa.lock_reached', { userId, factor, failures: result.failures })
  }
}

/** A successful verification forgets earlier failures of that factor (VER-06). */
export async function factorSucceeded(ctx: ServerContext, userId: string, factor: ThrottledFactor): Promise<void> {
  await ctx.store.resetFailures(keyOf(userId, factor))
}

export function factorFailureKey(userId: string, factor: ThrottledFactor): string {
  return keyOf(userId, factor)
}
