import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ImageInfo } from './image'
import { UPLOAD_KEY_PATTERN, createUploadStore } from './uploads'

const T0 = 1_700_000_000_000
const TTL = 300_000
const info: ImageInfo = { format: 'jpeg', width: 640, height: 480 }
const photo = (size = 1000, fill = 7) => new Uint8Array(size).fill(fill)

afterEach(() => {
  vi.useRealTimers()
})

describe('upload store', () => {
  it('hands out random keys and gives each photo once', () => {
    const uploads = createUploadStore(10_000)
    const first = uploads.put({ bytes: photo(), info, owner: 'token-a', now: T0, ttlMs: TTL })
    const second = uploads.put({ bytes: photo(), info, owner: 'token-a', now: T0, ttlMs: TTL })
    if (!first.ok || !second.ok) throw new Error('not stored')
    expect(first.key).toMatch(UPLOAD_KEY_PATTERN)
    expect(first.key).not.toBe(second.key)
    expect(uploads.take(first.key, 'token-a', T0)?.bytes).toEqual(photo())
    expect(uploads.take(first.key, 'token-a', T0)).toBeNull()
    expect(uploads.pendingBytes).toBe(1000)
  })

  it('keeps an upload made with a token private to that token, and untouched by others', () => {
    const uploads = createUploadStore(10_000)
    const stored = uploads.put({ bytes: photo(), info, owner: 'token-a', now: T0, ttlMs: TTL })
    if (!stored.ok) throw new Error('not stored')
    expect(uploads.take(stored.key, 'token-b', T0)).toBeNull()
    expect(uploads.take(stored.key, 'token-a', T0)).not.toBeNull()
  })

  it('lets whoever holds the key use an upload made without a token', () => {
    const uploads = createUploadStore(10_000)
    const stored = uploads.put({ bytes: photo(), info, owner: null, now: T0, ttlMs: TTL })
    if (!stored.ok) throw new Error('not stored')
    expect(uploads.take(stored.key, 'any-token', T0)).not.toBeNull()
  })

  it('refuses a photo whose time is up by the server clock, and wipes it', () => {
    const uploads = createUploadStore(10_000)
    const bytes = photo()
    const stored = uploads.put({ bytes, info, owner: null, now: T0, ttlMs: TTL })
    if (!stored.ok) throw new Error('not stored')
    expect(uploads.take(stored.key, 'token', T0 + TTL)).toBeNull()
    expect(bytes.every((byte) => byte === 0)).toBe(true)
    expect(uploads.pendingBytes).toBe(0)
  })

  it('wipes a photo nobody takes once its time is up, even when no request comes', () => {
    vi.useFakeTimers()
    const uploads = createUploadStore(10_000)
    const bytes = photo()
    uploads.put({ bytes, info, owner: null, now: T0, ttlMs: TTL })
    vi.advanceTimersByTime(TTL)
    expect(bytes.every((byte) => byte === 0)).toBe(true)
    expect(uploads.pendingBytes).toBe(0)
  })

  it('refuses uploads beyond the memory budget until older ones are used or expire', () => {
    const uploads = createUploadStore(2500)
    const first = uploads.put({ bytes: photo(), info, owner: null, now: T0, ttlMs: TTL })
    uploads.put({ bytes: photo(), info, owner: null, now: T0 + 1000, ttlMs: TTL })
    expect(uploads.put({ bytes: photo(), info, owner: null, now: T0 + 2000, ttlMs: TTL })).toEqual({ ok: false, retryAfterMs: TTL - 2000 })
    if (!first.ok) throw new Error('not stored')
    uploads.take(first.key, 'token', T0 + 2000)
    expect(uploads.put({ bytes: photo(), info, owner: null, now: T0 + 2000, ttlMs: TTL }).ok).toBe(true)
  })

  it('wipes every photo when cleared', () => {
    const uploads = createUploadStore(10_000)
    const bytes = photo()
    uploads.put({ bytes, info, owner: null, now: T0, ttlMs: TTL })
    uploads.clear()
    expect(bytes.every((byte) => byte === 0)).toBe(true)
    expect(uploads.pendingBytes).toBe(0)
  })
})
