import { describe, expect, it } from 'vitest'
import type { ReverificationFactor } from '@mfa-kit/client'
import { mfaError } from '../harness.testing'
import { reverificationInitialState as initial, reverificationReducer as reduce } from './reverification.reducer'
import type { ReverificationEvent, ReverificationState, ReverificationStatus } from './reverification.reducer'

const totp: ReverificationFactor = { type: 'totp' }
const sms: ReverificationFactor = { type: 'sms', destination: '+86****8000' }
const password: ReverificationFactor = { type: 'password' }
const at = (status: ReverificationStatus, extra: Partial<ReverificationState> = {}): ReverificationState => ({
  ...initial,
  status,
  ...extra,
})
const proving = (factor: ReverificationFactor, extra: Partial<ReverificationState> = {}) =>
  at('awaiting_proof', { factors: [totp, sms], factor, ...extra })

const rows: [string, ReverificationState, ReverificationEvent, Partial<ReverificationState>][] = [
  ['runs the action', at('idle', { error: mfaError('network') }), { type: 'run' }, { status: 'running', error: null, retried: false }],
  [
    'runs it again once done, forgetting the last answer',
    at('done', { result: 1, retried: true }),
    { type: 'run' },
    { status: 'running', result: null, retried: false },
  ],
  [
    'ends done with what the action answered',
    at('running'),
    { type: 'succeeded', result: { ok: 1 } },
    { status: 'done', result: { ok: 1 } },
  ],
  [
    'ends idle with the action’s own failure',
    at('running'),
    { type: 'action_failed', error: mfaError('not_bound') },
    { status: 'idle', error: mfaError('not_bound') },
  ],
  ['loads the factors when the server asks for a fresh proof', at('running'), { type: 'challenged' }, { status: 'loading_factors' }],
  [
    'offers the first factor once loaded',
    at('loading_factors'),
    { type: 'factors_loaded', factors: [totp, sms] },
    { status: 'awaiting_proof', factors: [totp, sms], factor: totp },
  ],
  [
    'switches to another offered factor',
    proving(totp, { codeSent: true }),
    { type: 'select', factor: 'sms' },
    { factor: sms, codeSent: false },
  ],
  ['sends a code for a phone', proving(sms), { type: 'send' }, { status: 'sending' }],
  [
    'waits for the proof once the code is sent',
    at('sending', { factors: [sms], factor: sms }),
    { type: 'sent' },
    { status: 'awaiting_proof', codeSent: true },
  ],
  ['checks the proof', proving(totp, { error: mfaError('invalid_code') }), { type: 'verify' }, { status: 'verifying', error: null }],
  [
    'runs the action again once the proof is accepted',
    at('verifying', { factor: totp }),
    { type: 'verified' },
    { status: 'running', retried: true },
  ],
  [
    'asks again after a wrong code',
    at('verifying', { factor: totp }),
    { type: 'fail', error: mfaError('invalid_code') },
    { status: 'awaiting_proof', error: mfaError('invalid_code') },
  ],
  [
    'asks again after a wrong password',
    at('verifying', { factor: password }),
    { type: 'fail', error: mfaError('invalid_credentials') },
    { status: 'awaiting_proof', error: mfaError('invalid_credentials') },
  ],
  [
    'waits when proofs are throttled',
    at('verifying', { factor: totp }),
    { type: 'fail', error: mfaError('rate_limited', 30_000) },
    { status: 'rate_limited', resume: 'awaiting_proof' },
  ],
  [
    'accepts proofs again after the wait',
    at('rate_limited', { resume: 'awaiting_proof' }),
    { type: 'retry_ready' },
    { status: 'awaiting_proof' },
  ],
  [
    'goes back to the proof when sending fails',
    at('sending', { factor: sms }),
    { type: 'fail', error: mfaError('rate_limited', 60_000) },
    { status: 'rate_limited', resume: 'awaiting_proof' },
  ],
  [
    'ends idle when the factors cannot be loaded',
    at('loading_factors'),
    { type: 'fail', error: mfaError('network') },
    { status: 'idle', error: mfaError('network') },
  ],
  [
    'ends expired when the session itself is gone',
    at('verifying', { factor: totp }),
    { type: 'fail', error: mfaError('unauthenticated') },
    { status: 'expired' },
  ],
  [
    'gives up with the error that asked for the proof',
    proving(totp),
    { type: 'cancel', error: mfaError('reauthentication_required') },
    { status: 'idle', error: mfaError('reauthentication_required') },
  ],
  ['resets', proving(totp), { type: 'reset' }, initial],
]

const ignored: [ReverificationState, ReverificationEvent][] = [
  [at('running'), { type: 'run' }],
  [at('awaiting_proof'), { type: 'run' }],
  // A second `reauthentication_required` after the retry is final.
  [at('running', { retried: true }), { type: 'challenged' }],
  [proving(totp), { type: 'send' }],
  [proving(totp), { type: 'select', factor: 'email' }],
  [proving(totp), { type: 'select', factor: 'totp' }],
  [at('awaiting_proof'), { type: 'verify' }],
  [at('idle'), { type: 'cancel', error: mfaError('reauthentication_required') }],
  [at('idle'), { type: 'verified' }],
  [at('running'), { type: 'fail', error: mfaError('network') }],
]

describe('reverificationReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %o the event %o', (from, event) => expect(reduce(from, event)).toBe(from))
})
