import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { mfaSessionReducer as reduce, signedOut } from './session.reducer'
import type { MfaSessionEvent, MfaSessionState } from './session.reducer'

const user = { id: 'u1', token: 't' }
const restoring: MfaSessionState = { status: 'restoring', user: null, error: null }
const signedIn: MfaSessionState = { status: 'signed_in', user, error: null }

const rows: [string, MfaSessionState, MfaSessionEvent, MfaSessionState][] = [
  ['restores the user of a stored token', restoring, { type: 'restored', user }, signedIn],
  [
    'keeps restoring, with the error, when the server cannot be reached',
    restoring,
    { type: 'restore_failed', error: mfaError('network') },
    { ...restoring, error: mfaError('network') },
  ],
  ['signs in from signed out', signedOut, { type: 'sign_in', user }, signedIn],
  ['signs in while restoring', restoring, { type: 'sign_in', user }, signedIn],
  ['signs out and forgets the user', signedIn, { type: 'sign_out', error: null }, signedOut],
  [
    'signs out with the error of a revocation that failed',
    signedIn,
    { type: 'sign_out', error: mfaError('network') },
    { ...signedOut, error: mfaError('network') },
  ],
  ['checks the session again', signedOut, { type: 'restore' }, restoring],
]

const ignored: [MfaSessionState, MfaSessionEvent][] = [
  [signedOut, { type: 'restored', user }],
  [signedIn, { type: 'restored', user }],
  [signedIn, { type: 'restore_failed', error: mfaError('network') }],
]

describe('mfaSessionReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toEqual(expected))
  it.each(ignored)('ignores in %o the event %o', (from, event) => expect(reduce(from, event)).toBe(from))
})
