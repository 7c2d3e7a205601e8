import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { mfaUnbindInitialState as initial, mfaUnbindReducer as reduce } from './unbind.reducer'
import type { MfaUnbindEvent, MfaUnbindState, MfaUnbindStatus } from './unbind.reducer'

const at = (status: MfaUnbindStatus, extra: Partial<MfaUnbindState> = {}): MfaUnbindState => ({ ...initial, status, ...extra })

const rows: [string, MfaUnbindState, MfaUnbindEvent, Partial<MfaUnbindState>][] = [
  ['asks for confirmation first', at('idle', { error: mfaError('network') }), { type: 'request' }, { status: 'confirming', error: null }],
  ['goes back when cancelled', at('confirming'), { type: 'cancel' }, { status: 'idle' }],
  ['unbinds once confirmed', at('confirming'), { type: 'confirm' }, { status: 'unbinding' }],
  ['is done when the server agrees', at('unbinding'), { type: 'done' }, { status: 'done' }],
  [
    'goes back to idle on failure',
    at('unbinding'),
    { type: 'fail', error: mfaError('not_bound') },
    { status: 'idle', error: mfaError('not_bound') },
  ],
  ['waits when throttled', at('unbinding'), { type: 'fail', error: mfaError('rate_limited', 1_000) }, { status: 'rate_limited' }],
  ['resumes after the wait', at('rate_limited'), { type: 'retry_ready' }, { status: 'idle' }],
  ['asks for a fresh proof when the sign-in is too old', at('unbinding'), { type: 'reverify' }, { status: 'reverifying' }],
  ['unbinds once the proof is given', at('reverifying'), { type: 'reverified' }, { status: 'unbinding' }],
  [
    'goes back to idle when the proof is given up',
    at('reverifying'),
    { type: 'fail', error: mfaError('reauthentication_required') },
    { status: 'idle', error: mfaError('reauthentication_required') },
  ],
  ['expires when the session is gone', at('unbinding'), { type: 'fail', error: mfaError('unauthenticated') }, { status: 'expired' }],
  ['resets', at('done'), { type: 'reset' }, initial],
]

const ignored: [MfaUnbindStatus, MfaUnbindEvent][] = [
  ['idle', { type: 'confirm' }],
  ['idle', { type: 'cancel' }],
  ['idle', { type: 'done' }],
  ['confirming', { type: 'done' }],
  ['confirming', { type: 'request' }],
  ['unbinding', { type: 'cancel' }],
  ['unbinding', { type: 'confirm' }],
  ['done', { type: 'request' }],
  ['confirming', { type: 'fail', error: mfaError('network') }],
  ['idle', { type: 'retry_ready' }],
  ['confirming', { type: 'reverify' }],
  ['unbinding', { type: 'reverified' }],
]

describe('mfaUnbindReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %s the event %o', (status, event) => {
    const from = at(status)
    expect(reduce(from, event)).toBe(from)
  })
})
