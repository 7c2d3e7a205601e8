import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from './encoding'
import { createCodeHasher } from './hash'
import { generateRecoveryCode, normalizeRecoveryCode, randomBytes } from './random'

describe('code hasher', () => {
  it('hashes to 43 base64url characters that do not contain the code', async () => {
    const hasher = await createCodeHasher(randomBytes(32))
    const code = normalizeRecoveryCode(generateRecoveryCode())
    const hash = await hasher.hash('recovery', ['user-1'], code)
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(hash).not.toContain(code)
    expect(base64ToBytes(hash)).toHaveLength(32)
  })

  it('verifies the right code and rejects a wrong one', async () => {
    const hasher = await createCodeHasher(randomBytes(32))
    const stored = await hasher.hash('recovery', ['user-1'], '10af4f2ff34ff224d21cbd16')
    await expect(hasher.verify('recovery', ['user-1'], '10af4f2ff34ff224d21cbd16', stored)).resolves.toBe(true)
    await expect(hasher.verify('recovery', ['user-1'], '10af4f2ff34ff224d21cbd17', stored)).resolves.toBe(false)
  })

  it('is deterministic for one key, so a code can be looked up by its hash', async () => {
    const key = randomBytes(32)
    const a = await (await createCodeHasher(key)).hash('sms', ['u', '+15550100'], '012345')
    const b = await (await createCodeHasher(bytesToBase64(key))).hash('sms', ['u', '+15550100'], '012345')
    expect(a).toBe(b)
  })

  it('gives a different hash under a different server key', async () => {
    const a = await (await createCodeHasher(randomBytes(32))).hash('sms', ['u'], '012345')
    const b = await (await createCodeHasher(randomBytes(32))).hash('sms', ['u'], '012345')
    expect(a).not.toBe(b)
  })

  it('binds the hash to purpose and context (user, channel, destination)', async () => {
    const hasher = await createCodeHasher(randomBytes(32))
    const stored = await hasher.hash('sms', ['user-1', '+15550100'], '012345')
    await expect(hasher.verify('sms', ['user-1', '+15550100'], '012345', stored)).resolves.toBe(true)
    await expect(hasher.verify('email', ['user-1', '+15550100'], '012345', stored)).resolves.toBe(false)
    await expect(hasher.verify('sms', ['user-2', '+15550100'], '012345', stored)).resolves.toBe(false)
    await expect(hasher.verify('sms', ['user-1', '+15550199'], '012345', stored)).resolves.toBe(false)
  })

  it('keeps context parts unambiguous', async () => {
    const hasher = await createCodeHasher(randomBytes(32))
    const a = await hasher.hash('p', ['ab', 'c'], 'v')
    const b = await hasher.hash('p', ['a', 'bc'], 'v')
    const c = await hasher.hash('p', ['abc'], 'v')
    expect(new Set([a, b, c]).size).toBe(3)
  })

  it('returns false, without throwing, for malformed stored hashes', async () => {
    const hasher = await createCodeHasher(randomBytes(32))
    for (const stored of ['', 'AAAA', '!!!', 'A'.repeat(44), undefined as unknown as string]) {
      await expect(hasher.verify('recovery', ['u'], 'code', stored)).resolves.toBe(false)
    }
  })

  it('rejects non-string inputs as a programming error', async () => {
    const hasher = await createCodeHasher(randomBytes(32))
    await expect(hasher.hash('p', ['u'], 123 as unknown as string)).rejects.toThrow(TypeError)
    await expect(hasher.hash('p', [1 as unknown as string], 'v')).rejects.toThrow(TypeError)
  })

  it.each([
    ['16 bytes', randomBytes(16)],
    ['text that is not base64', 'not base64!'],
  ])('refuses a server key of %s', async (_, key) => {
    await expect(createCodeHasher(key)).rejects.toThrow(RangeError)
  })
})
