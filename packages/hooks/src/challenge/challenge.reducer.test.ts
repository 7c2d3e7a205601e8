import { describe, expect, it } from 'vitest'
import type { MfaTrigger } from '@mfa-kit/client'
import { mfaError, mfaTrigger } from '../harness.testing'
import { mfaChallengeInitialState as init, mfaChallengeReducer as reduce } from './challenge.reducer'
import type { MfaChallengeEvent, MfaChallengeState } from './challenge.reducer'

/** Nothing bound; OTP, SMS and EMAIL offered (by `sort`), FACE switched off, PASSKEY, which the kit does not run. */
const trigger = (overrides: Partial<MfaTrigger> = {}): MfaTrigger =>
  mfaTrigger({
    applicationMfa: [
      { mfaPolicy: 'SMS', status: 1, sort: 2 },
      { mfaPolicy: 'OTP', status: 1, sort: 1 },
      { mfaPolicy: 'EMAIL', status: 1, sort: 3 },
      { mfaPolicy: 'FACE', status: 0, sort: 0 },
      { mfaPolicy: 'PASSKEY', status: 1, sort: 0 },
    ],
    ...overrides,
  })
const user = { id: 'u1', token: 't' }

describe('mfaChallengeInitialState', () => {
  it.each<[string, Partial<MfaTrigger>, Partial<MfaChallengeState>]>([
    [
      'sorts the enabled, supported factors and starts on the first',
      {},
      { factors: ['OTP', 'SMS', 'EMAIL'], factor: 'OTP', status: 'binding' },
    ],
    ['starts on current when offered', { current: 'EMAIL', mfaEmail: 'a@b.c' }, { factor: 'EMAIL', status: 'verifying' }],
    ['ignores a current that is not offered', { current: 'FACE' }, { factor: 'OTP' }],
    ['verifies TOTP when it is bound', { totpMfaEnabled: true }, { factor: 'OTP', status: 'verifying' }],
    ['binds SMS without mfaPhone', { current: 'SMS' }, { status: 'binding' }],
    ['verifies SMS with mfaPhone', { current: 'SMS', mfaPhone: '13800001234' }, { status: 'verifying' }],
    [
      'offers only what an account that can verify a factor verifies: it binds nothing while signing in',
      { mfaEmail: 'a@b.c', totpMfaEnabled: true },
      { factors: ['OTP', 'EMAIL'], factor: 'OTP', status: 'verifying' },
    ],
    [
      'offers only the bound phone when it is the one factor the account has',
      { mfaPhone: '+8613800001234', current: 'SMS' },
      { factors: ['SMS'], factor: 'SMS', status: 'verifying' },
    ],
    [
      'binds FACE when none is enrolled',
      { current: 'FACE', applicationMfa: [{ mfaPolicy: 'FACE', status: 1, sort: 0 }] },
      { factor: 'FACE', status: 'binding' },
    ],
    [
      'verifies FACE when enrolled',
      { faceMfaEnabled: true, applicationMfa: [{ mfaPolicy: 'FACE', status: 1, sort: 0 }] },
      { status: 'verifying' },
    ],
    [
      'is unavailable with no factor it can run',
      { applicationMfa: [{ mfaPolicy: 'PASSKEY', status: 1, sort: 0 }] },
      { factors: [], factor: null, status: 'unavailable' },
    ],
    [
      'verifies TOTP for a 1635 trigger',
      { authingCode: 1635, totpMfaEnabled: true, current: 'OTP', applicationMfa: [{ mfaPolicy: 'OTP', status: 1, sort: 0 }] },
      { factors: ['OTP'], status: 'verifying' },
    ],
  ])('%s', (_, t, expected) => expect(init(trigger(t))).toMatchObject(expected))

  it('drops factors the caller does not support', () => {
    expect(init(trigger(), ['SMS', 'EMAIL'])).toMatchObject({ factors: ['SMS', 'EMAIL'], factor: 'SMS' })
  })

  it("offers every factor when the server lets any account bind while signing in ('any')", () => {
    expect(init(trigger({ mfaEmail: 'a@b.c' }), undefined, 'any')).toMatchObject({ factors: ['OTP', 'SMS', 'EMAIL'], factor: 'OTP' })
  })
})

const start = init(trigger({ totpMfaEnabled: true, mfaEmail: 'a@b.c' }))
const open = init(trigger({ totpMfaEnabled: true, mfaEmail: 'a@b.c' }), undefined, 'any')
const rows: [string, MfaChallengeState, MfaChallengeEvent, Partial<MfaChallengeState>][] = [
  ['switches to a factor to bind', open, { type: 'select', factor: 'SMS' }, { factor: 'SMS', status: 'binding' }],
  ['switches to a factor to verify', start, { type: 'select', factor: 'EMAIL' }, { factor: 'EMAIL', status: 'verifying' }],
  ['opens the recovery-code step from TOTP', start, { type: 'recover' }, { status: 'recovering', factor: 'OTP' }],
  [
    'goes back from the recovery-code step to TOTP',
    { ...start, status: 'recovering' },
    { type: 'select', factor: 'OTP' },
    { status: 'verifying', factor: 'OTP' },
  ],
  [
    'switches factor from the recovery-code step',
    { ...start, status: 'recovering' },
    { type: 'select', factor: 'EMAIL' },
    { status: 'verifying', factor: 'EMAIL' },
  ],
  ['ends verified with the user', start, { type: 'verified', user }, { status: 'verified', user }],
  ['ends verified from binding', { ...start, status: 'binding' }, { type: 'verified', user }, { status: 'verified' }],
  ['expires', start, { type: 'expire', error: mfaError('mfa_token_expired') }, { status: 'expired', error: mfaError('mfa_token_expired') }],
  [
    'starts over with a new trigger',
    { ...start, status: 'expired' },
    { type: 'reset', trigger: trigger({ mfaPhone: '138', current: 'SMS' }), supported: ['SMS'] },
    { status: 'verifying', factor: 'SMS', factors: ['SMS'], error: null },
  ],
]

const ignored: [string, MfaChallengeState, MfaChallengeEvent][] = [
  ['a factor that is not offered', start, { type: 'select', factor: 'FACE' }],
  ['a factor the account cannot bind while signing in', start, { type: 'select', factor: 'SMS' }],
  ['recovery for a factor other than TOTP', { ...start, factor: 'EMAIL' }, { type: 'recover' }],
  ['recovery while binding TOTP', { ...start, status: 'binding' }, { type: 'recover' }],
  ['select once verified', { ...start, status: 'verified' }, { type: 'select', factor: 'EMAIL' }],
  ['verified once expired', { ...start, status: 'expired' }, { type: 'verified', user }],
  ['expire once verified', { ...start, status: 'verified' }, { type: 'expire', error: null }],
]

describe('mfaChallengeReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => expect(reduce(from, event)).toMatchObject(expected))
  it.each(ignored)('ignores %s', (_, from, event) => expect(reduce(from, event)).toBe(from))
})
