/**
 * The photo fetcher against real HTTP servers on loopback (SECURITY.md SSRF-01..07). Loopback
 * stands in for every internal address: a server there counts the requests that reach it, so a
 * refused URL is shown to have made no connection at all.
 */

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { PhotoFetchError, createPhotoUrlPolicy, type PhotoUrlOptions, type PhotoUrlPolicy } from '../face/photo-url'
import { fixture } from './face/photos.testing'
import { createNodePhotoFetcher, type Resolver } from './photo-fetcher'

const MIB = 1024 * 1024
const JPEG = fixture('grace_hopper.jpg')

interface TestServer {
  port: number
  hits: number
  close(): Promise<void>
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void
const servers: Server[] = []

async function serve(handler: Handler, host = '127.0.0.1', make: (h: Handler) => Server = createHttpServer, port = 0): Promise<TestServer> {
  let hits = 0
  const server = make((request, response) => {
    hits++
    handler(request, response)
  })
  servers.push(server)
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(port, host, () => done())
  })
  return {
    port: (server.address() as AddressInfo).port,
    get hits() {
      return hits
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

const photo: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': JPEG.length })
  response.end(JPEG)
}

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections()
    await new Promise<void>((done) => server.close(() => done()))
  }
})

const policyFor = (options: PhotoUrlOptions = {}, limits: Partial<{ maxBytes: number; timeoutMs: number }> = {}) =>
  createPhotoUrlPolicy({ maxBytes: 5 * MIB, timeoutMs: 2000, ...limits, ...options })

/** What the service does with a photo URL: the policy's check, then the fetch. The reason of a failure, or 'ok'. */
async function attempt(raw: string, policy: PhotoUrlPolicy, resolve?: Resolver): Promise<string> {
  const url = policy.checkUrl(raw)
  if (!url) return 'url_refused'
  try {
    const bytes = await createNodePhotoFetcher(resolve ? { resolve } : {}).fetch(url, policy)
    return bytes.length === JPEG.length ? 'ok' : `ok with ${bytes.length} bytes`
  } catch (error) {
    if (!(error instanceof PhotoFetchError)) throw error
    return error.reason
  }
}

/** A resolver that answers from a table, and counts its calls. */
function stubResolver(answers: Record<string, string[] | (() => string[])>) {
  const calls: string[] = []
  const resolve: Resolver = async (hostname) => {
    calls.push(hostname)
    const answer = answers[hostname]
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return typeof answer === 'function' ? answer() : answer
  }
  return { resolve, calls }
}

