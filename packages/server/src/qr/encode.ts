/**
 * QR code symbols (ISO/IEC 18004) for short binary payloads such as otpauth URIs: byte mode, error
 * correction level M (about 15 % of the symbol can be damaged), versions 1 to 10 (21×21 to 57×57
 * modules, up to 213 bytes). The mask is chosen by the standard penalty score.
 */

import { reedSolomonRemainder } from './reed-solomon'

export const MIN_VERSION = 1
export const MAX_VERSION = 10

/** Error correction level M: codewords per block and number of blocks, for versions 1 to 10. */
const LEVEL_M_BLOCKS: ReadonlyArray<{ ecCodewordsPerBlock: number; blocks: number }> = [
  { ecCodewordsPerBlock: 10, blocks: 1 },
  { ecCodewordsPerBlock: 16, blocks: 1 },
  { ecCodewordsPerBlock: 26, blocks: 1 },
  { ecCodewordsPerBlock: 18, blocks: 2 },
  { ecCodewordsPerBlock: 24, blocks: 2 },
  { ecCodewordsPerBlock: 16, blocks: 4 },
  { ecCodewordsPerBlock: 18, blocks: 4 },
  { ecCodewordsPerBlock: 22, blocks: 4 },
  { ecCodewordsPerBlock: 22, blocks: 5 },
  { ecCodewordsPerBlock: 26, blocks: 5 },
]

/** Row and column coordinates of the alignment pattern centres, for versions 1 to 10. */
const ALIGNMENT_CENTRES: ReadonlyArray<readonly number[]> = [
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
]

/** The two error correction level bits of the format information: L = 01, M = 00, Q = 11, H = 10. */
const LEVEL_M_FORMAT_BITS = 0b00
const FORMAT_GENERATOR = 0b10100110111 // x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1
const FORMAT_XOR_MASK = 0b101010000010010
const VERSION_GENERATOR = 0b1111100100101 // x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1
const BYTE_MODE = 0b0100
const PAD_CODEWORDS = [0xec, 0x11] as const

export type MaskPattern = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7
export const MASK_PATTERNS: readonly MaskPattern[] = [0, 1, 2, 3, 4, 5, 6, 7]

/** A finished symbol, without quiet zone. */
export interface QrCode {
  version: number
  mask: MaskPattern
  /** Modules per side: 17 + 4 × version. */
  size: number
  /** Row-major, `size × size`; 1 = dark module. */
  modules: Uint8Array
}

/** The payload does not fit in the largest supported version. */
export class QrCapacityError extends RangeError {
  override readonly name = 'QrCapacityError'
  constructor(readonly byteLength: number) {
    super(`QR code payload too long: ${byteLength} bytes, at most ${byteCapacity(MAX_VERSION)} fit (version ${MAX_VERSION}, level M)`)
  }
}

export function sizeOf(version: number): number {
  return 17 + 4 * version
}

export function isDark(qr: QrCode, row: number, column: number): boolean {
  return qr.modules[row * qr.size + column] === 1
}

// ---- symbol layout --------------------------------------------------------------------------

/** A symbol under construction: module colours, and which modules belong to function patterns. */
class Grid {
  readonly modules: Uint8Array
  readonly reserved: Uint8Array
  constructor(readonly size: number) {
    this.modules = new Uint8Array(size * size)
    this.reserved = new Uint8Array(size * size)
  }
  get(row: number, column: number): number {
    return this.modules[row * this.size + column]!
  }
  set(row: number, column: number, dark: boolean | number): void {
    this.modules[row * this.size + column] = dark ? 1 : 0
  }
  /** Sets a module of a function pattern; data never goes there and masks skip it. */
  setFunction(row: number, column: number, dark: boolean | number): void {
    this.set(row, column, dark)
    this.reserved[row * this.size + column] = 1
  }
  isReserved(row: number, column: number): boolean {
    return this.reserved[row * this.size + column] === 1
  }
  copy(): Grid {
    const grid = new Grid(this.size)
    grid.modules.set(this.modules)
    grid.reserved.set(this.reserved)
    return grid
  }
}

