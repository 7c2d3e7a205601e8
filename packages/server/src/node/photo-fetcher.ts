/**
 * Fetches external face photos (`isExternal`) under the core's {@link PhotoUrlPolicy}, with a
 * connection pinned to the address that was checked (SECURITY.md SSRF-02..07):
 *
 * - the name is resolved once, here, and every address it resolves to must pass the policy;
 * - the connection goes to that checked IP literal (the URL's host travels in the `Host` header and
 *   as the TLS server name, so certificates are still checked against it): a DNS answer that
 *   changes between the check and the connection (rebinding) is never used;
 * - `node:http`/`node:https` with a one-off agent: no connection reuse, no proxy from the
 *   environment (`HTTP_PROXY` is not read), no redirects (any answer but 200 fails);
 * - one deadline for everything (resolution, connection, headers, body), a `Content-Length` check
 *   and a byte count on the streamed body that aborts at the cap, and an image content type.
 *
 * Every failure is a {@link PhotoFetchError} whose reason is for the server's log; the client gets
 * one answer for all of them.
 */

import { lookup } from 'node:dns/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { PHOTO_CONTENT_TYPES, PhotoFetchError, type PhotoFetcher, type PhotoUrlPolicy } from '../face/photo-url'

/** Resolves a host name to every address it has (IPv4 and IPv6). */
export type Resolver = (hostname: string) => Promise<string[]>

export interface NodePhotoFetcherOptions {
  /** @default every address from the system resolver (`dns.lookup` with `all: true`) */
  resolve?: Resolver
  /** Extra TLS options for `https` (a test's own certificate authority, say). */
  tls?: { ca?: string | Buffer }
}

const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address)

export function createNodePhotoFetcher(options: NodePhotoFetcherOptions = {}): PhotoFetcher {
  const resolve = options.resolve ?? systemResolver

  return {
    async fetch(url, policy) {
      const controller = new AbortController()
      let timedOut = false
      const deadline = setTimeout(() => {
        timedOut = true
        controller.abort()
      }, policy.timeoutMs)
      try {
        return await fetchPinned(url, policy, resolve, controller.signal, options.tls)
      } catch (error) {
        if (timedOut) throw new PhotoFetchError('timeout')
        throw error instanceof PhotoFetchError ? error : new PhotoFetchError('connect_failed')
      } finally {
        clearTimeout(deadline)
        controller.abort()
      }
    },
  }
}

async function checkedAddress(url: URL, policy: PhotoUrlPolicy, resolve: Resolver, signal: AbortSignal): Promise<string> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1')
  let addresses: string[]
  if (isIP(hostname) !== 0) {
    addresses = [hostname]
  } else {
    try {
      addresses = await Promise.race([
        resolve(hostname),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new PhotoFetchError('timeout')), { once: true })),
      ])
    } catch (error) {
      throw error instanceof PhotoFetchError ? error : new PhotoFetchError('resolve_failed')
    }
  }
  // Every address must pass: a name that also resolves to an internal address is refused outright.
  if (addresses.length === 0 || !addresses.every((address) => policy.allowsAddress(url, address))) {
    throw new PhotoFetchError('address_refused')
  }
  return addresses[0]!
}

async function fetchPinned(
  url: URL,
  policy: PhotoUrlPolicy,
  resolve: Resolver,
  signal: AbortSignal,
  tls: NodePhotoFetcherOptions['tls'],
): Promise<Uint8Array> {
  const address = await checkedAddress(url, policy, resolve, signal)
  const secure = url.protocol === 'https:'
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const response = await new Promise<IncomingMessage>((done, fail) => {
    const request = (secure ? httpsRequest : httpRequest)({
      host: address,
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { host: url.host, accept: PHOTO_CONTENT_TYPES.join(', ') },
      agent: false,
      signal,
      // The TLS server name and certificate check use the URL's host, not the address.
      ...(secure ? { servername: isIP(hostname) === 0 ? hostname : '', ...(tls?.ca ? { ca: tls.ca } : {}) } : {}),
      // Never resolve again: the host above is an IP literal, and this refuses anything else.
      lookup: () => {
        throw new PhotoFetchError('address_refused')
      },
    })
    request.once('response', done)
    request.once('error', fail)
    request.end()
  })
  try {
    if (response.statusCode !== 200) throw new PhotoFetchError('status')
    if (!policy.allowsContentType(response.headers['content-type'] ?? null)) throw new PhotoFetchError('content_type')
    const declared = Number(response.headers['content-length'] ?? Number.NaN)
    if (Number.isFinite(declared) && declared > policy.maxBytes) throw new PhotoFetchError('too_large')
    return await readCapped(response, policy.maxBytes)
  } finally {
    response.destroy()
  }
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let total = 0
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.byteLength
      if (total > maxBytes) {
        for (const kept of chunks) kept.fill(0)
        throw new PhotoFetchError('too_large')
      }
      chunks.push(chunk)
    }
  } catch (error) {
    throw error instanceof PhotoFetchError ? error : new PhotoFetchError('body_failed')
  }
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
    chunk.fill(0)
  }
  return body
}
