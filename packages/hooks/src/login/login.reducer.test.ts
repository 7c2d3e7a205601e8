import { describe, expect, it } from 'vitest'
import type { LoginResult } from '@mfa-kit/client'
import { mfaError, mfaTrigger } from '../harness.testing'
import { loginInitialState as initial, loginReducer as reduce } from './login.reducer'
import type { LoginEvent, LoginState, LoginStatus } from './login.reducer'

const authenticated: LoginResult = { status: 'authenticated', user: { id: 'u1', token: 't' } }
const mfa: LoginResult = { status: 'mfa_required', mfaToken: 'm', trigger: mfaTrigger() }
const at = (status: LoginStatus, extra: Partial<LoginState> = {}): LoginState => ({ ...initial, status, ...extra })

const rows: [string, LoginState, LoginEvent, Partial<LoginState>][] = [
  ['submits', at('idle', { error: mfaError('invalid_credentials') }), { type: 'submit' }, { status: 'submitting', error: null }],
  ['signs in', at('submitting'), { type: 'succeeded', result: authenticated }, { status: 'authenticated', result: authenticated }],
  ['asks for MFA', at('submitting'), { type: 'succeeded', result: mfa }, { status: 'mfa_required', result: mfa }],
  [
    'goes back to idle on wrong credentials',
    at('submitting'),
    { type: 'fail', error: mfaError('invalid_credentials') },
    { status: 'idle', error: mfaError('invalid_credentials') },
  ],
  ['waits when throttled', at('submitting'), { type: 'fail', error: mfaError('rate_limited', 10_000) }, { status: 'rate_limited' }],
  ['accepts logins after the wait', at('rate_limited'), { type: 'retry_ready' }, { status: 'idle' }],
  ['resets after MFA was required', at('mfa_required', { result: mfa }), { type: 'reset' }, initial],
]

const ignored: [LoginStatus, LoginEvent][] = [
  ['submitting', { type: 'submit' }],
  ['authenticated', { type: 'submit' }],
  ['mfa_required', { type: 'submit' }],
  ['rate_limited', { type: 'submit' }],
  ['idle', { type: 'succeeded', result: authenticated }],
  ['idle', { type: 'fail', error: mfaError('network') }],
  ['idle', { type: 'retry_ready' }],
]

describe('loginReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores in %s the event %o', (status, event) => {
    const from = at(status)
    expect(reduce(from, event)).toBe(from)
  })
})
