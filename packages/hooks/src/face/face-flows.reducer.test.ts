import { MfaError } from '@mfa-kit/client'
import type { MfaErrorCode, User } from '@mfa-kit/client'
import { describe, expect, it } from 'vitest'
import { faceBindingInitialState, faceBindingReducer } from './face-binding.reducer'
import type { FaceBindingEvent, FaceBindingState } from './face-binding.reducer'
import { faceVerifyInitialState, faceVerifyReducer } from './face-verify.reducer'
import type { FaceVerifyEvent, FaceVerifyState } from './face-verify.reducer'

const user = { id: 'u1', token: 't' } as User
const photo = new Blob(['a'])
const second = new Blob(['b'])
const fail = (code: MfaErrorCode, authingCode?: number) => ({
  type: 'fail' as const,
  error: new MfaError(code, code, authingCode === undefined ? {} : { authingCode }),
})
const half = { loaded: 50, total: 100 }

describe('faceVerifyReducer', () => {
  const at = (patch: Partial<FaceVerifyState>): FaceVerifyState => ({ ...faceVerifyInitialState, ...patch })

  it.each<[string, FaceVerifyState, FaceVerifyEvent, Partial<FaceVerifyState> | 'same']>([
    ['a photo', at({}), { type: 'capture', size: 100 }, { status: 'uploading', progress: { loaded: 0, total: 100 } }],
    ['a second photo while one is sent', at({ status: 'uploading' }), { type: 'capture', size: 100 }, 'same'],
    ['a photo while waiting out a lock', at({ status: 'rate_limited' }), { type: 'capture', size: 100 }, 'same'],
    ['progress', at({ status: 'uploading' }), { type: 'progress', progress: half }, { progress: half }],
    ['progress once uploaded', at({ status: 'verifying' }), { type: 'progress', progress: half }, 'same'],
    ['the upload done', at({ status: 'uploading', progress: half }), { type: 'uploaded' }, { status: 'verifying', progress: null }],
    ['the user', at({ status: 'verifying' }), { type: 'verified', user }, { status: 'verified', user }],
    ['a user before the check', at({ status: 'uploading' }), { type: 'verified', user }, 'same'],
  ])('%s', (_, state, event, expected) => {
    const next = faceVerifyReducer(state, event)
    if (expected === 'same') expect(next).toBe(state)
    else expect(next).toEqual({ ...state, ...expected })
  })

  it.each<[MfaErrorCode, 'uploading' | 'verifying', string]>([
    ['face_mismatch', 'verifying', 'capturing'],
    ['face_not_detected', 'verifying', 'capturing'],
    ['multiple_faces', 'verifying', 'capturing'],
    ['invalid_image', 'uploading', 'capturing'],
    ['invalid_image', 'verifying', 'capturing'],
    ['payload_too_large', 'uploading', 'capturing'],
    ['network', 'uploading', 'capturing'],
    ['timeout', 'verifying', 'capturing'],
    ['rate_limited', 'verifying', 'rate_limited'],
    ['mfa_token_expired', 'verifying', 'expired'],
    ['too_many_attempts', 'uploading', 'expired'],
    ['factor_disabled', 'verifying', 'unavailable'],
    ['not_bound', 'verifying', 'unavailable'],
  ])('%s while %s leads to %s', (code, from, to) => {
    const next = faceVerifyReducer(at({ status: from, progress: half, failures: 2 }), fail(code))
    expect(next.status).toBe(to)
    expect(next.error?.code).toBe(code)
    expect(next.progress).toBeNull()
    if (to === 'capturing' || to === 'rate_limited') expect(next.failures).toBe(3)
    if (to === 'rate_limited') expect(next.resume).toBe('capturing')
  })

  it('ends expired when the upload no longer knows the sign-in token (2206), and takes another photo after a missing one (2020)', () => {
    expect(faceVerifyReducer(at({ status: 'uploading', progress: half }), fail('unauthenticated', 2206)).status).toBe('expired')
    expect(faceVerifyReducer(at({ status: 'uploading', progress: half }), fail('unauthenticated', 2020)).status).toBe('capturing')
  })

  it('ignores a failure when no call runs', () => {
    const state = at({})
    expect(faceVerifyReducer(state, fail('face_mismatch'))).toBe(state)
  })

  it('goes back to capturing once the wait is over, and starts over on reset', () => {
    const locked = faceVerifyReducer(at({ status: 'verifying' }), fail('rate_limited'))
    const ready = faceVerifyReducer(locked, { type: 'retry_ready' })
    expect(ready.status).toBe('capturing')
    expect(faceVerifyReducer(at({ status: 'unavailable', failures: 3 }), { type: 'reset' })).toEqual(faceVerifyInitialState)
  })
})

