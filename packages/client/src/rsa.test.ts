import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encryptPassword, parsePublicKey } from './rsa'

const fromB64url = (s: string): bigint => BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`)

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n
  for (b %= m; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m
    b = (b * b) % m
  }
  return r
}

function keyPair(bits = 1024) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  const jwk = privateKey.export({ format: 'jwk' })
  return {
    spki: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    pkcs1: publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    n: fromB64url(jwk.n ?? ''),
    d: fromB64url(jwk.d ?? ''),
    k: bits / 8,
  }
}

/** Raw RSA decryption, then a strict check of the PKCS#1 v1.5 type 2 block. */
function decrypt(b64: string, n: bigint, d: bigint, k: number): { message: string; padding: Buffer } {
  const c = Buffer.from(b64, 'base64')
  expect(c.length).toBe(k)
  const em = Buffer.from(
    modPow(BigInt(`0x${c.toString('hex')}`), d, n)
      .toString(16)
      .padStart(k * 2, '0'),
    'hex',
  )
  expect(em[0]).toBe(0)
  expect(em[1]).toBe(2)
  const sep = em.indexOf(0, 2)
  expect(sep).toBeGreaterThanOrEqual(10)
  return { message: em.subarray(sep + 1).toString('utf8'), padding: em.subarray(2, sep) }
}

const key = keyPair()

describe('encryptPassword (RSAES-PKCS1-v1_5)', () => {
  it('produces a ciphertext the private key decrypts back to the password', () => {
    const out = decrypt(encryptPassword('correct horse battery staple', key.spki), key.n, key.d, key.k)
    expect(out.message).toBe('correct horse battery staple')
    expect(out.padding.includes(0)).toBe(false)
  })

  it('encodes the password as UTF-8', () => {
    expect(decrypt(encryptPassword('пароль-密码-🔑', key.spki), key.n, key.d, key.k).message).toBe('пароль-密码-🔑')
  })

  it('accepts a PKCS#1 "RSA PUBLIC KEY" PEM as well as SPKI', () => {
    expect(decrypt(encryptPassword('pkcs1 key', key.pkcs1), key.n, key.d, key.k).message).toBe('pkcs1 key')
  })

  it('pads with fresh random bytes, so the same password never encrypts the same way twice', () => {
    const a = encryptPassword('same', key.spki)
    const b = encryptPassword('same', key.spki)
    expect(a).not.toBe(b)
  })

  it('works with a 2048-bit key and an empty password', () => {
    const big = keyPair(2048)
    expect(decrypt(encryptPassword('', big.spki), big.n, big.d, big.k).message).toBe('')
  })

  it('refuses a password longer than the key can carry', () => {
    expect(() => encryptPassword('x'.repeat(key.k - 10), key.spki)).toThrow(RangeError)
    expect(decrypt(encryptPassword('x'.repeat(key.k - 11), key.spki), key.n, key.d, key.k).message).toHaveLength(key.k - 11)
  })
})

describe('parsePublicKey', () => {
  it('reads the modulus and exponent', () => {
    const { n, e } = parsePublicKey(key.spki)
    expect(n).toBe(key.n)
    expect(e).toBe(65537n)
  })

  it('rejects a key that is not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(() => parsePublicKey(ec)).toThrow(/not an RSA key/)
  })

  it('rejects garbage and truncated input', () => {
    expect(() => parsePublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow()
    expect(() => parsePublicKey(`${key.spki.slice(0, 120)}\n-----END PUBLIC KEY-----`)).toThrow()
    expect(() => parsePublicKey('not base64 at all!')).toThrow()
  })
})
