import { describe, expect, it } from 'vitest'
import { mfaError } from '../harness.testing'
import { bindableCheckStatus } from './bindable-status'
import type { BindableCheckSnapshot, BindableCheckStatus } from './bindable-status'

const snap = (s: Partial<BindableCheckSnapshot>): BindableCheckSnapshot => ({
  value: '13800001234',
  settled: true,
  isFetching: false,
  data: undefined,
  error: null,
  ...s,
})

describe('bindableCheckStatus', () => {
  it.each<[string, Partial<BindableCheckSnapshot>, BindableCheckStatus]>([
    ['is idle with nothing typed', { value: '', data: true }, 'idle'],
    ['is checking while typing', { settled: false, data: true }, 'checking'],
    ['is checking while the request runs', { isFetching: true, data: true }, 'checking'],
    ['is checking before the first answer', {}, 'checking'],
    ['is bindable when the server says so', { data: true }, 'bindable'],
    ['is unavailable when the server refuses', { data: false }, 'unavailable'],
    ['is error when the check failed', { error: mfaError('rate_limited', 1000) }, 'error'],
    ['is expired with a dead mfaToken', { error: mfaError('mfa_token_expired') }, 'expired'],
    ['is expired with an mfaToken that used up its attempts', { error: mfaError('too_many_attempts') }, 'expired'],
  ])('%s', (_, s, expected) => expect(bindableCheckStatus(snap(s))).toBe(expected))
})