/** Finder pattern (7×7) with its light separator, top-left corner at (row, column). */
function drawFinder(grid: Grid, row: number, column: number): void {
  for (let dr = -1; dr <= 7; dr++) {
    for (let dc = -1; dc <= 7; dc++) {
      const r = row + dr
      const c = column + dc
      if (r < 0 || c < 0 || r >= grid.size || c >= grid.size) continue
      const inPattern = dr >= 0 && dr <= 6 && dc >= 0 && dc <= 6
      const ring = dr === 0 || dr === 6 || dc === 0 || dc === 6
      const core = dr >= 2 && dr <= 4 && dc >= 2 && dc <= 4
      grid.setFunction(r, c, inPattern && (ring || core))
    }
  }
}

/** Alignment pattern (5×5) centred at (row, column). */
function drawAlignment(grid: Grid, row: number, column: number): void {
  for (let dr = -2; dr <= 2; dr++) {
    for (let dc = -2; dc <= 2; dc++) grid.setFunction(row + dr, column + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1)
  }
}

/** Remainder of `value · x^degree` divided by a BCH generator polynomial of that degree. */
function bchRemainder(value: number, generator: number, degree: number): number {
  let remainder = value << degree
  for (let bit = 31 - Math.clz32(remainder); bit >= degree; bit--) {
    if ((remainder >>> bit) & 1) remainder ^= generator << (bit - degree)
  }
  return remainder
}

/** The 15 format bits: level M and the mask, BCH(15,5)-protected and XOR-masked. */
export function formatBits(mask: MaskPattern): number {
  const data = (LEVEL_M_FORMAT_BITS << 3) | mask
  return ((data << 10) | bchRemainder(data, FORMAT_GENERATOR, 10)) ^ FORMAT_XOR_MASK
}

/** The 18 version bits (versions 7 and up): the version, BCH(18,6)-protected. */
export function versionBits(version: number): number {
  return (version << 12) | bchRemainder(version, VERSION_GENERATOR, 12)
}

const bit = (value: number, index: number) => (value >>> index) & 1

/** Both copies of the format information; bit 0 is the least significant. */
function drawFormat(grid: Grid, mask: MaskPattern): void {
  const bits = formatBits(mask)
  const last = grid.size - 1
  for (let i = 0; i <= 5; i++) grid.setFunction(i, 8, bit(bits, i))
  grid.setFunction(7, 8, bit(bits, 6))
  grid.setFunction(8, 8, bit(bits, 7))
  grid.setFunction(8, 7, bit(bits, 8))
  for (let i = 9; i < 15; i++) grid.setFunction(8, 14 - i, bit(bits, i))
  for (let i = 0; i < 8; i++) grid.setFunction(8, last - i, bit(bits, i))
  for (let i = 8; i < 15; i++) grid.setFunction(grid.size - 15 + i, 8, bit(bits, i))
  grid.setFunction(grid.size - 8, 8, true) // the dark module
}

/** Both copies of the version information (6×3 next to the top-right and bottom-left finders). */
function drawVersion(grid: Grid, version: number): void {
  if (version < 7) return
  const bits = versionBits(version)
  for (let i = 0; i < 18; i++) {
    const near = Math.floor(i / 3)
    const far = grid.size - 11 + (i % 3)
    grid.setFunction(near, far, bit(bits, i))
    grid.setFunction(far, near, bit(bits, i))
  }
}

/** Everything but the data: finders, separators, timing, alignment, format and version areas. */
function functionPatterns(version: number): Grid {
  const size = sizeOf(version)
  const grid = new Grid(size)
  drawFinder(grid, 0, 0)
  drawFinder(grid, 0, size - 7)
  drawFinder(grid, size - 7, 0)
  for (let i = 8; i < size - 8; i++) {
    grid.setFunction(6, i, i % 2 === 0)
    grid.setFunction(i, 6, i % 2 === 0)
  }
  const centres = ALIGNMENT_CENTRES[version - 1]!
  const lastCentre = centres.length - 1
  for (const [i, row] of centres.entries()) {
    for (const [j, column] of centres.entries()) {
      const onFinder = (i === 0 && j === 0) || (i === 0 && j === lastCentre) || (i === lastCentre && j === 0)
      if (!onFinder) drawAlignment(grid, row, column)
    }
  }
  drawFormat(grid, 0) // reserves the areas; the real bits are drawn once the mask is chosen
  drawVersion(grid, version)
  return grid
}

