/**
 * Which photo URLs the server may fetch, and where it may connect for them (SECURITY.md
 * SSRF-01..06). The rules live here, in the core; a host supplies the fetcher that applies them
 * to a real connection (`createNodePhotoFetcher` in the Node entry resolves the name, checks every
 * address with {@link PhotoUrlPolicy.allowsAddress} and connects to the address it checked).
 *
 * - Only `http:` and `https:`, no user name or password, default ports only.
 * - Every address a name resolves to must be public; one that is not fails the whole fetch.
 * - Origins a deployment allows (its own image host) may also use another port and a private
 *   address (RFC 1918, 100.64/10, fc00::/7), never a reserved one (link-local, metadata,
 *   multicast, ...). Loopback only when explicitly allowed.
 * - No redirects, a total time limit, a byte cap on the streamed body and an image content type.
 */

import { classifyAddress, isIpLiteral } from './ip'

/** The content types a fetched photo may declare; the bytes are then checked by their magic. */
export const PHOTO_CONTENT_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp']

export interface PhotoUrlOptions {
  /**
   * Origins (`https://images.example.com`, `http://10.0.0.7:8080`) that may be fetched on another
   * port and from a private address: a deployment's own image host. @default none
   */
  allowedOrigins?: readonly string[]
  /** Fetch from the allowed origins only. @default false (any public host on its default port too) */
  allowedOriginsOnly?: boolean
  /** Allow loopback addresses (127/8, ::1): tests and local development only. @default false */
  allowLoopback?: boolean
}

export interface PhotoUrlPolicy {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number
  /** Time for the whole fetch (name resolution, connection, headers and body). */
  readonly timeoutMs: number
  /** The URL to fetch, or null when it is not allowed (scheme, credentials, port, host). */
  checkUrl(raw: string): URL | null
  /** Whether the server may connect to `address` (an IP in text form) for `url`. */
  allowsAddress(url: URL, address: string): boolean
  /** Whether a declared `Content-Type` may be a photo (the bytes are checked separately). */
  allowsContentType(contentType: string | null): boolean
}

/** Fetches a photo under a policy; rejects on any failure (its reason is for logs only). */
export interface PhotoFetcher {
  fetch(url: URL, policy: PhotoUrlPolicy): Promise<Uint8Array>
}

/** Why a fetch failed, for the server's log. Clients always get one generic answer (SSRF-06). */
export type PhotoFetchFailure =
  | 'url_refused'
  | 'address_refused'
  | 'resolve_failed'
  | 'connect_failed'
  | 'timeout'
  | 'status'
  | 'content_type'
  | 'too_large'
  | 'body_failed'

export class PhotoFetchError extends Error {
  override readonly name = 'PhotoFetchError'
  constructor(readonly reason: PhotoFetchFailure) {
    super(`photo fetch failed: ${reason}`)
  }
}

/** `scheme://host[:port]` of an allowed-origin entry in canonical form, or null. */
export function canonicalPhotoOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') return null
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return null
    return url.origin
  } catch {
    return null
  }
}

export function createPhotoUrlPolicy(options: PhotoUrlOptions & { maxBytes: number; timeoutMs: number }): PhotoUrlPolicy {
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map((origin) => canonicalPhotoOrigin(origin) ?? ''))
  allowedOrigins.delete('')
  const onlyAllowed = options.allowedOriginsOnly === true
  const allowLoopback = options.allowLoopback === true

  const allowsAddress = (url: URL, address: string): boolean => {
    const kind = classifyAddress(address)
    if (kind === 'public') return true
    if (kind === 'loopback') return allowLoopback
    if (kind === 'private') return allowedOrigins.has(url.origin)
    return false
  }

  return {
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    checkUrl(raw) {
      let url: URL
      try {
        url = new URL(raw)
      } catch {
        return null
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
      if (url.username !== '' || url.password !== '' || url.hostname === '') return null
      const allowed = allowedOrigins.has(url.origin)
      if (onlyAllowed && !allowed) return null
      // The URL parser leaves the port empty when it is the scheme's default.
      if (url.port !== '' && !allowed) return null
      // An IP literal is checked now: there is nothing to resolve.
      if (isIpLiteral(url.hostname) && !allowsAddress(url, url.hostname)) return null
      return url
    },
    allowsAddress,
    allowsContentType(contentType) {
      if (contentType === null) return false
      return PHOTO_CONTENT_TYPES.includes(contentType.split(';', 1)[0]!.trim().toLowerCase())
    },
  }
}
