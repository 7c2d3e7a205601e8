import { describe, expect, it } from 'vitest'
import { canonicalPhotoOrigin, createPhotoUrlPolicy, type PhotoUrlOptions } from './photo-url'

const policy = (options: PhotoUrlOptions = {}) => createPhotoUrlPolicy({ maxBytes: 5 * 1024 * 1024, timeoutMs: 5000, ...options })
const href = (raw: string, options?: PhotoUrlOptions) => policy(options).checkUrl(raw)?.href ?? null

describe('photo URLs (SSRF-01): http(s), no credentials, default ports', () => {
  it.each([
    'file:///etc/passwd',
    'gopher://example.com/_GET',
    'ftp://example.com/face.jpg',
    'data:image/png;base64,iVBORw0KGgo=',
    'javascript:alert(1)',
    'ws://example.com/face.jpg',
    'http://user:pass@example.com/face.jpg',
    'http://user@example.com/face.jpg',
    'https://example.com:22/face.jpg',
    'http://example.com:8080/face.jpg',
    'http://example.com:443/face.jpg',
    'https://example.com:80/face.jpg',
    'http://[::1/face.jpg',
    'not a url',
    '',
  ])('refuses %j', (raw) => {
    expect(href(raw)).toBeNull()
  })

  it.each([
    ['http://example.com/face.jpg', 'http://example.com/face.jpg'],
    ['https://example.com:443/a/b.png?size=2', 'https://example.com/a/b.png?size=2'],
    ['HTTPS://EXAMPLE.COM/face.webp', 'https://example.com/face.webp'],
    ['http://example.com:80/face.jpg', 'http://example.com/face.jpg'],
  ])('accepts %j as %s', (raw, expected) => {
    expect(href(raw)).toBe(expected)
  })
})

describe('photo URLs (SSRF-02): IP literals that are not public, in every spelling', () => {
  // The WHATWG URL parser normalises every IPv4 spelling to a dotted quad before the check.
  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://127.000.000.001/',
    'http://１２７.０.０.１/',
    'http://0/',
    'http://0.0.0.0/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::]/',
    'http://[::1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[fc00::1]/',
    'http://[ff02::1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
  ])('refuses %s', (raw) => {
    expect(href(raw)).toBeNull()
  })

  it('leaves host names to the fetcher, which checks every address they resolve to', () => {
    expect(href('http://localhost/face.jpg')).toBe('http://localhost/face.jpg')
    expect(href('http://metadata.google.internal/computeMetadata/v1/')).toBe('http://metadata.google.internal/computeMetadata/v1/')
  })

  it('accepts a public IP literal', () => {
    expect(href('http://93.184.216.34/face.jpg')).toBe('http://93.184.216.34/face.jpg')
    expect(href('http://[2606:2800:220:1:248:1893:25c8:1946]/face.jpg')).toBe('http://[2606:2800:220:1:248:1893:25c8:1946]/face.jpg')
  })
})

describe('addresses a fetch may connect to', () => {
  const url = (raw: string) => new URL(raw)

  it('allows public addresses only, by default', () => {
    const p = policy()
    expect(p.allowsAddress(url('http://img.example.com/'), '93.184.216.34')).toBe(true)
    for (const address of ['127.0.0.1', '::1', '10.0.0.7', '169.254.169.254', '::ffff:127.0.0.1', 'fd00::1', '0.0.0.0']) {
      expect(p.allowsAddress(url('http://img.example.com/'), address)).toBe(false)
    }
  })

  it("lets the deployment's own origins use another port and a private address, never a reserved one", () => {
    const p = policy({ allowedOrigins: ['http://img.internal:8080', 'https://10.0.0.7'] })
    expect(p.checkUrl('http://img.internal:8080/face.jpg')).not.toBeNull()
    expect(p.checkUrl('http://img.internal:8081/face.jpg')).toBeNull()
    expect(p.checkUrl('https://10.0.0.7/face.jpg')).not.toBeNull()
    expect(p.checkUrl('http://10.0.0.7/face.jpg')).toBeNull()
    expect(p.allowsAddress(url('http://img.internal:8080/'), '10.0.0.7')).toBe(true)
    expect(p.allowsAddress(url('http://img.internal:8080/'), '100.64.1.1')).toBe(true)
    expect(p.allowsAddress(url('http://img.internal:8080/'), '169.254.169.254')).toBe(false)
    expect(p.allowsAddress(url('http://img.internal:8080/'), '127.0.0.1')).toBe(false)
    expect(p.allowsAddress(url('http://other.example.com/'), '10.0.0.7')).toBe(false)
  })

  it('allows loopback only when asked to', () => {
    expect(policy({ allowLoopback: true }).allowsAddress(url('http://localhost/'), '127.0.0.1')).toBe(true)
    expect(policy({ allowLoopback: true }).allowsAddress(url('http://localhost/'), '::1')).toBe(true)
    expect(policy({ allowLoopback: true }).allowsAddress(url('http://localhost/'), '169.254.169.254')).toBe(false)
    expect(href('http://127.0.0.1/face.jpg', { allowLoopback: true })).toBe('http://127.0.0.1/face.jpg')
  })

  it('fetches from the allowed origins only, when told to', () => {
    const p = policy({ allowedOrigins: ['https://img.example.com'], allowedOriginsOnly: true })
    expect(p.checkUrl('https://img.example.com/face.jpg')).not.toBeNull()
    expect(p.checkUrl('https://example.com/face.jpg')).toBeNull()
    expect(p.checkUrl('http://img.example.com/face.jpg')).toBeNull()
  })
})

describe('content types (SSRF-05)', () => {
  it.each([
    ['image/jpeg', true],
    ['image/png', true],
    ['image/webp', true],
    ['IMAGE/JPEG; charset=binary', true],
    ['image/gif', false],
    ['image/svg+xml', false],
    ['text/html', false],
    ['application/octet-stream', false],
    [null, false],
  ])('%j → %s', (type, allowed) => {
    expect(policy().allowsContentType(type)).toBe(allowed)
  })
})

describe('canonicalPhotoOrigin', () => {
  it.each([
    ['https://img.example.com', 'https://img.example.com'],
    ['https://img.example.com/', 'https://img.example.com'],
    ['HTTP://10.0.0.7:8080', 'http://10.0.0.7:8080'],
    ['https://img.example.com:443', 'https://img.example.com'],
    ['https://img.example.com/photos', null],
    ['https://u:p@img.example.com', null],
    ['ftp://img.example.com', null],
    ['img.example.com', null],
  ])('%j → %j', (value, origin) => {
    expect(canonicalPhotoOrigin(value)).toBe(origin)
  })
})
