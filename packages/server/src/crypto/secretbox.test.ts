import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, bytesToBase64Url, utf8Encode } from './encoding'
import { randomBytes } from './random'
import { SecretBoxError, createSecretBox, generateSecretBoxKeyMaterial, importSecretBoxKey } from './secretbox'

const alice = { userId: 'user-alice', factor: 'totp' }
const bob = { userId: 'user-bob', factor: 'totp' }

async function boxWith(id = 'v1', material: Uint8Array | string = randomBytes(32)) {
  return createSecretBox([{ id, key: await importSecretBoxKey(material) }])
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError)
    return (error as SecretBoxError).reason
  }
  throw new Error('expected the promise to reject')
}

describe('secret box (SEC-01)', () => {
  it('seals and opens a secret for the same owner', async () => {
    const box = await boxWith()
    const secret = randomBytes(20)
    const sealed = await box.seal(secret, alice)
    await expect(box.open(sealed, alice)).resolves.toEqual(secret)
  })

  it('writes a compact "<keyId>.<iv>.<ciphertext>" string that does not contain the secret', async () => {
    const box = await boxWith('v7')
    const sealed = await box.seal('JBSWY3DPEHPK3PXP', alice)
    expect(sealed).toMatch(/^v7\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP')
    expect(base64ToBytes(sealed.split('.')[2]!)).toHaveLength(16 + 16) // plaintext + GCM tag
    await expect(box.openText(sealed, alice)).resolves.toBe('JBSWY3DPEHPK3PXP')
  })

  it('uses a fresh IV for every seal', async () => {
    const box = await boxWith()
    const a = await box.seal('same', alice)
    const b = await box.seal('same', alice)
    expect(a).not.toBe(b)
    expect(a.split('.')[1]).not.toBe(b.split('.')[1])
  })

  it('fails to open with the wrong key', async () => {
    const sealed = await (await boxWith('v1')).seal('secret', alice)
    const other = await boxWith('v1')
    expect(await reason(other.open(sealed, alice))).toBe('decrypt_failed')
  })

  it("fails to open a ciphertext moved to another user's row", async () => {
    const box = await boxWith()
    const aliceSealed = await box.seal('alice secret', alice)
    const bobSealed = await box.seal('bob secret', bob)
    expect(await reason(box.open(aliceSealed, bob))).toBe('decrypt_failed')
    expect(await reason(box.open(bobSealed, alice))).toBe('decrypt_failed')
  })

  it('fails to open a ciphertext moved to another factor of the same user', async () => {
    const box = await boxWith()
    const sealed = await box.seal('secret', alice)
    expect(await reason(box.open(sealed, { userId: alice.userId, factor: 'face' }))).toBe('decrypt_failed')
  })

  it('keeps user and factor apart even when their concatenation is equal', async () => {
    const box = await boxWith()
    const sealed = await box.seal('secret', { userId: 'a:b', factor: 'c' })
    expect(await reason(box.open(sealed, { userId: 'a', factor: 'b:c' }))).toBe('decrypt_failed')
  })

  it('detects a flipped bit in the ciphertext, the tag or the IV', async () => {
    const box = await boxWith()
    const sealed = await box.seal('secret', alice)
    const [id, iv, data] = sealed.split('.') as [string, string, string]
    const flip = (text: string, index: number) => {
      const bytes = base64ToBytes(text)!
      bytes[index]! ^= 1
      return bytesToBase64Url(bytes)
    }
    expect(await reason(box.open(`${id}.${iv}.${flip(data, 0)}`, alice))).toBe('decrypt_failed')
    expect(await reason(box.open(`${id}.${iv}.${flip(data, base64ToBytes(data)!.length - 1)}`, alice))).toBe('decrypt_failed')
    expect(await reason(box.open(`${id}.${flip(iv, 3)}.${data}`, alice))).toBe('decrypt_failed')
  })

  it.each([
    ['an empty string', ''],
    ['two parts', 'v1.abc'],
    ['four parts', 'v1.a.b.c'],
    ['a short IV', `v1.${bytesToBase64Url(new Uint8Array(8))}.${bytesToBase64Url(new Uint8Array(20))}`],
    ['a body shorter than the tag', `v1.${bytesToBase64Url(new Uint8Array(12))}.${bytesToBase64Url(new Uint8Array(8))}`],
    ['characters outside base64url', 'v1.!!!!.????'],
    ['a bad key id', `v 1.${bytesToBase64Url(new Uint8Array(12))}.${bytesToBase64Url(new Uint8Array(20))}`],
  ])('reports %s as malformed', async (_, sealed) => {
    const box = await boxWith()
    expect(await reason(box.open(sealed, alice))).toBe('malformed')
  })

  it('rejects a non-string sealed value as malformed', async () => {
    const box = await boxWith()
    expect(await reason(box.open(undefined as unknown as string, alice))).toBe('malformed')
  })

  it('rejects a missing context instead of decrypting without one', async () => {
    const box = await boxWith()
    const sealed = await box.seal('secret', alice)
    await expect(box.open(sealed, undefined as unknown as typeof alice)).rejects.toThrow(TypeError)
    await expect(box.seal('secret', { userId: 1 } as unknown as typeof alice)).rejects.toThrow(TypeError)
  })

  it('reports an unknown key id', async () => {
    const sealed = await (await boxWith('old')).seal('secret', alice)
    expect(await reason((await boxWith('new')).open(sealed, alice))).toBe('unknown_key')
  })

  it('reports invalid UTF-8 from openText as malformed', async () => {
    const box = await boxWith()
    const sealed = await box.seal(new Uint8Array([0xff, 0xfe]), alice)
    expect(await reason(box.openText(sealed, alice))).toBe('malformed')
  })

  it('rotates keys: seals with the first key, opens with any, and flags old ciphertexts', async () => {
    const oldMaterial = randomBytes(32)
    const oldBox = await boxWith('v1', oldMaterial)
    const oldSealed = await oldBox.seal('seed', alice)
    const rotated = createSecretBox([
      { id: 'v2', key: await importSecretBoxKey(randomBytes(32)) },
      { id: 'v1', key: await importSecretBoxKey(oldMaterial) },
    ])
    expect(rotated.currentKeyId).toBe('v2')
    await expect(rotated.openText(oldSealed, alice)).resolves.toBe('seed')
    expect(rotated.needsReseal(oldSealed)).toBe(true)
    const resealed = await rotated.seal('seed', alice)
    expect(resealed.startsWith('v2.')).toBe(true)
    expect(rotated.needsReseal(resealed)).toBe(false)
    // The key id is bound into the associated data: relabelling a ciphertext does not help.
    expect(await reason(rotated.open(`v1.${resealed.slice(3)}`, alice))).toBe('decrypt_failed')
  })
})

describe('importSecretBoxKey', () => {
  it('accepts 32 raw bytes, base64 and base64url of the same key interchangeably', async () => {
    const material = randomBytes(32)
    const sealed = await (await boxWith('k', material)).seal('x', alice)
    await expect((await boxWith('k', bytesToBase64(material))).openText(sealed, alice)).resolves.toBe('x')
    await expect((await boxWith('k', ` ${bytesToBase64Url(material)}\n`)).openText(sealed, alice)).resolves.toBe('x')
  })

  it('accepts generated key material', async () => {
    const material = generateSecretBoxKeyMaterial()
    expect(base64ToBytes(material)).toHaveLength(32)
    await expect(importSecretBoxKey(material)).resolves.toBeDefined()
  })

  it.each([
    ['16 bytes', randomBytes(16)],
    ['33 bytes', randomBytes(33)],
    ['base64 of 31 bytes', bytesToBase64(randomBytes(31))],
    ['text that is not base64', 'not a key!'],
    ['a passphrase', bytesToBase64(utf8Encode('correct horse battery staple'))],
  ])('rejects %s', async (_, material) => {
    await expect(importSecretBoxKey(material)).rejects.toThrow(RangeError)
  })
})

describe('createSecretBox', () => {
  it('rejects no keys, duplicate ids, bad ids and non-AES keys', async () => {
    const key = await importSecretBoxKey(randomBytes(32))
    expect(() => createSecretBox([])).toThrow(RangeError)
    expect(() =>
      createSecretBox([
        { id: 'a', key },
        { id: 'a', key },
      ]),
    ).toThrow(RangeError)
    expect(() => createSecretBox([{ id: 'a.b', key }])).toThrow(RangeError)
    expect(() => createSecretBox([{ id: '', key }])).toThrow(RangeError)
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    expect(() => createSecretBox([{ id: 'h', key: hmac }])).toThrow(RangeError)
  })
})
