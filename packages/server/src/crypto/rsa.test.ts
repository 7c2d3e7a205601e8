import { constants, createPublicKey, generateKeyPairSync, publicEncrypt } from 'node:crypto'
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, bytesToHex, utf8Encode } from './encoding'
import { randomBytes } from './random'
import {
  RsaKeyError,
  createRsaDecryptor,
  generateRsaKeyPair,
  parseRsaPrivateJwk,
  rsaPublicKeyPem,
  serializeRsaPrivateJwk,
  type RsaDecryptor,
  type RsaKeyPair,
  type RsaPrivateJwk,
} from './rsa'

interface JsEncryptLike {
  setPublicKey(pem: string): void
  encrypt(text: string): string | false
}
type JsEncryptCtor = new (options?: object) => JsEncryptLike

// The JSEncrypt copy that authing-js-sdk 4.23.55 ships and calls, its `encrypt` helper, and the
// upstream jsencrypt package it depends on.
const rootRequire = createRequire(import.meta.url)
const sdkRequire = createRequire(rootRequire.resolve('authing-js-sdk'))
const SdkJsEncrypt = (sdkRequire('authing-js-sdk/build/main/lib/jsencrypt/jsencrypt.js') as { JSEncrypt: JsEncryptCtor }).JSEncrypt
const sdkEncrypt = (sdkRequire('authing-js-sdk/build/main/lib/utils.js') as { encrypt: (p: string, k: string) => Promise<string> }).encrypt
const UpstreamJsEncrypt = sdkRequire('jsencrypt') as JsEncryptCtor

function bigFrom(b64url: string): bigint {
  return BigInt(`0x${bytesToHex(base64ToBytes(b64url)!)}`)
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let b = base % modulus
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus
    b = (b * b) % modulus
  }
  return result
}

/** Textbook RSA on an arbitrary encoded block, to build valid and deliberately broken ciphertexts. */
function rawEncrypt(jwk: RsaPrivateJwk, em: Uint8Array, keepLeadingZeros = true): string {
  const n = bigFrom(jwk.n)
  const c = modPow(BigInt(`0x${bytesToHex(em)}`), bigFrom(jwk.e), n)
  const k = base64ToBytes(jwk.n)!.length
  let hex = c.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  if (keepLeadingZeros) hex = hex.padStart(k * 2, '0')
  return bytesToBase64(Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16))))
}

function nonZeroBytes(length: number): Uint8Array {
  const out = randomBytes(length)
  for (let i = 0; i < out.length; i++) while (out[i] === 0) out[i] = randomBytes(1)[0]!
  return out
}

/** EM = 00 02 PS 00 M, with control over each part so the padding checks can be exercised. */
function encodeBlock(k: number, message: Uint8Array, overrides: { first?: number; second?: number; psLength?: number } = {}) {
  const psLength = overrides.psLength ?? k - 3 - message.length
  const em = new Uint8Array(k)
  em[0] = overrides.first ?? 0
  em[1] = overrides.second ?? 2
  em.set(nonZeroBytes(psLength), 2)
  em[2 + psLength] = 0
  em.set(message, 3 + psLength)
  return em.slice(0, k)
}

let pair: RsaKeyPair
let decryptor: RsaDecryptor
let otherPair: RsaKeyPair
let k: number

beforeAll(async () => {
  ;[pair, otherPair] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()])
  decryptor = createRsaDecryptor(pair.privateJwk)
  k = decryptor.modulusBytes
})

describe('generateRsaKeyPair', () => {
  it('makes a 2048-bit key with e = 65537 and an SPKI PEM public key', () => {
    expect(k).toBe(256)
    expect(pair.privateJwk.e).toBe('AQAB')
    const lines = pair.publicKeyPem.trimEnd().split('\n')
    expect(lines[0]).toBe('-----BEGIN PUBLIC KEY-----')
    expect(lines.at(-1)).toBe('-----END PUBLIC KEY-----')
    for (const line of lines.slice(1, -1)) expect(line.length).toBeLessThanOrEqual(64)
    const jwk = createPublicKey(pair.publicKeyPem).export({ format: 'jwk' })
    expect(jwk.n).toBe(pair.privateJwk.n)
    expect(jwk.e).toBe('AQAB')
  })

  it('derives the same PEM from the private JWK', async () => {
    await expect(rsaPublicKeyPem(pair.privateJwk)).resolves.toBe(pair.publicKeyPem)
  })

  it('keeps only the RSA fields of the JWK', () => {
    expect(Object.keys(pair.privateJwk).sort()).toEqual(['d', 'dp', 'dq', 'e', 'kty', 'n', 'p', 'q', 'qi'])
  })

  it('rejects unsupported modulus lengths', async () => {
    await expect(generateRsaKeyPair(1024)).rejects.toThrow(RangeError)
  })
})

