import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { oobMfaInitialState, oobMfaReducer as reduce } from './oob.reducer'
import type { OobMfaEvent, OobMfaState, OobMfaStatus } from './oob.reducer'

const user = { id: 'u1', token: 't' }
const bound = (status: OobMfaStatus, extra: Partial<OobMfaState> = {}): OobMfaState => ({
  ...oobMfaInitialState('13800001234'),
  status,
  ...extra,
})
const binding = (status: OobMfaStatus, extra: Partial<OobMfaState> = {}): OobMfaState => ({ ...oobMfaInitialState(null), status, ...extra })

describe('oobMfaInitialState', () => {
  it('starts idle with a bound destination', () => {
    expect(oobMfaInitialState('a@b.c')).toMatchObject({ status: 'idle', bound: true, destination: 'a@b.c' })
  })
  it('starts binding without one', () => {
    expect(oobMfaInitialState(null)).toMatchObject({ status: 'binding', bound: false, destination: null })
    expect(oobMfaInitialState('')).toMatchObject({ status: 'binding', bound: false })
  })
})

const rows: [string, OobMfaState, OobMfaEvent, Partial<OobMfaState>][] = [
  [
    'sends to the bound destination, whatever the event says',
    bound('idle'),
    { type: 'send', destination: 'other' },
    { status: 'sending', resume: 'idle', destination: '13800001234' },
  ],
  [
    'sends to the destination being bound',
    binding('binding'),
    { type: 'send', destination: '13900001111' },
    { status: 'sending', resume: 'binding', destination: '13900001111' },
  ],
  ['waits for the code once sent', bound('sending'), { type: 'sent' }, { status: 'code_sent' }],
  [
    'resends from code_sent',
    bound('code_sent', { error: mfaError('invalid_code') }),
    { type: 'send', destination: '' },
    { status: 'sending', resume: 'code_sent', error: null },
  ],
  [
    'returns to idle when sending fails',
    bound('sending', { resume: 'idle' }),
    { type: 'fail', error: mfaError('network') },
    { status: 'idle', error: mfaError('network') },
  ],
  [
    'returns to binding when sending to a new destination fails',
    binding('sending', { resume: 'binding' }),
    { type: 'fail', error: mfaError('invalid_request') },
    { status: 'binding' },
  ],
  [
    'goes back at once when sending is throttled: the code sent before can still be entered',
    bound('sending', { resume: 'code_sent' }),
    { type: 'fail', error: mfaError('rate_limited', 60_000) },
    { status: 'code_sent', error: mfaError('rate_limited', 60_000) },
  ],
  [
    'reports a malformed destination without sending',
    binding('binding'),
    { type: 'reject', error: mfaError('invalid_phone') },
    { status: 'binding', error: mfaError('invalid_phone') },
  ],
  ['resumes after the wait', bound('rate_limited', { resume: 'code_sent' }), { type: 'retry_ready' }, { status: 'code_sent' }],
  ['verifies a code', bound('code_sent'), { type: 'verify' }, { status: 'verifying', error: null }],
  ['ends verified with the user', bound('verifying'), { type: 'verified', user }, { status: 'verified', user }],
  [
    'asks again after a wrong code',
    bound('verifying'),
    { type: 'fail', error: mfaError('invalid_code') },
    { status: 'code_sent', error: mfaError('invalid_code') },
  ],
  ['asks again after an expired code', bound('verifying'), { type: 'fail', error: mfaError('code_expired') }, { status: 'code_sent' }],
  [
    'waits when verifying is throttled',
    bound('verifying'),
    { type: 'fail', error: mfaError('rate_limited', 1_000) },
    { status: 'rate_limited', resume: 'code_sent' },
  ],
  [
    'expires with the mfaToken while verifying',
    bound('verifying'),
    { type: 'fail', error: mfaError('mfa_token_expired') },
    { status: 'expired' },
  ],
  [
    'expires with the mfaToken while sending',
    binding('sending'),
    { type: 'fail', error: mfaError('mfa_token_expired') },
    { status: 'expired' },
  ],
  [
    'reports a refused binding and stays on the form',
    binding('sending', { resume: 'binding' }),
    { type: 'fail', error: mfaError('already_bound') },
    { status: 'binding', error: mfaError('already_bound') },
  ],
  [
    'goes back to the form to change a destination being bound',
    binding('code_sent', { destination: '139' }),
    { type: 'reset' },
    { status: 'binding', destination: null },
  ],
  [
    'keeps a bound destination on reset',
    bound('verified', { user }),
    { type: 'reset' },
    { status: 'idle', bound: true, destination: '13800001234', user: null },
  ],
]

const ignored: [OobMfaState, OobMfaEvent][] = [
  [bound('sending'), { type: 'send', destination: 'x' }],
  [bound('verifying'), { type: 'send', destination: 'x' }],
  [bound('rate_limited'), { type: 'send', destination: 'x' }],
  [bound('expired'), { type: 'send', destination: 'x' }],
  [bound('verified'), { type: 'send', destination: 'x' }],
  [bound('idle'), { type: 'sent' }],
  [bound('idle'), { type: 'verify' }],
  [bound('sending'), { type: 'verify' }],
  [bound('code_sent'), { type: 'verified', user }],
  [bound('code_sent'), { type: 'fail', error: mfaError('network') }],
  [bound('code_sent'), { type: 'retry_ready' }],
  [binding('verifying'), { type: 'sent' }],
  [bound('code_sent'), { type: 'reject', error: mfaError('invalid_phone') }],
]

describe('oobMfaReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %o the event %o', (from, event) => expect(reduce(from, event)).toBe(from))
})
