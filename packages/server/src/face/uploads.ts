/**
 * Uploaded photos waiting to be used by a face binding or verification. They are kept in memory
 * only (never in the database), for a short time, and each is used once:
 *
 * - `take` removes the photo whatever the outcome, and the caller wipes the bytes after use;
 * - a photo nobody takes is wiped when its time is up (a timer, plus a sweep on every call);
 * - an upload made with a token can be taken only with the same token. One made without a token
 *   (authing-js-sdk and Guard upload without credentials) can be taken by whoever holds its key: a
 *   128-bit random value only its uploader has seen;
 * - the bytes held at once are capped, so uploads cannot fill the memory.
 *
 * An instance holds its own uploads: behind a load balancer, the upload and the call that uses it
 * must reach the same instance (sticky sessions), or use an external photo URL instead.
 */

import { randomToken } from '../crypto'
import type { ImageInfo } from './image'

interface Upload {
  bytes: Uint8Array
  info: ImageInfo
  /** Hash of the token that uploaded it, or null for an upload made without one. */
  owner: string | null
  expiresAt: number
}

type PutUploadResult = { ok: true; key: string } | { ok: false; retryAfterMs: number }

export interface UploadStore {
  /** Keeps a photo until `now + ttlMs`, unless the memory budget is used up. */
  put(input: { bytes: Uint8Array; info: ImageInfo; owner: string | null; now: number; ttlMs: number }): PutUploadResult
  /**
   * Removes and returns the photo under `key` when it is live and `owner` may use it; null
   * otherwise (unknown, expired, or uploaded with another token, which stays untouched).
   */
  take(key: string, owner: string, now: number): Upload | null
  /** Bytes held now. */
  readonly pendingBytes: number
  /** Wipes and forgets every photo. */
  clear(): void
}

/** Shape of the keys `put` hands out (16 random bytes, base64url). */
export const UPLOAD_KEY_PATTERN = /^[A-Za-z0-9_-]{22}$/

export function createUploadStore(maxPendingBytes: number): UploadStore {
  const uploads = new Map<string, Upload & { timer: unknown }>()
  let pendingBytes = 0

  const remove = (key: string, wipe: boolean) => {
    const upload = uploads.get(key)
    if (!upload) return
    uploads.delete(key)
    pendingBytes -= upload.bytes.byteLength
    clearTimeout(upload.timer as ReturnType<typeof setTimeout>)
    if (wipe) upload.bytes.fill(0)
  }

  const sweep = (now: number) => {
    for (const [key, upload] of uploads) if (upload.expiresAt <= now) remove(key, true)
  }

  return {
    put({ bytes, info, owner, now, ttlMs }) {
      sweep(now)
      if (pendingBytes + bytes.byteLength > maxPendingBytes) {
        const soonest = Math.min(...[...uploads.values()].map((upload) => upload.expiresAt))
        return { ok: false, retryAfterMs: Number.isFinite(soonest) ? Math.max(1000, soonest - now) : ttlMs }
      }
      const key = randomToken(16)
      // Wall-clock timer for the memory's sake; expiry itself is judged by the server's clock.
      const timer = setTimeout(() => remove(key, true), ttlMs)
      ;(timer as { unref?: () => void }).unref?.()
      uploads.set(key, { bytes, info, owner, expiresAt: now + ttlMs, timer })
      pendingBytes += bytes.byteLength
      return { ok: true, key }
    },
    take(key, owner, now) {
      sweep(now)
      const upload = uploads.get(key)
      if (!upload || (upload.owner !== null && upload.owner !== owner)) return null
      remove(key, false)
      const { timer: _timer, ...rest } = upload
      return rest
    },
    get pendingBytes() {
      return pendingBytes
    },
    clear() {
      for (const key of [...uploads.keys()]) remove(key, true)
    },
  }
}
