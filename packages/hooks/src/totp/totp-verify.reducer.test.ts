import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { totpVerifyInitialState as initial, totpVerifyReducer as reduce } from './totp-verify.reducer'
import type { TotpVerifyEvent, TotpVerifyState, TotpVerifyStatus } from './totp-verify.reducer'

const user = { id: 'u1', token: 't' }
const at = (status: TotpVerifyStatus, extra: Partial<TotpVerifyState> = {}): TotpVerifyState => ({ ...initial, status, ...extra })

const rows: [string, TotpVerifyState, TotpVerifyEvent, Partial<TotpVerifyState>][] = [
  ['verifies a code', at('idle', { error: mfaError('invalid_code') }), { type: 'verify' }, { status: 'verifying', error: null }],
  ['ends verified with the user', at('verifying'), { type: 'verified', user }, { status: 'verified', user }],
  [
    'goes back to idle after a wrong code',
    at('verifying'),
    { type: 'fail', error: mfaError('invalid_code') },
    { status: 'idle', error: mfaError('invalid_code') },
  ],
  [
    'goes back to idle after a network failure',
    at('verifying'),
    { type: 'fail', error: mfaError('network') },
    { status: 'idle', error: mfaError('network') },
  ],
  [
    'waits when throttled',
    at('verifying'),
    { type: 'fail', error: mfaError('rate_limited', 60_000) },
    { status: 'rate_limited', resume: 'idle' },
  ],
  ['accepts codes again after the wait', at('rate_limited'), { type: 'retry_ready' }, { status: 'idle' }],
  [
    'expires with the mfaToken',
    at('verifying'),
    { type: 'fail', error: mfaError('mfa_token_expired') },
    { status: 'expired', error: mfaError('mfa_token_expired') },
  ],
  [
    'ends expired when the mfaToken used up its attempts',
    at('verifying'),
    { type: 'fail', error: mfaError('too_many_attempts') },
    { status: 'expired', error: mfaError('too_many_attempts') },
  ],
  [
    'treats a missing session as an error, not an expiry',
    at('verifying'),
    { type: 'fail', error: mfaError('unauthenticated') },
    { status: 'idle', error: mfaError('unauthenticated') },
  ],
  ['resets', at('expired', { error: mfaError('mfa_token_expired') }), { type: 'reset' }, initial],
]

const ignored: [TotpVerifyStatus, TotpVerifyEvent][] = [
  ['verifying', { type: 'verify' }],
  ['rate_limited', { type: 'verify' }],
  ['expired', { type: 'verify' }],
  ['verified', { type: 'verify' }],
  ['idle', { type: 'verified', user }],
  ['idle', { type: 'fail', error: mfaError('invalid_code') }],
  ['verified', { type: 'fail', error: mfaError('mfa_token_expired') }],
  ['idle', { type: 'retry_ready' }],
]

describe('totpVerifyReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %s the event %o', (status, event) => {
    const from = at(status)
    expect(reduce(from, event)).toBe(from)
  })
})
