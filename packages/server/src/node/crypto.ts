/** Node's synchronous crypto for the server core, which otherwise runs on Web Crypto only. */

import { createDecipheriv, createHmac } from 'node:crypto'
import type { HmacHash, SyncCrypto } from '../crypto'

const NODE_HASH: Record<HmacHash, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' }
const TAG_BYTES = 16

const view = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)

/**
 * HMAC and AES-256-GCM decryption from `node:crypto`: the same values as Web Crypto, without a
 * thread-pool job and a promise per call. `startServer` passes it as the `crypto` option.
 */
export const nodeCrypto: SyncCrypto = {
  hmac(hash, key, data) {
    const algorithm = NODE_HASH[hash]
    if (algorithm === undefined) throw new RangeError('unsupported HMAC hash')
    return view(createHmac(algorithm, key).update(data).digest())
  },
  aesGcmDecrypt(key, iv, data, additionalData) {
    if (data.length < TAG_BYTES) throw new RangeError('AES-GCM data is shorter than its tag')
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(additionalData)
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES))
    const head = decipher.update(data.subarray(0, data.length - TAG_BYTES))
    const tail = decipher.final()
    return tail.length === 0 ? view(head) : view(Buffer.concat([head, tail]))
  },
}
