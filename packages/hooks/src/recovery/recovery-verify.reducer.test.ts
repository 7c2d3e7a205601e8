import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { recoveryCodeVerifyInitialState as initial, recoveryCodeVerifyReducer as reduce } from './recovery-verify.reducer'
import type { RecoveryCodeVerifyEvent, RecoveryCodeVerifyState, RecoveryCodeVerifyStatus } from './recovery-verify.reducer'

const user = { id: 'u1', token: 't' }
const code = 'aaaa-bbbb-cccc-dddd'
const at = (status: RecoveryCodeVerifyStatus, extra: Partial<RecoveryCodeVerifyState> = {}): RecoveryCodeVerifyState => ({
  ...initial,
  status,
  ...(status === 'showing_recovery_code' ? { user, recoveryCode: code } : {}),
  ...extra,
})

const rows: [string, RecoveryCodeVerifyState, RecoveryCodeVerifyEvent, Partial<RecoveryCodeVerifyState>][] = [
  [
    'verifies a recovery code',
    at('idle', { error: mfaError('invalid_recovery_code') }),
    { type: 'verify' },
    { status: 'verifying', error: null },
  ],
  [
    'shows the new recovery code',
    at('verifying'),
    { type: 'verified', user, recoveryCode: code },
    { status: 'showing_recovery_code', user, recoveryCode: code, acknowledged: false },
  ],
  [
    'goes back to idle after a wrong code',
    at('verifying'),
    { type: 'fail', error: mfaError('invalid_recovery_code') },
    { status: 'idle', error: mfaError('invalid_recovery_code') },
  ],
  [
    'waits when throttled',
    at('verifying'),
    { type: 'fail', error: mfaError('rate_limited', 5_000) },
    { status: 'rate_limited', resume: 'idle' },
  ],
  ['accepts codes again after the wait', at('rate_limited'), { type: 'retry_ready' }, { status: 'idle' }],
  ['expires with the mfaToken', at('verifying'), { type: 'fail', error: mfaError('mfa_token_expired') }, { status: 'expired' }],
  ['records the acknowledgement', at('showing_recovery_code'), { type: 'acknowledge', acknowledged: true }, { acknowledged: true }],
  [
    'withdraws the acknowledgement',
    at('showing_recovery_code', { acknowledged: true }),
    { type: 'acknowledge', acknowledged: false },
    { acknowledged: false },
  ],
  [
    'refuses to finish unacknowledged',
    at('showing_recovery_code'),
    { type: 'finish' },
    { status: 'showing_recovery_code', recoveryCode: code },
  ],
  [
    'finishes and forgets the new code',
    at('showing_recovery_code', { acknowledged: true }),
    { type: 'finish' },
    { status: 'done', recoveryCode: null, user },
  ],
  ['resets', at('showing_recovery_code'), { type: 'reset' }, initial],
]

const ignored: [RecoveryCodeVerifyStatus, RecoveryCodeVerifyEvent][] = [
  ['verifying', { type: 'verify' }],
  ['showing_recovery_code', { type: 'verify' }],
  ['idle', { type: 'verified', user, recoveryCode: code }],
  ['idle', { type: 'acknowledge', acknowledged: true }],
  ['done', { type: 'finish' }],
  ['idle', { type: 'fail', error: mfaError('network') }],
  ['idle', { type: 'retry_ready' }],
]

describe('recoveryCodeVerifyReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %s the event %o', (status, event) => {
    const from = at(status)
    expect(reduce(from, event)).toBe(from)
  })
})
