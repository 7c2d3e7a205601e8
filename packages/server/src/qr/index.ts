import { bytesToBase64 } from '../crypto/encoding'
import { encodeQr, isDark, type QrCode } from './encode'
import { encodeBlackAndWhitePng } from './png'

export { encodeQr, isDark, QrCapacityError } from './encode'
export type { MaskPattern, QrCode, QrEncodeOptions } from './encode'

/** Light modules around the symbol, as ISO/IEC 18004 requires. */
export const QUIET_ZONE_MODULES = 4

export interface QrImageOptions {
  /** Pixels per module. @default 6 */
  moduleSize?: number
}

/** The symbol as a PNG, with a quiet zone of four modules on every side. */
export function qrCodePng(qr: QrCode, options: QrImageOptions = {}): Promise<Uint8Array> {
  const moduleSize = options.moduleSize ?? 6
  if (!Number.isSafeInteger(moduleSize) || moduleSize < 1 || moduleSize > 64) throw new RangeError('moduleSize must be an integer from 1 to 64')
  const side = (qr.size + 2 * QUIET_ZONE_MODULES) * moduleSize
  return encodeBlackAndWhitePng(side, side, (x, y) => {
    const column = Math.floor(x / moduleSize) - QUIET_ZONE_MODULES
    const row = Math.floor(y / moduleSize) - QUIET_ZONE_MODULES
    return row >= 0 && column >= 0 && row < qr.size && column < qr.size && isDark(qr, row, column)
  })
}

/**
 * A `data:image/png;base64,…` URL of the QR code of `text`, for an `<img>` (the TOTP binding
 * screen shows the otpauth URI this way).
 *
 * @throws {QrCapacityError} when the text is longer than 213 bytes in UTF-8.
 */
export async function qrCodeDataUrl(text: string, options: QrImageOptions = {}): Promise<string> {
  const png = await qrCodePng(encodeQr(text), options)
  return `data:image/png;base64,${bytesToBase64(png)}`
}
