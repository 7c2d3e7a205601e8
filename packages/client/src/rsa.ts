/**
 * RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1) with a PEM public key, as JSEncrypt does it for
 * Authing password logins. WebCrypto only offers RSA-OAEP, so this is plain BigInt arithmetic.
 * Loaded on demand: apps that never send a password never download it.
 */

const RSA_OID = '2a864886f70d010101'

type Tlv = [tag: number, start: number, end: number]

function tlv(b: Uint8Array, p: number): Tlv {
  const tag = b[p++]
  let len = b[p++]
  if (tag === undefined || len === undefined) throw new Error('truncated key')
  if (len & 0x80) {
    let n = len & 0x7f
    len = 0
    while (n--) len = len * 256 + (b[p++] ?? NaN)
  }
  if (!(p + len <= b.length)) throw new Error('truncated key')
  return [tag, p, p + len]
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

function expect(b: Uint8Array, p: number, tag: number): Tlv {
  const t = tlv(b, p)
  if (t[0] !== tag) throw new Error('unexpected key structure')
  return t
}

/** Reads `n` and `e` from an SPKI (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`) PEM. */
export function parsePublicKey(pem: string): { n: bigint; e: bigint } {
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0))
  let [, p] = expect(der, 0, 0x30)
  if (der[p] !== 0x02) {
    const [, algStart, algEnd] = expect(der, p, 0x30)
    const [, oidStart, oidEnd] = expect(der, algStart, 0x06)
    if (hex(der.subarray(oidStart, oidEnd)) !== RSA_OID) throw new Error('not an RSA key')
    const [, bitsStart] = expect(der, algEnd, 0x03)
    ;[, p] = expect(der, bitsStart + 1, 0x30)
  }
  const [, nStart, nEnd] = expect(der, p, 0x02)
  const [, eStart, eEnd] = expect(der, nEnd, 0x02)
  const n = BigInt(`0x${hex(der.subarray(nStart, nEnd))}`)
  const e = BigInt(`0x${hex(der.subarray(eStart, eEnd))}`)
  if (n < 1n << 511n || e < 3n) throw new Error('RSA key too small')
  return { n, e }
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n
  b %= m
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m
    b = (b * b) % m
  }
  return r
}

/** Encrypts `plain` (UTF-8) for the key in `pem` and returns base64, like JSEncrypt's `encrypt`. */
export function encryptPassword(plain: string, pem: string): string {
  const { n, e } = parsePublicKey(pem)
  const k = (n.toString(16).length + 1) >> 1
  const m = new TextEncoder().encode(plain)
  if (m.length > k - 11) throw new RangeError(`the password is longer than ${k - 11} bytes`)
  // EM = 0x00 || 0x02 || PS (non-zero random bytes, at least 8) || 0x00 || M
  const em = new Uint8Array(k)
  em[1] = 2
  const ps = em.subarray(2, k - m.length - 1)
  crypto.getRandomValues(ps)
  for (let i = 0; i < ps.length; i++) {
    while (ps[i] === 0) ps[i] = crypto.getRandomValues(new Uint8Array(1))[0] ?? 0
  }
  em.set(m, k - m.length)
  const c = modPow(BigInt(`0x${hex(em)}`), e, n)
    .toString(16)
    .padStart(k * 2, '0')
  let bin = ''
  for (let i = 0; i < c.length; i += 2) bin += String.fromCharCode(parseInt(c.slice(i, i + 2), 16))
  return btoa(bin)
}
