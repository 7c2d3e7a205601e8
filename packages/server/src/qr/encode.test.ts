import { describe, expect, it } from 'vitest'
import {
  byteCapacity,
  encodeQr,
  formatBits,
  isDark,
  MASK_PATTERNS,
  penaltyScore,
  QrCapacityError,
  totalCodewords,
  versionBits,
  versionFor,
  type MaskPattern,
  type QrCode,
} from './encode'
import { qrCodePng } from './index'
import { decodePng, scan } from './test-utils'

const VERSIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

/** ISO/IEC 18004 table C.1: the 15 format bits of level M for masks 0 to 7. */
const LEVEL_M_FORMAT = [
  '101010000010010',
  '101000100100101',
  '101111001111100',
  '101101101001011',
  '100010111111001',
  '100000011001110',
  '100111110010111',
  '100101010100000',
]

/** ISO/IEC 18004 table D.1: the 18 version bits of versions 7 to 10. */
const VERSION_INFORMATION = { 7: 0x07c94, 8: 0x085bc, 9: 0x09a99, 10: 0x0a4d3 }

const payloadOf = (length: number) => 'otpauth://totp/mfa-kit:alice%40example.com?secret='.padEnd(length, 'A').slice(0, length)

async function scanned(qr: QrCode) {
  return scan(decodePng(await qrCodePng(qr)))
}

const bitAt = (qr: QrCode, row: number, column: number) => (isDark(qr, row, column) ? '1' : '0')

/** The format bits around the top-left finder, most significant first. */
function formatNearTopLeft(qr: QrCode): string {
  const cells: Array<[number, number]> = [
    [8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8],
  ]
  return cells.map(([r, c]) => bitAt(qr, r, c)).join('')
}

/** The copy split between the bottom-left and top-right finders, most significant first. */
function formatNearOtherFinders(qr: QrCode): string {
  const n = qr.size
  const cells: Array<[number, number]> = [
    [n - 1, 8], [n - 2, 8], [n - 3, 8], [n - 4, 8], [n - 5, 8], [n - 6, 8], [n - 7, 8],
    [8, n - 8], [8, n - 7], [8, n - 6], [8, n - 5], [8, n - 4], [8, n - 3], [8, n - 2], [8, n - 1],
  ]
  return cells.map(([r, c]) => bitAt(qr, r, c)).join('')
}

function expectFinderAt(qr: QrCode, top: number, left: number) {
  for (let r = -1; r <= 7; r++) {
    for (let c = -1; c <= 7; c++) {
      const row = top + r
      const column = left + c
      if (row < 0 || column < 0 || row >= qr.size || column >= qr.size) continue
      const inside = r >= 0 && r <= 6 && c >= 0 && c <= 6
      const dark = inside && (r === 0 || r === 6 || c === 0 || c === 6 || (r >= 2 && r <= 4 && c >= 2 && c <= 4))
      expect(isDark(qr, row, column), `module (${row}, ${column})`).toBe(dark)
    }
  }
}

describe('capacity', () => {
  it('has the codeword counts and level-M byte capacities of ISO/IEC 18004 tables 1 and 7', () => {
    expect(VERSIONS.map(totalCodewords)).toEqual([26, 44, 70, 100, 134, 172, 196, 242, 292, 346])
    expect(VERSIONS.map(byteCapacity)).toEqual([14, 26, 42, 62, 84, 106, 122, 152, 180, 213])
  })

  it('picks the smallest version that holds the payload', () => {
    expect([0, 14, 15, 26, 27, 122, 123, 213].map(versionFor)).toEqual([1, 1, 2, 2, 3, 7, 8, 10])
  })

  it('refuses more than 213 bytes with a clear error, counting UTF-8 bytes', () => {
    expect(() => encodeQr('a'.repeat(214))).toThrow(QrCapacityError)
    expect(() => encodeQr('a'.repeat(214))).toThrow('QR code payload too long: 214 bytes, at most 213 fit (version 10, level M)')
    expect(() => encodeQr('é'.repeat(107))).toThrow(QrCapacityError)
    expect(encodeQr('é'.repeat(106)).version).toBe(10)
  })
})