describe('PKCS#1 v1.5 decryption', () => {
  it('decrypts what authing-js-sdk encrypt() produces with its bundled JSEncrypt', async () => {
    for (const password of ['hello', 'P@ssw0rd!', 'пароль-密码-ü', '']) {
      const ciphertext = await sdkEncrypt(password, pair.publicKeyPem)
      expect(decryptor.decryptText(ciphertext)).toBe(password)
    }
  })

  it('decrypts the output of the bundled JSEncrypt class and of the upstream jsencrypt package', () => {
    for (const Ctor of [SdkJsEncrypt, UpstreamJsEncrypt]) {
      const jsencrypt = new Ctor({})
      jsencrypt.setPublicKey(pair.publicKeyPem)
      const ciphertext = jsencrypt.encrypt('correct horse battery staple')
      expect(typeof ciphertext).toBe('string')
      expect(decryptor.decryptText(ciphertext as string)).toBe('correct horse battery staple')
    }
  })

  it('decodes the CESU-8 that JSEncrypt writes for characters outside the BMP', () => {
    const jsencrypt = new SdkJsEncrypt({})
    jsencrypt.setPublicKey(pair.publicKeyPem)
    expect(decryptor.decryptText(jsencrypt.encrypt('pw😀🔑') as string)).toBe('pw😀🔑')
  })

  it('decrypts node:crypto publicEncrypt output with RSA_PKCS1_PADDING', () => {
    const message = utf8Encode('from node:crypto')
    const ciphertext = publicEncrypt({ key: pair.publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, message)
    expect(decryptor.decrypt(ciphertext.toString('base64'))).toEqual(message)
  })

  it('round-trips random messages of every allowed length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 245 }), (message) => {
        const ciphertext = rawEncrypt(pair.privateJwk, encodeBlock(256, message))
        expect(decryptor.decrypt(ciphertext)).toEqual(new Uint8Array(message))
      }),
      { numRuns: 40 },
    )
  })

  it('accepts a ciphertext whose leading zero byte was dropped, as JSEncrypt builds before 3.0 do', () => {
    const n = bigFrom(pair.privateJwk.n)
    for (let attempt = 0; attempt < 5000; attempt++) {
      const em = encodeBlock(256, utf8Encode('short'))
      const c = modPow(BigInt(`0x${bytesToHex(em)}`), 65537n, n)
      if (c >> BigInt(8 * 255) !== 0n || c >> BigInt(8 * 254) === 0n) continue
      const ciphertext = rawEncrypt(pair.privateJwk, em, false)
      expect(base64ToBytes(ciphertext)!.length).toBe(255)
      expect(decryptor.decryptText(ciphertext)).toBe('short')
      return
    }
    throw new Error('no ciphertext with a leading zero byte found')
  })

  it('accepts surrounding whitespace in the base64 text', () => {
    const ciphertext = publicEncrypt({ key: pair.publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, utf8Encode('x'))
    expect(decryptor.decryptText(` ${ciphertext.toString('base64')}\n`)).toBe('x')
  })
})

