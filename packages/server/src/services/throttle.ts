import { errors } from '../http/errors'
import type { FailurePolicy } from '../store/types'
import type { ServerContext } from './context'

/** Factors with their own consecutive-failure counter. Recovery codes share the TOTP counter. */
export type ThrottledFactor = 'otp' | 'sms' | 'email'

export function factorPolicy(ctx: ServerContext): FailurePolicy {
  const { limits } = ctx.config
  return { threshold: limits.failureThreshold, baseLockMs: limits.lockBaseMs, maxLockMs: limits.lockMaxMs }
}

const keyOf = (userId: string, factor: ThrottledFactor) => `factor:${factor}:${userId}`

/**
 * Starts a verification attempt for an account and factor. The counter is shared by every
 * mfaToken, session and resend of that account (VER-04); the attempt counts as a failure until
 * {@link factorSucceeded} is called, so parallel attempts can never exceed the threshold (REL-02).
 */
export async function beginFactorAttempt(ctx: ServerContext, userId: string, factor: ThrottledFactor): Promise<void> {
  const result = await ctx.store.beginAttempt(keyOf(userId, factor), ctx.clock.now(), factorPolicy(ctx))
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
