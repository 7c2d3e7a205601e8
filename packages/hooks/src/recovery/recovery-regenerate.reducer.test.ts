import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { recoveryCodeRegenerateInitialState as initial, recoveryCodeRegenerateReducer as reduce } from './recovery-regenerate.reducer'
import type { RecoveryCodeRegenerateEvent, RecoveryCodeRegenerateState, RecoveryCodeRegenerateStatus } from './recovery-regenerate.reducer'

const at = (status: RecoveryCodeRegenerateStatus, extra: Partial<RecoveryCodeRegenerateState> = {}): RecoveryCodeRegenerateState => ({
  ...initial,
  status,
  ...extra,
})

const rows: [string, RecoveryCodeRegenerateState, RecoveryCodeRegenerateEvent, Partial<RecoveryCodeRegenerateState>][] = [
  ['asks for a new code', at('idle', { error: mfaError('network') }), { type: 'regenerate' }, { status: 'regenerating', error: null }],
  ['asks again once done', at('done'), { type: 'regenerate' }, { status: 'regenerating' }],
  [
    'shows the new code',
    at('regenerating'),
    { type: 'regenerated', recoveryCode: 'new-code' },
    { status: 'showing_recovery_code', recoveryCode: 'new-code' },
  ],
  ['asks for a fresh proof when the sign-in is too old', at('regenerating'), { type: 'reverify' }, { status: 'reverifying' }],
  ['regenerates once the proof is given', at('reverifying'), { type: 'reverified' }, { status: 'regenerating' }],
  [
    'goes back to idle when the proof is given up',
    at('reverifying'),
    { type: 'fail', error: mfaError('reauthentication_required') },
    { status: 'idle', error: mfaError('reauthentication_required') },
  ],
  [
    'goes back to idle without TOTP',
    at('regenerating'),
    { type: 'fail', error: mfaError('not_bound') },
    { status: 'idle', error: mfaError('not_bound') },
  ],
  ['waits when throttled', at('regenerating'), { type: 'fail', error: mfaError('rate_limited', 1_000) }, { status: 'rate_limited' }],
  ['expires when the session is gone', at('regenerating'), { type: 'fail', error: mfaError('unauthenticated') }, { status: 'expired' }],
  [
    'records the acknowledgement',
    at('showing_recovery_code', { recoveryCode: 'c' }),
    { type: 'acknowledge', acknowledged: true },
    { acknowledged: true },
  ],
  [
    'refuses to finish without the acknowledgement',
    at('showing_recovery_code', { recoveryCode: 'c' }),
    { type: 'finish' },
    { status: 'showing_recovery_code', recoveryCode: 'c' },
  ],
  [
    'finishes and drops the code',
    at('showing_recovery_code', { recoveryCode: 'c', acknowledged: true }),
    { type: 'finish' },
    { status: 'done', recoveryCode: null },
  ],
  ['resets and drops the code', at('showing_recovery_code', { recoveryCode: 'c' }), { type: 'reset' }, initial],
]

const ignored: [RecoveryCodeRegenerateStatus, RecoveryCodeRegenerateEvent][] = [
  ['regenerating', { type: 'regenerate' }],
  ['showing_recovery_code', { type: 'regenerate' }],
  ['idle', { type: 'regenerated', recoveryCode: 'x' }],
  ['idle', { type: 'reverify' }],
  ['regenerating', { type: 'reverified' }],
  ['idle', { type: 'acknowledge', acknowledged: true }],
  ['done', { type: 'finish' }],
  ['idle', { type: 'fail', error: mfaError('network') }],
]

describe('recoveryCodeRegenerateReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %s the event %o', (status, event) => {
    const from = at(status)
    expect(reduce(from, event)).toBe(from)
  })
})