// ---- capacity -------------------------------------------------------------------------------

const totalCodewordCache = new Map<number, number>()

/** Codewords (data and error correction) that fit in the modules left free by function patterns. */
export function totalCodewords(version: number): number {
  let total = totalCodewordCache.get(version)
  if (total === undefined) {
    const grid = functionPatterns(version)
    let free = 0
    for (const flag of grid.reserved) if (flag === 0) free++
    total = Math.floor(free / 8)
    totalCodewordCache.set(version, total)
  }
  return total
}

/** Data codewords at level M. */
export function dataCodewords(version: number): number {
  const { ecCodewordsPerBlock, blocks } = LEVEL_M_BLOCKS[version - 1]!
  return totalCodewords(version) - ecCodewordsPerBlock * blocks
}

const countBits = (version: number) => (version <= 9 ? 8 : 16)

/** Bytes a version holds in byte mode at level M. */
export function byteCapacity(version: number): number {
  return Math.floor((dataCodewords(version) * 8 - 4 - countBits(version)) / 8)
}

// ---- codewords ------------------------------------------------------------------------------

class BitWriter {
  readonly bits: number[] = []
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits.push((value >>> i) & 1)
  }
}

/** Mode, length, payload, terminator and padding, as data codewords. */
function encodeData(payload: Uint8Array, version: number): Uint8Array {
  const capacityBits = dataCodewords(version) * 8
  const writer = new BitWriter()
  writer.write(BYTE_MODE, 4)
  writer.write(payload.length, countBits(version))
  for (const byte of payload) writer.write(byte, 8)
  writer.write(0, Math.min(4, capacityBits - writer.bits.length))
  writer.write(0, (8 - (writer.bits.length % 8)) % 8)
  const codewords = new Uint8Array(capacityBits / 8)
  for (let i = 0; i < writer.bits.length; i++) codewords[i >>> 3] = codewords[i >>> 3]! | (writer.bits[i]! << (7 - (i & 7)))
  for (let i = writer.bits.length / 8, n = 0; i < codewords.length; i++, n++) codewords[i] = PAD_CODEWORDS[n % 2]!
  return codewords
}

/**
 * Splits the data codewords into the version's blocks (shorter blocks first), adds each block's
 * Reed–Solomon codewords and interleaves them: data column by column, then error correction.
 */
function withErrorCorrection(data: Uint8Array, version: number): Uint8Array {
  const { ecCodewordsPerBlock, blocks } = LEVEL_M_BLOCKS[version - 1]!
  const shortLength = Math.floor(data.length / blocks)
  const shortBlocks = blocks - (data.length % blocks)
  const dataBlocks: Uint8Array[] = []
  const ecBlocks: Uint8Array[] = []
  let offset = 0
  for (let b = 0; b < blocks; b++) {
    const length = shortLength + (b < shortBlocks ? 0 : 1)
    const block = data.subarray(offset, offset + length)
    offset += length
    dataBlocks.push(block)
    ecBlocks.push(reedSolomonRemainder(block, ecCodewordsPerBlock))
  }
  const out: number[] = []
  for (let i = 0; i <= shortLength; i++) for (const block of dataBlocks) if (i < block.length) out.push(block[i]!)
  for (let i = 0; i < ecCodewordsPerBlock; i++) for (const block of ecBlocks) out.push(block[i]!)
  return Uint8Array.from(out)
}

/**
 * Places the codewords, most significant bit first, in two-module columns from the bottom-right
 * corner, going up and down in turn and stepping over the vertical timing pattern. Modules left
 * over (remainder bits) stay light.
 */
function placeCodewords(grid: Grid, codewords: Uint8Array): void {
  const totalBits = codewords.length * 8
  let index = 0
  let upward = true
  for (let right = grid.size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5
    for (let step = 0; step < grid.size; step++) {
      const row = upward ? grid.size - 1 - step : step
      for (const column of [right, right - 1]) {
        if (grid.isReserved(row, column)) continue
        if (index < totalBits) grid.set(row, column, (codewords[index >>> 3]! >>> (7 - (index & 7))) & 1)
        index++
      }
    }
    upward = !upward
  }
}

// ---- masking --------------------------------------------------------------------------------