describe('QR symbols read back by an independent decoder (jsQR)', () => {
  it.each(VERSIONS)('version %i at its full capacity', async (version) => {
    const text = payloadOf(byteCapacity(version))
    const qr = encodeQr(text)
    expect(qr.version).toBe(version)
    expect(qr.size).toBe(17 + 4 * version)
    const result = await scanned(qr)
    expect(result?.data).toBe(text)
    expect(result?.version).toBe(version)
  })

  it('a typical otpauth URI', async () => {
    const uri = 'otpauth://totp/mfa-kit:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=mfa-kit&algorithm=SHA1&digits=6&period=30'
    expect((await scanned(encodeQr(uri)))?.data).toBe(uri)
  })

  it('arbitrary bytes, including UTF-8 text', async () => {
    const text = 'otpauth://totp/Ünïcødé:ユーザー?secret=ABC'
    expect((await scanned(encodeQr(text)))?.data).toBe(text)
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff)
    expect((await scanned(encodeQr(bytes)))?.binaryData).toEqual(Array.from(bytes))
  })

  it.each([1, 7, 10])('every mask pattern, version %i', async (version) => {
    const text = payloadOf(byteCapacity(version))
    for (const mask of MASK_PATTERNS) {
      const qr = encodeQr(text, { mask })
      expect(qr.mask).toBe(mask)
      expect((await scanned(qr))?.data, `mask ${mask}`).toBe(text)
    }
  })

  it('still reads when part of the data area is damaged (error correction works)', async () => {
    const text = payloadOf(80)
    const qr = encodeQr(text)
    expect(qr.version).toBe(5)
    const damaged: QrCode = { ...qr, modules: qr.modules.slice() }
    for (let row = 14; row < 20; row++) {
      for (let column = 14; column < 20; column++) damaged.modules[row * qr.size + column] = 1 - damaged.modules[row * qr.size + column]!
    }
    expect((await scanned(damaged))?.data).toBe(text)
  })
})

describe('symbol structure', () => {
  it('has the three finder patterns with separators, the timing patterns and the dark module', () => {
    for (const version of [1, 6, 10]) {
      const qr = encodeQr(payloadOf(byteCapacity(version)))
      expectFinderAt(qr, 0, 0)
      expectFinderAt(qr, 0, qr.size - 7)
      expectFinderAt(qr, qr.size - 7, 0)
      for (let i = 8; i < qr.size - 8; i++) {
        expect(isDark(qr, 6, i)).toBe(i % 2 === 0)
        expect(isDark(qr, i, 6)).toBe(i % 2 === 0)
      }
      expect(isDark(qr, 4 * version + 9, 8)).toBe(true)
    }
  })

  it('has alignment patterns at the version 7 positions (6, 22, 38), except over the finders', () => {
    const qr = encodeQr(payloadOf(110))
    expect(qr.version).toBe(7)
    for (const [row, column] of [[6, 22], [22, 6], [22, 22], [22, 38], [38, 22], [38, 38]] as const) {
      for (let dr = -2; dr <= 2; dr++) {
        for (let dc = -2; dc <= 2; dc++) expect(isDark(qr, row + dr, column + dc)).toBe(Math.max(Math.abs(dr), Math.abs(dc)) !== 1)
      }
    }
  })

  it('carries format bits that say level M and the mask used, twice', () => {
    expect(MASK_PATTERNS.map((mask) => formatBits(mask).toString(2).padStart(15, '0'))).toEqual(LEVEL_M_FORMAT)
    for (const mask of MASK_PATTERNS) {
      const qr = encodeQr('otpauth://totp/a?secret=B', { mask })
      expect(formatNearTopLeft(qr)).toBe(LEVEL_M_FORMAT[mask])
      expect(formatNearOtherFinders(qr)).toBe(LEVEL_M_FORMAT[mask])
    }
  })

  it('carries the version information twice from version 7 on, and none before', () => {
    for (const [version, expected] of Object.entries(VERSION_INFORMATION)) {
      expect(versionBits(Number(version))).toBe(expected)
      const qr = encodeQr(payloadOf(byteCapacity(Number(version))))
      let topRight = 0
      let bottomLeft = 0
      for (let i = 17; i >= 0; i--) {
        const near = Math.floor(i / 3)
        const far = qr.size - 11 + (i % 3)
        topRight = topRight * 2 + (isDark(qr, near, far) ? 1 : 0)
        bottomLeft = bottomLeft * 2 + (isDark(qr, far, near) ? 1 : 0)
      }
      expect([topRight, bottomLeft]).toEqual([expected, expected])
    }
  })
})

describe('mask selection', () => {
  it('scores an all-light 5×5 block by rules 1, 2 and 4', () => {
    // Rule 1: ten lines with a run of 5 (3 each); rule 2: sixteen 2×2 blocks (3 each); rule 4: 0 % dark is 10 steps of 5 %.
    expect(penaltyScore({ size: 5, modules: new Uint8Array(25) })).toBe(30 + 48 + 100)
  })

  it('counts a 1:1:3:1:1 finder look-alike next to four light modules (rule 3)', () => {
    const modules = new Uint8Array(49)
    for (const [column, dark] of [1, 0, 1, 1, 1, 0, 1].entries()) modules[3 * 7 + column] = dark
    // Rule 1: six light rows (run of 7: 5 each) and two light columns: 40. Rule 2: 24 light blocks: 72.
    // Rule 3: the middle row matches with light on both sides: 2 × 40. Rule 4: 5 of 49 dark: 7 steps: 70.
    expect(penaltyScore({ size: 7, modules })).toBe(40 + 72 + 80 + 70)
  })

  it('uses the mask with the lowest penalty, the first one on a tie', () => {
    for (const length of [5, 30, 77, 150, 200]) {
      const text = payloadOf(length)
      const scores = MASK_PATTERNS.map((mask) => penaltyScore(encodeQr(text, { mask })))
      const best = scores.indexOf(Math.min(...scores)) as MaskPattern
      expect(encodeQr(text).mask).toBe(best)
    }
  })
})
