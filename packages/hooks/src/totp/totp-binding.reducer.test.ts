import { describe, expect, it } from 'vitest'
import type { MfaAssociation, User } from '@mfa-kit/client'
import { MfaError } from '@mfa-kit/client'
import { mfaError } from '../harness.testing'
import { totpBindingInitialState as initial, totpBindingReducer as reduce } from './totp-binding.reducer'
import type { TotpBindingEvent, TotpBindingState, TotpBindingStatus } from './totp-binding.reducer'

const association: MfaAssociation = {
  authenticator_type: 'totp',
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  qrcode_uri: 'otpauth://totp/Kit:a%40b.c?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Kit',
  qrcode_data_url: '',
  recovery_code: 'aaaa-bbbb-cccc-dddd',
}
const user: User = { id: 'u1', token: 't' }
const at = (status: TotpBindingStatus, extra: Partial<TotpBindingState> = {}): TotpBindingState => ({
  ...initial,
  status,
  association: ['awaiting_code', 'confirming', 'showing_recovery_code', 'rate_limited'].includes(status) ? association : null,
  ...extra,
})

type Row = [string, TotpBindingState, TotpBindingEvent, Partial<TotpBindingState>]
const rows: Row[] = [
  ['starts loading the secret', at('idle'), { type: 'start' }, { status: 'loading_secret', error: null }],
  [
    'waits for a code once the secret is in',
    at('loading_secret'),
    { type: 'secret_loaded', association },
    { status: 'awaiting_code', association },
  ],
  [
    'goes back to idle when loading fails',
    at('loading_secret'),
    { type: 'fail', error: mfaError('network') },
    { status: 'idle', error: mfaError('network') },
  ],
  ['confirms a code', at('awaiting_code', { error: mfaError('invalid_code') }), { type: 'confirm' }, { status: 'confirming', error: null }],
  [
    'asks again after a wrong code, keeping the secret',
    at('confirming'),
    { type: 'fail', error: mfaError('invalid_code') },
    { status: 'awaiting_code', association, error: mfaError('invalid_code') },
  ],
  [
    'waits when throttled, resuming at the code step',
    at('confirming'),
    { type: 'fail', error: mfaError('rate_limited', 30_000) },
    { status: 'rate_limited', resume: 'awaiting_code', association },
  ],
  [
    'resumes after the wait',
    at('rate_limited', { resume: 'awaiting_code' }),
    { type: 'retry_ready' },
    { status: 'awaiting_code', association },
  ],
  [
    'expires and drops the secret when the mfaToken is gone',
    at('confirming'),
    { type: 'fail', error: mfaError('mfa_token_expired') },
    { status: 'expired', association: null },
  ],
  ['expires while loading', at('loading_secret'), { type: 'fail', error: mfaError('mfa_token_expired') }, { status: 'expired' }],
  [
    'expires when the server no longer knows the token',
    at('confirming'),
    { type: 'fail', error: new MfaError('unauthenticated', 'expired', { authingCode: 2206 }) },
    { status: 'expired', association: null },
  ],
  [
    'reports a refused binding and stays usable',
    at('loading_secret'),
    { type: 'fail', error: mfaError('unauthenticated') },
    { status: 'idle', error: mfaError('unauthenticated') },
  ],
  [
    'shows the recovery code after confirming',
    at('confirming'),
    { type: 'confirmed', user },
    { status: 'showing_recovery_code', association, user },
  ],
  ['records the acknowledgement', at('showing_recovery_code'), { type: 'acknowledge', acknowledged: true }, { acknowledged: true }],
  [
    'refuses to finish without the acknowledgement',
    at('showing_recovery_code'),
    { type: 'finish' },
    { status: 'showing_recovery_code', association },
  ],
  [
    'finishes and clears the secret and recovery code',
    at('showing_recovery_code', { acknowledged: true, user }),
    { type: 'finish' },
    { status: 'done', association: null, user },
  ],
  [
    'expires when the mfaToken used up its attempts',
    at('confirming'),
    { type: 'fail', error: mfaError('too_many_attempts') },
    { status: 'expired', association: null },
  ],
  [
    'asks for a fresh proof while loading the secret',
    at('loading_secret'),
    { type: 'reverify' },
    { status: 'reverifying', reverifyingFrom: 'loading_secret' },
  ],
  [
    'asks for a fresh proof while confirming, keeping the secret',
    at('confirming'),
    { type: 'reverify' },
    { status: 'reverifying', reverifyingFrom: 'confirming', association },
  ],
  [
    'goes back to loading once the proof is given',
    at('reverifying', { reverifyingFrom: 'loading_secret' }),
    { type: 'reverified' },
    { status: 'loading_secret' },
  ],
  [
    'goes back to confirming once the proof is given',
    at('reverifying', { reverifyingFrom: 'confirming', association }),
    { type: 'reverified' },
    { status: 'confirming', association },
  ],
  [
    'goes back to idle when the proof for the secret fails',
    at('reverifying', { reverifyingFrom: 'loading_secret' }),
    { type: 'fail', error: mfaError('reauthentication_required') },
    { status: 'idle', error: mfaError('reauthentication_required') },
  ],
  [
    'goes back to the code step when the proof for confirming fails',
    at('reverifying', { reverifyingFrom: 'confirming', association }),
    { type: 'fail', error: mfaError('reauthentication_required') },
    { status: 'awaiting_code', association },
  ],
  ['resets everything', at('showing_recovery_code', { acknowledged: true, user }), { type: 'reset' }, initial],
  ['restarts from expired only through reset', at('expired'), { type: 'reset' }, { status: 'idle' }],
]

const ignored: [TotpBindingStatus, TotpBindingEvent][] = [
  ['loading_secret', { type: 'start' }],
  ['awaiting_code', { type: 'start' }],
  ['idle', { type: 'secret_loaded', association }],
  ['idle', { type: 'confirm' }],
  ['confirming', { type: 'confirm' }],
  ['awaiting_code', { type: 'confirmed', user }],
  ['awaiting_code', { type: 'acknowledge', acknowledged: true }],
  ['done', { type: 'finish' }],
  ['awaiting_code', { type: 'fail', error: mfaError('network') }],
  ['done', { type: 'fail', error: mfaError('mfa_token_expired') }],
  ['awaiting_code', { type: 'retry_ready' }],
  ['expired', { type: 'start' }],
  ['expired', { type: 'confirm' }],
  ['awaiting_code', { type: 'reverify' }],
  ['confirming', { type: 'reverified' }],
]

describe('totpBindingReducer', () => {
  it.each(rows)('%s', (_, from, event, expected) => {
    expect(reduce(from, event)).toMatchObject(expected)
  })

  it.each(ignored)('ignores in %s the event %o', (status, event) => {
    const from = at(status)
    expect(reduce(from, event)).toBe(from)
  })
})
