/**
 * The store side of a second-factor verification with an mfaToken: one atomic store call per
 * outcome, made once the code has been checked.
 *
 * - A wrong code: {@link secondFactorFailed} counts it on the mfaToken (TOK-07) and on the
 *   account's factor (VER-04), which locks at the threshold.
 * - A matching code: {@link secondFactorPassed} advances the TOTP step (replay guard, VER-03),
 *   consumes the mfaToken, resets the factor's failures (VER-06), stores the new session and counts
 *   the login, all or nothing.
 *
 * Both calls decide under the store's lock, and a matching code is accepted only while the factor
 * is not locked and the mfaToken has attempts left. However many requests run in parallel, a code
 * can therefore succeed only while fewer than the threshold of failures have been recorded: 50
 * parallel wrong codes get exactly 5 "wrong code" answers and 45 "locked" ones, and a right code
 * among them is accepted only if it is decided before the fifth failure (REL-02).
 *
 * Face follows the same path with its own failure policy (see `factorPolicy`), and a session it
 * opens is not a recent authentication (see `NOT_RECENT`).
 */

import type { User } from '@mfa-kit/protocol'
import { errors } from '../http/errors'
import { isLockedUntilReset } from '../store/policy'
import type { MfaAttemptInput, MfaFailureResult, UserRecord } from '../store/types'
import type { ServerContext } from './context'
import { factorFailureKey, factorPolicy, type ThrottledFactor } from './throttle'
import { mintAccessToken, type Credential } from './tokens'
import { userView } from './users'

function attemptInput(ctx: ServerContext, credential: Credential, userId: string, factor: ThrottledFactor): MfaAttemptInput {
  const { limits } = ctx.config
  return {
    mfaTokenHash: credential.hash,
    mfaTokenMaxAttempts: limits.mfaTokenMaxAttempts,
    mfaTokenWindowMs: limits.mfaTokenTtlMs,
    factorKey: factorFailureKey(userId, factor),
    policy: factorPolicy(ctx, factor),
    now: ctx.clock.now(),
  }
}

/**
 * The answer to a refused attempt: 2021 for a dead mfaToken, 6008 for a used-up one, 2057 while
 * locked, 6005 for a face turned off after too many failures.
 */
async function refusal(
  ctx: ServerContext,
  result: Exclude<MfaFailureResult, { outcome: 'counted' }>,
  userId: string,
  factor: ThrottledFactor,
) {
  if (result.outcome === 'locked') {
    ctx.log('warn', 'mfa.locked_attempt', { userId, factor })
    if (factor === 'face' && isLockedUntilReset(await ctx.store.getFailureState(factorFailureKey(userId, factor))))
      return errors.faceTurnedOff()
    return errors.locked(result.retryAfterMs)
  }
  if (result.outcome === 'token_exhausted') {
    ctx.log('warn', 'mfa_token.exhausted', { userId })
    return errors.mfaTokenExhausted()
  }
  return errors.mfaTokenInvalid()
}

/**
 * Records a wrong code of `factor` and returns the error to answer: `wrong` (e.g. 6001) when it
 * was counted, 2021 or 2057 when the attempt was refused. `onTurnedOff` runs when this failure
 * turned the factor off (face, at its failure limit).
 */
export async function secondFactorFailed(
  ctx: ServerContext,
  credential: Credential,
  userId: string,
  factor: ThrottledFactor,
  wrong: () => Error,
  onTurnedOff?: () => Promise<void>,
): Promise<Error> {
  const input = attemptInput(ctx, credential, userId, factor)
  const result = await ctx.store.recordMfaFailure(input)
  if (result.outcome !== 'counted') return refusal(ctx, result, userId, factor)
  if (result.failures >= input.policy.threshold) ctx.log('warn', 'mfa.lock_reached', { userId, factor, failures: result.failures })
  if (input.policy.disableAfter === result.failures) await onTurnedOff?.()
  ctx.log('info', 'mfa.failed', { userId, factor })
  return wrong()
}

/**
 * Applies a matching code of `factor` and returns the user with a new session. A TOTP step that
 * was accepted meanwhile counts as a wrong code (6001).
 */
export async function secondFactorPassed(
  ctx: ServerContext,
  credential: Credential,
  user: UserRecord,
  factor: ThrottledFactor,
  totp?: { totpId: string; step: number },
): Promise<User> {
  const token = await mintAccessToken(ctx, user.id, 'mfa', { recent: factor !== 'face' })
  const result = await ctx.store.completeMfa({
    ...attemptInput(ctx, credential, user.id, factor),
    userId: user.id,
    ...(totp ? { totp } : {}),
    accessToken: token.record,
  })
  if (result.outcome === 'replayed') {
    ctx.log('warn', 'mfa.replayed', { userId: user.id, factor })
    throw errors.invalidTotp()
  }
  if (result.outcome !== 'accepted') throw await refusal(ctx, result, user.id, factor)
  ctx.log('info', 'login.succeeded', { userId: user.id, method: 'mfa' })
  return userView(ctx, result.user, token)
}
