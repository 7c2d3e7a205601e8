import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { selfBindingInitialState, selfBindingReducer as reduce } from './self-binding.reducer'
import type { SelfBindingEvent, SelfBindingState, SelfBindingStatus } from './self-binding.reducer'

const at = (status: SelfBindingStatus, extra: Partial<SelfBindingState> = {}): SelfBindingState => ({
  ...selfBindingInitialState,
  destination: status === 'idle' ? null : 'a@example.com',
  status,
  ...extra,
})

const rows: [string, SelfBindingState, SelfBindingEvent, Partial<SelfBindingState>][] = [
  [
    'sends to the destination typed',
    at('idle'),
    { type: 'send', destination: 'a@example.com' },
    { status: 'sending', resume: 'idle', destination: 'a@example.com' },
  ],
  ['waits for the code once sent', at('sending'), { type: 'sent' }, { status: 'code_sent' }],
  ['resends from code_sent', at('code_sent'), { type: 'send', destination: 'a@example.com' }, { status: 'sending', resume: 'code_sent' }],
  ['confirms with the code', at('code_sent'), { type: 'confirm' }, { status: 'confirming' }],
  ['asks for a fresh proof when the sign-in is too old', at('confirming'), { type: 'reverify' }, { status: 'reverifying' }],
  ['confirms again once the proof is given', at('reverifying'), { type: 'reverified' }, { status: 'confirming' }],
  ['ends done, keeping the destination to name it', at('confirming'), { type: 'done' }, { status: 'done', destination: 'a@example.com' }],
  [
    'reports a malformed destination without sending',
    at('idle'),
    { type: 'reject', error: mfaError('invalid_email') },
    { status: 'idle', error: mfaError('invalid_email') },
  ],
  [
    'goes back to the form when sending fails',
    at('sending', { resume: 'idle' }),
    { type: 'fail', error: mfaError('invalid_phone') },
    { status: 'idle', error: mfaError('invalid_phone') },
  ],
  [
    'keeps the code usable when a resend is throttled',
    at('sending', { resume: 'code_sent' }),
    { type: 'fail', error: mfaError('rate_limited', 30_000) },
    { status: 'code_sent', error: mfaError('rate_limited', 30_000) },
  ],
  ['asks again after a wrong code', at('confirming'), { type: 'fail', error: mfaError('invalid_code') }, { status: 'code_sent' }],
  [
    'waits when confirming is throttled',
    at('confirming'),
    { type: 'fail', error: mfaError('rate_limited', 30_000) },
    { status: 'rate_limited', resume: 'code_sent' },
  ],
  ['resumes after the wait', at('rate_limited', { resume: 'code_sent' }), { type: 'retry_ready' }, { status: 'code_sent' }],
  [
    'goes back to the code when the fresh proof is given up',
    at('reverifying'),
    { type: 'fail', error: mfaError('reauthentication_required') },
    { status: 'code_sent', error: mfaError('reauthentication_required') },
  ],
  [
    'ends expired when the session is gone',
    at('confirming'),
    { type: 'fail', error: mfaError('unauthenticated') },
    { status: 'expired', destination: null },
  ],
  ['starts over on reset', at('code_sent'), { type: 'reset' }, { status: 'idle', destination: null, error: null }],
]

const ignored: [SelfBindingState, SelfBindingEvent][] = [
  [at('sending'), { type: 'send', destination: 'x' }],
  [at('confirming'), { type: 'send', destination: 'x' }],
  [at('done'), { type: 'send', destination: 'x' }],
  [at('idle'), { type: 'confirm' }],
  [at('code_sent'), { type: 'done' }],
  [at('code_sent'), { type: 'reverify' }],
  [at('code_sent'), { type: 'reject', error: mfaError('invalid_email') }],
  [at('code_sent'), { type: 'fail', error: mfaError('network') }],
]

describe('selfBindingReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %o the event %o', (from, event) => expect(reduce(from, event)).toBe(from))
})
