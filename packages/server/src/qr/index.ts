/**
 * QR codes of otpauth URIs for the TOTP binding screen. `uqr` lays out the symbol (ISO/IEC 18004:
 * Reed–Solomon codewords, mask chosen by the penalty score, format and version information) and
 * `png.ts` draws it; both run on Web APIs only.
 *
 * The symbol is always byte mode at error correction level M, versions 1 to 10 (21×21 to 57×57
 * modules, up to 213 bytes), drawn with a quiet zone of four modules.
 */

import { encode } from 'uqr'
import { bytesToBase64 } from '../crypto/encoding'
import { encodeBlackAndWhitePng } from './png'

/** The largest version drawn: 57×57 modules, still easy to scan off a phone-sized screen. */
const MAX_VERSION = 10

/** Bytes that version 10 holds in byte mode at level M (ISO/IEC 18004 table 7). */
const MAX_QR_BYTES = 213

/** Light modules around the symbol, as ISO/IEC 18004 requires. */
const QUIET_ZONE_MODULES = 4

/** The payload does not fit in the largest version drawn. */
export class QrCapacityError extends RangeError {
  override readonly name = 'QrCapacityError'
  constructor(readonly byteLength: number) {
    super(`QR code payload too long: ${byteLength} bytes, at most ${MAX_QR_BYTES} fit (version ${MAX_VERSION}, level M)`)
  }
}

export interface QrImageOptions {
  /** Pixels per module. @default 6 */
  moduleSize?: number
}

/**
 * A `data:image/png;base64,…` URL of the QR code of `text` (as UTF-8), for an `<img>`: a 1-bit
 * grayscale PNG, `moduleSize` pixels per module.
 *
 * @throws {QrCapacityError} when the text is longer than 213 bytes in UTF-8.
 * @throws {RangeError} when `moduleSize` is not an integer from 1 to 64.
 */
export async function qrCodeDataUrl(text: string, options: QrImageOptions = {}): Promise<string> {
  const moduleSize = options.moduleSize ?? 6
  if (!Number.isSafeInteger(moduleSize) || moduleSize < 1 || moduleSize > 64)
    throw new RangeError('moduleSize must be an integer from 1 to 64')
  const bytes = new TextEncoder().encode(text)
  if (bytes.length > MAX_QR_BYTES) throw new QrCapacityError(bytes.length)
  // Given bytes, uqr always uses byte mode. Given a string, it would pick numeric or alphanumeric
  // mode for some texts (changing the capacity) and fail on lone surrogates, which TextEncoder
  // replaces with U+FFFD.
  const { data: modules, size } = encode(Array.from(bytes), { ecc: 'M', maxVersion: MAX_VERSION, border: QUIET_ZONE_MODULES })
  const side = size * moduleSize
  const png = await encodeBlackAndWhitePng(side, side, (x, y) => modules[Math.floor(y / moduleSize)]![Math.floor(x / moduleSize)]!)
  return `data:image/png;base64,${bytesToBase64(png)}`
}
