import { describe, expect, it } from 'vitest'
import { MfaError, isMfaError } from './errors'

describe('MfaError', () => {
  it('is an Error that carries the code, the Authing code, data and retryAfterMs', () => {
    const cause = new TypeError('socket hang up')
    const e = new MfaError('rate_limited', 'slow down', {
      authingCode: 2057,
      status: 200,
      data: { retryAfterMs: 500 },
      retryAfterMs: 500,
      cause,
    })
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('MfaError')
    expect(e.message).toBe('slow down')
    expect(e.code).toBe('rate_limited')
    expect(e.authingCode).toBe(2057)
    expect(e.status).toBe(200)
    expect(e.data).toEqual({ retryAfterMs: 500 })
    expect(e.retryAfterMs).toBe(500)
    expect(e.cause).toBe(cause)
  })

  it('leaves the optional fields undefined when the server gave none', () => {
    const e = new MfaError('network', 'offline')
    expect(e.authingCode).toBeUndefined()
    expect(e.retryAfterMs).toBeUndefined()
    expect('cause' in e).toBe(false)
  })
})

describe('isMfaError', () => {
  it('recognises MfaError and rejects other values', () => {
    expect(isMfaError(new MfaError('timeout', 't'))).toBe(true)
    expect(isMfaError(new Error('x'))).toBe(false)
    expect(isMfaError({ code: 'timeout', name: 'MfaError' })).toBe(false)
    expect(isMfaError(undefined)).toBe(false)
  })

  it('matches a specific code when one is given', () => {
    const e = new MfaError('invalid_code', 'wrong')
    expect(isMfaError(e, 'invalid_code')).toBe(true)
    expect(isMfaError(e, 'code_expired')).toBe(false)
  })
})
