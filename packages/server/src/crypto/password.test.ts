import { describe, expect, it } from 'vitest'
import { base64ToBytes } from './encoding'
import { PASSWORD_DEFAULT_ITERATIONS, PasswordInputError, hashPassword, needsRehash, verifyPassword } from './password'

const fast = { iterations: 1 }

describe('hashPassword', () => {
  it('writes pbkdf2-sha256$iterations$salt$hash with a 16-byte salt and a 32-byte hash', async () => {
    const encoded = await hashPassword('correct horse', { iterations: 1000 })
    const [scheme, iterations, salt, hash] = encoded.split('$')
    expect(scheme).toBe('pbkdf2-sha256')
    expect(iterations).toBe('1000')
    expect(base64ToBytes(salt!)).toHaveLength(16)
    expect(base64ToBytes(hash!)).toHaveLength(32)
    expect(encoded).not.toContain('correct horse')
  })

  it('uses 600,000 iterations by default (OWASP Password Storage Cheat Sheet)', async () => {
    expect(PASSWORD_DEFAULT_ITERATIONS).toBe(600_000)
    const encoded = await hashPassword('pw')
    expect(encoded.split('$')[1]).toBe('600000')
    await expect(verifyPassword('pw', encoded)).resolves.toBe(true)
  })

  it('salts every hash: the same password hashes differently each time', async () => {
    const a = await hashPassword('same', fast)
    const b = await hashPassword('same', fast)
    expect(a).not.toBe(b)
  })

  it('matches PBKDF2-HMAC-SHA256 as computed independently by node:crypto', async () => {
    const { pbkdf2Sync } = await import('node:crypto')
    const encoded = await hashPassword('pässword', { iterations: 1234 })
    const [, , salt, hash] = encoded.split('$')
    const expected = pbkdf2Sync(Buffer.from('pässword'.normalize('NFKC')), base64ToBytes(salt!)!, 1234, 32, 'sha256')
    expect(base64ToBytes(hash!)).toEqual(new Uint8Array(expected))
  })

  it.each([
    ['a non-string password', 42, fast],
    ['a password over 4096 bytes', 'x'.repeat(4097), fast],
    ['zero iterations', 'pw', { iterations: 0 }],
    ['fractional iterations', 'pw', { iterations: 1.5 }],
    ['more than 10 million iterations', 'pw', { iterations: 10_000_001 }],
  ])('rejects %s', async (_, password, options) => {
    await expect(hashPassword(password as string, options)).rejects.toThrow(PasswordInputError)
  })
})

describe('verifyPassword', () => {
  it('accepts the right password and rejects a wrong one', async () => {
    const encoded = await hashPassword('correct horse', fast)
    await expect(verifyPassword('correct horse', encoded)).resolves.toBe(true)
    await expect(verifyPassword('correct horsf', encoded)).resolves.toBe(false)
    await expect(verifyPassword('', encoded)).resolves.toBe(false)
  })

  it('handles an empty password consistently', async () => {
    const encoded = await hashPassword('', fast)
    await expect(verifyPassword('', encoded)).resolves.toBe(true)
    await expect(verifyPassword(' ', encoded)).resolves.toBe(false)
  })

  it('treats the composed and decomposed forms of a character as the same password (NFKC)', async () => {
    const encoded = await hashPassword('caf\u00e9', fast)
    await expect(verifyPassword('cafe\u0301', encoded)).resolves.toBe(true)
  })

  it.each([
    ['an empty string', ''],
    ['another scheme', 'bcrypt$10$abc$def'],
    ['a missing part', 'pbkdf2-sha256$1$c2FsdHNhbHQ'],
    ['non-numeric iterations', `pbkdf2-sha256$lots$c2FsdHNhbHQ$${'A'.repeat(43)}`],
    ['zero iterations', `pbkdf2-sha256$0$c2FsdHNhbHQ$${'A'.repeat(43)}`],
    ['absurd iterations', `pbkdf2-sha256$99999999$c2FsdHNhbHQ$${'A'.repeat(43)}`],
    ['a hash of the wrong length', 'pbkdf2-sha256$1$c2FsdHNhbHQ$AAAA'],
    ['a salt that is not base64', `pbkdf2-sha256$1$!!!!$${'A'.repeat(43)}`],
  ])('returns false, without throwing, for %s as the stored hash', async (_, encoded) => {
    await expect(verifyPassword('pw', encoded)).resolves.toBe(false)
  })

  it('returns false for non-string inputs and over-long passwords', async () => {
    const encoded = await hashPassword('pw', fast)
    await expect(verifyPassword(undefined as unknown as string, encoded)).resolves.toBe(false)
    await expect(verifyPassword('pw', null as unknown as string)).resolves.toBe(false)
    await expect(verifyPassword('x'.repeat(5000), encoded)).resolves.toBe(false)
  })
})

describe('needsRehash', () => {
  it('asks for a rehash when the stored cost is below the configured one', async () => {
    const weak = await hashPassword('pw', { iterations: 1000 })
    expect(needsRehash(weak)).toBe(true)
    expect(needsRehash(weak, { iterations: 1000 })).toBe(false)
    expect(needsRehash(weak, { iterations: 999 })).toBe(false)
    expect(needsRehash(weak, { iterations: 1001 })).toBe(true)
  })

  it('asks for a rehash of malformed or foreign hashes', () => {
    expect(needsRehash('')).toBe(true)
    expect(needsRehash('bcrypt$10$abc$def')).toBe(true)
  })
})
