/**
 * A minimal PNG writer for black-and-white images: 1-bit grayscale, no interlacing, every scanline
 * with filter type 0 (None), compressed as a zlib stream by the Web-standard
 * `CompressionStream('deflate')`.
 */

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
const BIT_DEPTH = 1
const COLOUR_TYPE_GRAYSCALE = 0

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 (ISO 3309, as PNG and zlib use it). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** Length, type, data and the CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** zlib (RFC 1950) compression through the Compression Streams API. */
async function zlibCompress(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const compressed = new Response(bytes).body!.pipeThrough(new CompressionStream('deflate'))
  return new Uint8Array(await new Response(compressed).arrayBuffer())
}

/**
 * Encodes a black-and-white image as PNG. `isBlack(x, y)` gives each pixel's colour; every other
 * pixel is white.
 */
export async function encodeBlackAndWhitePng(
  width: number,
  height: number,
  isBlack: (x: number, y: number) => boolean,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new RangeError('PNG width and height must be positive integers')
  }
  const rowBytes = 1 + Math.ceil(width / 8)
  const scanlines = new Uint8Array(rowBytes * height)
  for (let y = 0; y < height; y++) {
    const start = y * rowBytes // scanlines[start] = 0: filter type None
    for (let x = 0; x < width; x++) {
      // In 1-bit grayscale 1 is white, packed from the most significant bit.
      if (!isBlack(x, y)) scanlines[start + 1 + (x >>> 3)] = scanlines[start + 1 + (x >>> 3)]! | (0x80 >>> (x & 7))
    }
  }

  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  header[8] = BIT_DEPTH
  header[9] = COLOUR_TYPE_GRAYSCALE
  // Bytes 10 to 12: compression method 0, filter method 0, no interlacing.

  const parts = [SIGNATURE, chunk('IHDR', header), chunk('IDAT', await zlibCompress(scanlines)), chunk('IEND', new Uint8Array(0))]
  const png = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    png.set(part, offset)
    offset += part.length
  }
  return png
}