describe('faceBindingReducer', () => {
  const at = (patch: Partial<FaceBindingState>): FaceBindingState => ({ ...faceBindingInitialState, ...patch })

  it.each<[string, FaceBindingState, FaceBindingEvent, Partial<FaceBindingState> | 'same']>([
    ['the first photo', at({}), { type: 'capture', photo }, { status: 'capturing_compare', base: photo }],
    [
      'the second photo',
      at({ status: 'capturing_compare', base: photo }),
      { type: 'capture', photo: second },
      { status: 'uploading', base: photo, progress: { loaded: 0, total: 2 } },
    ],
    ['a photo while uploading', at({ status: 'uploading', base: photo }), { type: 'capture', photo: second }, 'same'],
    ['a retake', at({ status: 'capturing_compare', base: photo }), { type: 'retake' }, { status: 'capturing_base', base: null }],
    ['a retake before the first photo', at({}), { type: 'retake' }, 'same'],
    ['a retake while uploading', at({ status: 'uploading', base: photo }), { type: 'retake' }, 'same'],
    ['progress', at({ status: 'uploading', base: photo }), { type: 'progress', progress: half }, { progress: half }],
    [
      'both photos sent',
      at({ status: 'uploading', base: photo, progress: half }),
      { type: 'uploaded' },
      { status: 'binding', progress: null },
    ],
    ['the binding, during a login', at({ status: 'binding', base: photo }), { type: 'bound', user }, { status: 'done', user, base: null }],
    [
      'the binding, signed in',
      at({ status: 'binding', base: photo }),
      { type: 'bound', user: null },
      { status: 'done', user: null, base: null },
    ],
    ['an old sign-in', at({ status: 'binding', base: photo }), { type: 'reverify' }, { status: 'reverifying' }],
    ['the fresh proof', at({ status: 'reverifying', base: photo }), { type: 'reverified' }, { status: 'uploading' }],
    ['a proof out of turn', at({ status: 'capturing_compare', base: photo }), { type: 'reverified' }, 'same'],
  ])('%s', (_, state, event, expected) => {
    const next = faceBindingReducer(state, event)
    if (expected === 'same') expect(next).toBe(state)
    else expect(next).toEqual({ ...state, ...expected })
  })

  it.each<[MfaErrorCode, number | undefined, 'uploading' | 'binding' | 'reverifying', string]>([
    ['face_mismatch', undefined, 'binding', 'capturing_base'],
    ['face_not_detected', undefined, 'binding', 'capturing_base'],
    ['multiple_faces', undefined, 'binding', 'capturing_base'],
    ['invalid_image', undefined, 'uploading', 'capturing_base'],
    ['reauthentication_required', undefined, 'reverifying', 'capturing_base'],
    ['network', undefined, 'uploading', 'capturing_base'],
    ['rate_limited', undefined, 'binding', 'rate_limited'],
    ['mfa_token_expired', undefined, 'binding', 'expired'],
    ['unauthenticated', 2206, 'binding', 'expired'],
    ['unauthenticated', 2020, 'binding', 'capturing_base'],
    ['another_factor_required', undefined, 'binding', 'unavailable'],
    ['already_bound', undefined, 'binding', 'unavailable'],
    ['factor_disabled', undefined, 'uploading', 'unavailable'],
  ])('%s (%s) while %s leads to %s, dropping the photos', (code, authingCode, from, to) => {
    const next = faceBindingReducer(at({ status: from, base: photo, progress: half }), fail(code, authingCode))
    expect(next.status).toBe(to)
    expect(next.error?.code).toBe(code)
    expect(next.base).toBeNull()
    expect(next.progress).toBeNull()
  })

  it('resumes at the first photo after a lock', () => {
    const locked = faceBindingReducer(at({ status: 'binding', base: photo }), fail('rate_limited'))
    expect(faceBindingReducer(locked, { type: 'retry_ready' })).toMatchObject({ status: 'capturing_base', base: null })
  })

  it('drops everything on reset', () => {
    expect(faceBindingReducer(at({ status: 'capturing_compare', base: photo }), { type: 'reset' })).toEqual(faceBindingInitialState)
  })
})
