import { describe, expect, it } from 'vitest'
import type { RegisterResult } from '@mfa-kit/client'
import { mfaError, mfaTrigger } from '../harness.testing'
import { signUpInitialState as initial, signUpReducer as reduce } from './sign-up.reducer'
import type { SignUpEvent, SignUpState, SignUpStatus } from './sign-up.reducer'

const signedIn: RegisterResult = { status: 'authenticated', user: { id: 'u1', token: 't' } }
const mfa: RegisterResult = { status: 'mfa_required', mfaToken: 'm', trigger: mfaTrigger() }
const later: RegisterResult = { status: 'sign_in_required', user: { id: 'u2' } }
const at = (status: SignUpStatus, extra: Partial<SignUpState> = {}): SignUpState => ({ ...initial, status, ...extra })

const rows: [string, SignUpState, SignUpEvent, Partial<SignUpState>][] = [
  ['submits', at('idle', { error: mfaError('user_exists') }), { type: 'submit' }, { status: 'submitting', error: null }],
  [
    'ends signed in when the server signs the user in',
    at('submitting'),
    { type: 'succeeded', result: signedIn },
    { status: 'authenticated', result: signedIn },
  ],
  ['asks for MFA with the trigger', at('submitting'), { type: 'succeeded', result: mfa }, { status: 'mfa_required', result: mfa }],
  [
    'asks to sign in when the server did not',
    at('submitting'),
    { type: 'succeeded', result: later },
    { status: 'sign_in_required', result: later },
  ],
  [
    'goes back to idle with a weak password',
    at('submitting'),
    { type: 'fail', error: mfaError('weak_password') },
    { status: 'idle', error: mfaError('weak_password') },
  ],
  [
    'goes back to idle with a refused registration',
    at('submitting'),
    { type: 'fail', error: mfaError('registration_failed') },
    { status: 'idle', error: mfaError('registration_failed') },
  ],
  [
    'waits when registrations are throttled',
    at('submitting'),
    { type: 'fail', error: mfaError('rate_limited', 60_000) },
    { status: 'rate_limited' },
  ],
  ['accepts registrations again after the wait', at('rate_limited'), { type: 'retry_ready' }, { status: 'idle' }],
  ['never expires: it has no mfaToken yet', at('submitting'), { type: 'fail', error: mfaError('mfa_token_expired') }, { status: 'idle' }],
  ['resets after asking to sign in', at('sign_in_required', { result: later }), { type: 'reset' }, initial],
]

const ignored: [SignUpStatus, SignUpEvent][] = [
  ['submitting', { type: 'submit' }],
  ['authenticated', { type: 'submit' }],
  ['sign_in_required', { type: 'submit' }],
  ['rate_limited', { type: 'submit' }],
  ['idle', { type: 'succeeded', result: later }],
  ['idle', { type: 'fail', error: mfaError('network') }],
]

describe('signUpReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %s the event %o', (status, event) => {
    const from = at(status)
    expect(reduce(from, event)).toBe(from)
  })
})