describe('the photo fetcher', () => {
  let target: TestServer
  beforeAll(async () => {
    target = await serve(photo)
  })

  it('fetches a photo from an allowed origin (loopback allowed for this control)', async () => {
    const before = target.hits
    expect(
      await attempt(
        `http://127.0.0.1:${target.port}/face.jpg`,
        policyFor({ allowLoopback: true, allowedOrigins: [`http://127.0.0.1:${target.port}`] }),
      ),
    ).toBe('ok')
    expect(target.hits).toBe(before + 1)
  })

  describe('SSRF-02: every spelling of an internal address is refused before any connection', () => {
    const forms = (port: number) => [
      `http://127.0.0.1:${port}/`,
      `http://127.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://017700000001:${port}/`,
      `http://127.000.000.001:${port}/`,
      `http://１２７.０.０.１:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      `http://0.0.0.0:${port}/`,
      `http://0:${port}/`,
      `http://[::]:${port}/`,
      `http://[::1]:${port}/`,
      `http://[0:0:0:0:0:0:0:1]:${port}/`,
      `http://localhost:${port}/`,
      `http://loopback.nip.test:${port}/`,
      `http://metadata.google.internal:${port}/computeMetadata/v1/`,
      `http://169.254.169.254:${port}/latest/meta-data/`,
      `http://[::ffff:169.254.169.254]:${port}/`,
      `http://224.0.0.1:${port}/`,
      `http://[fe80::1]:${port}/`,
      `http://[ff02::1]:${port}/`,
      `http://[64:ff9b::7f00:1]:${port}/`,
    ]

    it('refuses loopback and reserved addresses even for allowed origins, on the port of a live server that counts requests', async () => {
      const port = target.port
      // Allow every form's origin, so that the port does not refuse it: only the address can.
      const policy = policyFor({ allowedOrigins: forms(port).map((form) => new URL(form).origin) })
      const { resolve } = stubResolver({
        localhost: ['127.0.0.1', '::1'],
        'loopback.nip.test': ['127.0.0.1'],
        'metadata.google.internal': ['169.254.169.254'],
      })
      const before = target.hits
      const outcomes = await Promise.all(forms(port).map(async (form) => [form, await attempt(form, policy, resolve)] as const))
      for (const [form, outcome] of outcomes) expect(['url_refused', 'address_refused'], form).toContain(outcome)
      expect(outcomes).toHaveLength(25)
      expect(target.hits).toBe(before)
    })

    it.each([
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://192.168.0.1/',
      'http://100.64.0.1/',
      'http://[fc00::1]/',
      'http://[::ffff:192.168.1.1]/',
    ])('refuses the private address %s unless it is an allowed origin', async (form) => {
      expect(await attempt(form, policyFor())).toBe('url_refused')
      expect(policyFor({ allowedOrigins: [new URL(form).origin] }).checkUrl(form)).not.toBeNull()
    })

    it('refuses a private address behind a name that is not an allowed origin', async () => {
      const { resolve } = stubResolver({ 'intranet.test': ['10.1.2.3'] })
      expect(await attempt('http://intranet.test/face.jpg', policyFor(), resolve)).toBe('address_refused')
    })

    it('refuses a name when any one of its addresses is internal', async () => {
      const port = target.port
      const { resolve } = stubResolver({ 'mixed.test': ['93.184.216.34', '127.0.0.1'] })
      const policy = policyFor({ allowedOrigins: [`http://mixed.test:${port}`] })
      expect(await attempt(`http://mixed.test:${port}/`, policy, resolve)).toBe('address_refused')
    })

    it('resolves localhost with the system resolver and refuses it', async () => {
      const policy = policyFor({ allowedOrigins: [`http://localhost:${target.port}`] })
      const before = target.hits
      expect(await attempt(`http://localhost:${target.port}/`, policy)).toBe('address_refused')
      expect(target.hits).toBe(before)
    })
  })

  describe('SSRF-03: the connection goes to the address that was checked (DNS rebinding)', () => {
    it('connects to the first answer, never to a second, internal one', async () => {
      const before = target.hits
      let answer = 0
      const { resolve, calls } = stubResolver({ 'rebind.test': () => (answer++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']) })
      const policy = policyFor({ allowedOrigins: [`http://rebind.test:${target.port}`] }, { timeoutMs: 800 })
      expect(await attempt(`http://rebind.test:${target.port}/`, policy, resolve)).not.toBe('ok')
      expect(calls).toEqual(['rebind.test'])
      expect(target.hits).toBe(before)
    })

    it('sends the request to the checked address, with the name in the Host header', async (context) => {
      // Two servers on one port, at 127.0.0.2 (the checked answer) and 127.0.0.1 (the later one).
      // Linux answers on all of 127/8; other systems may have 127.0.0.1 only.
      const hosts: string[] = []
      const checked = await serve((request, response) => {
        hosts.push(request.headers.host ?? '')
        photo(request, response)
      }, '127.0.0.2').catch(() => null)
      if (!checked) return context.skip()
      const other = await serve(photo, '127.0.0.1', createHttpServer, checked.port).catch(() => null)
      let answer = 0
      const { resolve } = stubResolver({ 'pinned.test': () => (answer++ === 0 ? ['127.0.0.2'] : ['127.0.0.1']) })
      const policy = policyFor({ allowLoopback: true, allowedOrigins: [`http://pinned.test:${checked.port}`] })
      expect(await attempt(`http://pinned.test:${checked.port}/face.jpg`, policy, resolve)).toBe('ok')
      expect(checked.hits).toBe(1)
      expect(other?.hits ?? 0).toBe(0)
      expect(hosts).toEqual([`pinned.test:${checked.port}`])
    })
  })

  describe('SSRF-04/05: no redirects, bounded in time and size, images only', () => {
    const url = (server: TestServer, path = '/') => `http://127.0.0.1:${server.port}${path}`
    const allow = (...list: TestServer[]) =>
      policyFor({ allowLoopback: true, allowedOrigins: list.map((server) => `http://127.0.0.1:${server.port}`) }, { timeoutMs: 800 })

    it('does not follow a redirect to loopback', async () => {
      const inner = await serve(photo)
      const redirect = await serve((_request, response) => {
        response.writeHead(302, { location: url(inner, '/secret') })
        response.end()
      })
      expect(await attempt(url(redirect), allow(redirect, inner))).toBe('status')
      expect(inner.hits).toBe(0)
    })

    it('aborts a 6 MiB body streamed without a length once it passes 5 MiB', async () => {
      let sent = 0
      const big = await serve((_request, response) => {
        response.writeHead(200, { 'content-type': 'image/jpeg' })
        const chunk = Buffer.alloc(256 * 1024, 1)
        const pump = () => {
          while (sent < 6 * MIB) {
            sent += chunk.length
            if (!response.write(chunk)) return void response.once('drain', pump)
          }
          response.end()
        }
        pump()
      })
      expect(await attempt(url(big), allow(big))).toBe('too_large')
      expect(sent).toBeLessThan(6 * MIB + 1)
    })

    it('refuses a declared length over the cap before reading the body', async () => {
      const declared = await serve((_request, response) => {
        response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 6 * MIB })
        response.write(Buffer.alloc(1024))
      })
      expect(await attempt(url(declared), allow(declared))).toBe('too_large')
    })

    it('gives up on a server that sends its body one byte at a time (slowloris)', async () => {
      const slow = await serve((_request, response) => {
        response.writeHead(200, { 'content-type': 'image/jpeg' })
        const timer = setInterval(() => response.write(Buffer.from([0xff])), 100)
        response.once('close', () => clearInterval(timer))
      })
      const started = Date.now()
      expect(await attempt(url(slow), allow(slow))).toBe('timeout')
      expect(Date.now() - started).toBeLessThan(2000)
    })

    it('gives up on a server that never answers', async () => {
      const silent = await serve(() => {})
      const started = Date.now()
      expect(await attempt(url(silent), allow(silent))).toBe('timeout')
      expect(Date.now() - started).toBeLessThan(2000)
    })

    it.each([
      ['text/html', 'content_type'],
      ['application/octet-stream', 'content_type'],
      [null, 'content_type'],
    ])('refuses a body declared as %j', async (type, reason) => {
      const server = await serve((_request, response) => {
        response.writeHead(200, type ? { 'content-type': type } : {})
        response.end('<html>hello</html>')
      })
      expect(await attempt(url(server), allow(server))).toBe(reason)
    })

    it('refuses any status but 200', async () => {
      const missing = await serve((_request, response) => {
        response.writeHead(404, { 'content-type': 'image/jpeg' })
        response.end()
      })
      expect(await attempt(url(missing), allow(missing))).toBe('status')
    })

    it('fails on a closed port', async () => {
      const closed = await serve(photo)
      await closed.close()
      expect(await attempt(url(closed), allow(closed))).toBe('connect_failed')
    })
  })

  describe('SSRF-07: proxy variables cannot route around the filter', () => {
    const saved = { ...process.env }
    afterEach(() => {
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
        if (saved[name] === undefined) delete process.env[name]
        else process.env[name] = saved[name]
      }
    })

    it('never talks to a proxy named in the environment', async () => {
      const proxy = await serve(photo)
      const direct = await serve(photo)
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) process.env[name] = `http://127.0.0.1:${proxy.port}`
      process.env.NO_PROXY = ''
      const allowed = policyFor({ allowLoopback: true, allowedOrigins: [`http://127.0.0.1:${direct.port}`] })
      expect(await attempt(`http://127.0.0.1:${direct.port}/`, allowed)).toBe('ok')
      const { resolve } = stubResolver({ 'metadata.google.internal': ['169.254.169.254'] })
      expect(await attempt('http://metadata.google.internal/', policyFor(), resolve)).toBe('address_refused')
      expect(await attempt('http://example.invalid/', policyFor(), stubResolver({}).resolve)).toBe('resolve_failed')
      expect(proxy.hits).toBe(0)
      expect(direct.hits).toBe(1)
    })
  })
})

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe.skipIf(!openssl)('https', () => {
  let dir: string
  let cert: string
  let key: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mfa-kit-tls-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=photos.test',
        '-addext',
        'subjectAltName=DNS:photos.test',
      ],
      { stdio: 'ignore' },
    )
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
    key = readFileSync(join(dir, 'key.pem'), 'utf8')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("connects to the checked address and checks the certificate against the URL's host name", async () => {
    const server = await serve(photo, '127.0.0.1', (handler) => createHttpsServer({ cert, key }, handler))
    const { resolve } = stubResolver({ 'photos.test': ['127.0.0.1'], 'wrong-name.test': ['127.0.0.1'] })
    const policy = policyFor({
      allowLoopback: true,
      allowedOrigins: [`https://photos.test:${server.port}`, `https://wrong-name.test:${server.port}`],
    })
    const fetcher = createNodePhotoFetcher({ resolve, tls: { ca: cert } })
    const bytes = await fetcher.fetch(policy.checkUrl(`https://photos.test:${server.port}/face.jpg`)!, policy)
    expect(bytes.length).toBe(JPEG.length)
    await expect(fetcher.fetch(policy.checkUrl(`https://wrong-name.test:${server.port}/face.jpg`)!, policy)).rejects.toMatchObject({
      reason: 'connect_failed',
    })
    await expect(
      createNodePhotoFetcher({ resolve }).fetch(policy.checkUrl(`https://photos.test:${server.port}/face.jpg`)!, policy),
    ).rejects.toBeInstanceOf(PhotoFetchError)
    expect(server.hits).toBe(1)
  })
})