const MASK_CONDITIONS: Record<MaskPattern, (row: number, column: number) => boolean> = {
  0: (r, c) => (r + c) % 2 === 0,
  1: (r) => r % 2 === 0,
  2: (_, c) => c % 3 === 0,
  3: (r, c) => (r + c) % 3 === 0,
  4: (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  5: (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  6: (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  7: (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
}

/** Inverts the data modules the mask's condition selects, and writes the matching format bits. */
function applyMask(grid: Grid, mask: MaskPattern): void {
  const condition = MASK_CONDITIONS[mask]
  for (let row = 0; row < grid.size; row++) {
    for (let column = 0; column < grid.size; column++) {
      if (!grid.isReserved(row, column) && condition(row, column)) grid.set(row, column, grid.get(row, column) ^ 1)
    }
  }
  drawFormat(grid, mask)
}

/** Dark-light-dark-dark-dark-light-dark: the 1:1:3:1:1 core of a finder pattern. */
const FINDER_CORE = [1, 0, 1, 1, 1, 0, 1]

/**
 * Penalty of one row or column, read through `at(k)` for k = 0..size−1: runs of five or more
 * modules of one colour (rule 1) and finder look-alikes with four light modules on either side
 * (rule 3; the quiet zone beyond the symbol counts as light).
 */
function linePenalty(size: number, at: (k: number) => number): number {
  let score = 0
  let run = 1
  for (let k = 1; k <= size; k++) {
    if (k < size && at(k) === at(k - 1)) {
      run++
      continue
    }
    if (run >= 5) score += 3 + (run - 5)
    run = 1
  }
  const light = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (k >= 0 && k < size && at(k) === 1) return false
    return true
  }
  for (let k = 0; k + FINDER_CORE.length <= size; k++) {
    if (!FINDER_CORE.every((value, i) => at(k + i) === value)) continue
    if (light(k - 4, k)) score += 40
    if (light(k + 7, k + 11)) score += 40
  }
  return score
}

/** The ISO/IEC 18004 penalty score (rules 1 to 4); the mask with the lowest score is used. */
export function penaltyScore(qr: Pick<QrCode, 'size' | 'modules'>): number {
  const { size, modules } = qr
  let score = 0
  for (let i = 0; i < size; i++) {
    score += linePenalty(size, (k) => modules[i * size + k]!)
    score += linePenalty(size, (k) => modules[k * size + i]!)
  }
  for (let row = 0; row < size - 1; row++) {
    for (let column = 0; column < size - 1; column++) {
      const at = row * size + column
      const colour = modules[at]
      if (colour === modules[at + 1] && colour === modules[at + size] && colour === modules[at + size + 1]) score += 3
    }
  }
  let dark = 0
  for (const module of modules) dark += module
  const total = size * size
  score += 10 * Math.floor(Math.abs(dark * 20 - total * 10) / total)
  return score
}

// ---- the encoder ----------------------------------------------------------------------------

export interface QrEncodeOptions {
  /** Use this mask instead of the one with the lowest penalty. */
  mask?: MaskPattern
}

/** The smallest version whose byte-mode capacity at level M holds `byteLength` bytes. */
export function versionFor(byteLength: number): number {
  for (let version = MIN_VERSION; version <= MAX_VERSION; version++) {
    if (byteLength <= byteCapacity(version)) return version
  }
  throw new QrCapacityError(byteLength)
}

/**
 * Encodes text (as UTF-8) or bytes as a QR code in byte mode at error correction level M.
 *
 * @throws {QrCapacityError} when the payload is longer than 213 bytes (version 10).
 */
export function encodeQr(payload: string | Uint8Array, options: QrEncodeOptions = {}): QrCode {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload
  const version = versionFor(bytes.length)
  const base = functionPatterns(version)
  placeCodewords(base, withErrorCorrection(encodeData(bytes, version), version))

  let best: QrCode | null = null
  let bestScore = Number.POSITIVE_INFINITY
  for (const mask of options.mask === undefined ? MASK_PATTERNS : [options.mask]) {
    const grid = base.copy()
    applyMask(grid, mask)
    const candidate: QrCode = { version, mask, size: grid.size, modules: grid.modules }
    const score = options.mask === undefined ? penaltyScore(candidate) : 0
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best!
}
