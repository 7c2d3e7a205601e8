import { describe, expect, it } from 'vitest'
import type { MfaError } from '@mfa-kit/client'
import { mfaError } from '../harness.testing'
import { authenticatorsStatus } from './authenticators-status'
import type { MfaAuthenticatorsStatus } from './authenticators-status'

describe('authenticatorsStatus', () => {
  it.each<['pending' | 'success' | 'error', MfaError | null, MfaAuthenticatorsStatus]>([
    ['pending', null, 'loading'],
    ['success', null, 'success'],
    ['error', mfaError('network'), 'error'],
    ['error', mfaError('rate_limited', 1_000), 'error'],
    ['error', mfaError('mfa_token_expired'), 'expired'],
    ['error', mfaError('too_many_attempts'), 'expired'],
    ['error', mfaError('unauthenticated'), 'expired'],
  ])('maps %s (%o) to %s', (status, error, expected) => expect(authenticatorsStatus({ status, error })).toBe(expected))
})
