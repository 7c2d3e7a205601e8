import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes as nodeRandomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  SyncCryptoError,
  checkSyncCrypto,
  createCodeHasher,
  createSecretBox,
  importSecretBoxKey,
  randomBytes,
  totpMatchStep,
  utf8Encode,
  type HmacHash,
  type OtpAlgorithm,
  type SyncCrypto,
} from '../crypto'
import { MfaConfigError } from '../options'
import { createMfaServer } from '../server'
import { nodeCrypto } from './crypto'

const view = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)

describe('nodeCrypto', () => {
  it('passes the known-answer checks', () => {
    expect(() => checkSyncCrypto(nodeCrypto)).not.toThrow()
  })

  it.each<HmacHash>(['SHA-1', 'SHA-256', 'SHA-512'])('computes the same HMAC-%s as Web Crypto', async (hash) => {
    for (const length of [0, 1, 20, 64, 65, 200]) {
      const key = randomBytes(length === 0 ? 1 : length)
      const data = randomBytes(length)
      const webKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign'])
      const expected = new Uint8Array(await crypto.subtle.sign('HMAC', webKey, data))
      expect(nodeCrypto.hmac!(hash, key, data)).toEqual(expected)
    }
  })

  it('opens what Web Crypto sealed with AES-256-GCM and refuses any change to it', async () => {
    const raw = randomBytes(32)
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt'])
    const iv = randomBytes(12)
    const aad = utf8Encode('["owner"]')
    const plain = randomBytes(20)
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, plain))
    expect(nodeCrypto.aesGcmDecrypt!(raw, iv, sealed, aad)).toEqual(plain)
    for (let at = 0; at < sealed.length; at++) {
      const tampered = sealed.slice()
      tampered[at]! ^= 0x80
      expect(() => nodeCrypto.aesGcmDecrypt!(raw, iv, tampered, aad)).toThrow()
    }
    expect(() => nodeCrypto.aesGcmDecrypt!(raw, iv, sealed, utf8Encode('["other"]'))).toThrow()
    expect(() => nodeCrypto.aesGcmDecrypt!(raw, iv, sealed.slice(0, 15), aad)).toThrow()
  })
})

describe('the core with a synchronous HMAC and AES-GCM', () => {
  it('hashes tokens and codes exactly as with Web Crypto, so stored hashes stay valid', async () => {
    const key = randomBytes(32)
    const web = await createCodeHasher(key)
    const sync = await createCodeHasher(key, { hmac: nodeCrypto.hmac })
    for (const [purpose, context, value] of [
      ['token', [], 'a'.repeat(43)],
      ['recovery', ['user-1'], '10af4f2ff34ff224d21cbd16'],
      ['oob', ['sms', '+8613800000000', 'mfa'], '012345'],
    ] as const) {
      const hash = await web.hash(purpose, context, value)
      expect(await sync.hash(purpose, context, value)).toBe(hash)
      expect(await sync.verify(purpose, context, value, hash)).toBe(true)
      expect(await sync.verify(purpose, context, `${value}x`, hash)).toBe(false)
    }
  })

  it('matches TOTP codes exactly as with Web Crypto (RFC 6238 Appendix B)', async () => {
    const seeds: Record<OtpAlgorithm, Uint8Array> = {
      SHA1: utf8Encode('12345678901234567890'),
      SHA256: utf8Encode('12345678901234567890123456789012'),
      SHA512: utf8Encode('1234567890123456789012345678901234567890123456789012345678901234'),
    }
    const vectors: Array<[OtpAlgorithm, number, string]> = [
      ['SHA1', 59, '94287082'],
      ['SHA1', 1111111109, '07081804'],
      ['SHA256', 1111111111, '67062674'],
      ['SHA512', 2000000000, '38618901'],
    ]
    for (const [algorithm, seconds, code] of vectors) {
      const options = { algorithm, digits: 8 }
      const step = Math.floor(seconds / 30)
      for (const offset of [-30_000, 0, 30_000]) {
        const at = seconds * 1000 + offset
        const web = await totpMatchStep(seeds[algorithm], code, at, options)
        expect(await totpMatchStep(seeds[algorithm], code, at, { ...options, hmac: nodeCrypto.hmac })).toBe(web)
        expect(web).toBe(step)
      }
      expect(
        await totpMatchStep(seeds[algorithm], code, seconds * 1000, { ...options, hmac: nodeCrypto.hmac, lastAcceptedStep: step }),
      ).toBeNull()
      expect(await totpMatchStep(seeds[algorithm], code, seconds * 1000 + 90_000, { ...options, hmac: nodeCrypto.hmac })).toBeNull()
    }
  })

  it('opens secret-box values with the synchronous AES-GCM, bound to their owner as before', async () => {
    const raw = randomBytes(32)
    const key = await importSecretBoxKey(raw)
    const web = createSecretBox([{ id: 'v1', key }])
    const sync = createSecretBox([{ id: 'v1', key, raw }], { aesGcmDecrypt: nodeCrypto.aesGcmDecrypt })
    const secret = randomBytes(20)
    const sealed = await web.seal(secret, { userId: 'u1', factor: 'totp' })
    expect(await sync.open(sealed, { userId: 'u1', factor: 'totp' })).toEqual(secret)
    await expect(sync.open(sealed, { userId: 'u2', factor: 'totp' })).rejects.toMatchObject({ reason: 'decrypt_failed' })
    expect(await web.open(await sync.seal(secret, { userId: 'u1', factor: 'totp' }), { userId: 'u1', factor: 'totp' })).toEqual(secret)
  })
})