describe('PKCS#1 v1.5 decryption failures return null and never throw', () => {
  const message = utf8Encode('password')

  it.each([
    ['a first byte that is not 0', { first: 1 }],
    ['a block type of 1 (signature padding)', { second: 1 }],
    ['a block type of 0', { second: 0 }],
    ['padding of only 7 bytes', { psLength: 7 }],
  ])('rejects %s', (_, overrides) => {
    const em = encodeBlock(256, message, overrides)
    const ciphertext = rawEncrypt(pair.privateJwk, em.length === 256 ? em : em.slice(0, 256))
    expect(decryptor.decrypt(ciphertext)).toBeNull()
  })

  it('rejects a block without a zero separator', () => {
    const em = new Uint8Array(256)
    em[1] = 2
    em.set(nonZeroBytes(254), 2)
    expect(decryptor.decrypt(rawEncrypt(pair.privateJwk, em))).toBeNull()
  })

  it('accepts padding of exactly 8 bytes, the minimum', () => {
    const longMessage = randomBytes(256 - 11)
    const em = encodeBlock(256, longMessage)
    expect(decryptor.decrypt(rawEncrypt(pair.privateJwk, em))).toEqual(longMessage)
  })

  it('rejects a ciphertext made for another key', () => {
    const jsencrypt = new SdkJsEncrypt({})
    jsencrypt.setPublicKey(otherPair.publicKeyPem)
    expect(decryptor.decrypt(jsencrypt.encrypt('password') as string)).toBeNull()
  })

  it('rejects an RSA-OAEP ciphertext', () => {
    const oaep = publicEncrypt({ key: pair.publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING }, message)
    expect(decryptor.decrypt(oaep.toString('base64'))).toBeNull()
  })

  it('rejects a ciphertext equal to or above the modulus', () => {
    const nBytes = base64ToBytes(pair.privateJwk.n)!
    expect(decryptor.decrypt(bytesToBase64(nBytes))).toBeNull()
    expect(decryptor.decrypt(bytesToBase64(new Uint8Array(256).fill(0xff)))).toBeNull()
  })

  it.each([
    ['an empty string', ''],
    ['text that is not base64', 'this is not base64!'],
    ['257 bytes', bytesToBase64(randomBytes(257))],
    ['a very long string', 'A'.repeat(100_000)],
    ['a single zero byte', bytesToBase64(new Uint8Array(1))],
  ])('rejects %s', (_, input) => {
    expect(decryptor.decrypt(input)).toBeNull()
    expect(decryptor.decryptText(input)).toBeNull()
  })

  it('rejects non-string input', () => {
    for (const bad of [undefined, null, 42, {}, new Uint8Array(256)]) {
      expect(decryptor.decrypt(bad as unknown as string)).toBeNull()
    }
  })

  it('returns null from decryptText when the message is neither UTF-8 nor CESU-8', () => {
    const em = encodeBlock(256, new Uint8Array([0x70, 0xff, 0xfe]))
    const ciphertext = rawEncrypt(pair.privateJwk, em)
    expect(decryptor.decrypt(ciphertext)).toEqual(new Uint8Array([0x70, 0xff, 0xfe]))
    expect(decryptor.decryptText(ciphertext)).toBeNull()
    const loneSurrogate = encodeBlock(256, new Uint8Array([0xed, 0xa0, 0xbd]))
    expect(decryptor.decryptText(rawEncrypt(pair.privateJwk, loneSurrogate))).toBeNull()
  })

  it('survives random ciphertexts of every length without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 260 }), (bytes) => {
        const result = decryptor.decrypt(bytesToBase64(bytes))
        expect(result === null || result instanceof Uint8Array).toBe(true)
      }),
      { numRuns: 60 },
    )
  })
})

describe('private key JWK persistence', () => {
  it('serialises to JSON and parses back to a working key', () => {
    const json = serializeRsaPrivateJwk(pair.privateJwk)
    const restored = createRsaDecryptor(parseRsaPrivateJwk(json))
    const ciphertext = publicEncrypt({ key: pair.publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, utf8Encode('again'))
    expect(restored.decryptText(ciphertext.toString('base64'))).toBe('again')
  })

  it('accepts a JWK exported by node:crypto, ignoring extra members', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const jwk = { ...privateKey.export({ format: 'jwk' }), alg: 'RSA-OAEP-256', use: 'enc' }
    const parsed = parseRsaPrivateJwk(jwk)
    expect(parsed).not.toHaveProperty('alg')
    const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, utf8Encode('node key'))
    expect(createRsaDecryptor(parsed).decryptText(ciphertext.toString('base64'))).toBe('node key')
  })

  it.each<[string, () => unknown]>([
    ['invalid JSON', () => '{"kty":'],
    ['a non-object', () => 42],
    ['null', () => null],
    ['an EC key', () => ({ ...pair.privateJwk, kty: 'EC' })],
    ['a missing CRT field', () => ({ ...pair.privateJwk, qi: undefined })],
    ['a field that is not base64url', () => ({ ...pair.privateJwk, d: 'not+base64/' })],
    ['a prime from another key', () => ({ ...pair.privateJwk, p: otherPair.privateJwk.p })],
    ['a CRT exponent from another key', () => ({ ...pair.privateJwk, dp: otherPair.privateJwk.dp })],
    ['a CRT coefficient from another key', () => ({ ...pair.privateJwk, qi: otherPair.privateJwk.qi })],
    ['a private exponent from another key', () => ({ ...pair.privateJwk, d: otherPair.privateJwk.d })],
    ['a 1024-bit key', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' })],
  ])('rejects %s', (_, make) => {
    expect(() => parseRsaPrivateJwk(make())).toThrow(RsaKeyError)
  })

  it('does not put key material in its error messages', () => {
    try {
      parseRsaPrivateJwk({ ...pair.privateJwk, p: otherPair.privateJwk.p })
      expect.unreachable()
    } catch (error) {
      const text = String((error as Error).message)
      for (const field of ['n', 'd', 'p', 'q'] as const) expect(text).not.toContain(pair.privateJwk[field].slice(0, 16))
    }
  })
})