describe('checkSyncCrypto', () => {
  const goodHmac = nodeCrypto.hmac!
  const goodAes = nodeCrypto.aesGcmDecrypt!

  it.each<[string, unknown, RegExp]>([
    ['a non-object', 'node', /must be an object/],
    ['an hmac that is not a function', { hmac: 42 }, /must be a function/],
    [
      'an hmac that ignores the hash',
      { hmac: (_: HmacHash, key: Uint8Array, data: Uint8Array) => view(createHmac('sha256', key).update(data).digest()) },
      /HMAC-SHA-1/,
    ],
    [
      'an hmac that is a plain hash',
      {
        hmac: (hash: HmacHash, _: Uint8Array, data: Uint8Array) =>
          view(createHash(hash.replace('-', '').toLowerCase()).update(data).digest()),
      },
      /HMAC-SHA-1/,
    ],
    [
      'an hmac that throws',
      {
        hmac: () => {
          throw new Error('no')
        },
      },
      /HMAC-SHA-1/,
    ],
    ['an AES-GCM that is not a function', { aesGcmDecrypt: {} }, /must be a function/],
    [
      'an AES-GCM that ignores the tag',
      {
        aesGcmDecrypt: (key: Uint8Array, iv: Uint8Array, data: Uint8Array) => {
          const ctr = createDecipheriv('aes-256-ctr', key, Buffer.concat([iv, Buffer.from([0, 0, 0, 2])]))
          return view(ctr.update(data.subarray(0, data.length - 16)))
        },
      },
      /forged/,
    ],
    [
      'an AES-GCM that returns its input',
      { aesGcmDecrypt: (_k: Uint8Array, _i: Uint8Array, data: Uint8Array) => data },
      /does not decrypt/,
    ],
  ])('refuses %s', (_, candidate, message) => {
    expect(() => checkSyncCrypto(candidate)).toThrow(SyncCryptoError)
    expect(() => checkSyncCrypto(candidate)).toThrow(message)
  })

  it('accepts either primitive alone', () => {
    expect(() => checkSyncCrypto({ hmac: goodHmac })).not.toThrow()
    expect(() => checkSyncCrypto({ aesGcmDecrypt: goodAes })).not.toThrow()
    expect(() => checkSyncCrypto({})).not.toThrow()
  })

  it('makes createMfaServer refuse a broken primitive with MfaConfigError', () => {
    const broken: SyncCrypto = { hmac: (hash, key, data) => goodHmac(hash, key, data).map((byte) => byte ^ 1) }
    expect(() => createMfaServer({ crypto: broken })).toThrow(MfaConfigError)
    expect(() => createMfaServer({ crypto: nodeCrypto })).not.toThrow()
  })
})

describe('AES-GCM test helper sanity', () => {
  it('the CTR shortcut above really yields the plaintext without checking the tag', () => {
    const key = nodeRandomBytes(32)
    const iv = nodeRandomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    const body = Buffer.concat([cipher.update('hello, world'), cipher.final()])
    const ctr = createDecipheriv('aes-256-ctr', key, Buffer.concat([iv, Buffer.from([0, 0, 0, 2])]))
    expect(ctr.update(body).toString()).toBe('hello, world')
  })
})
