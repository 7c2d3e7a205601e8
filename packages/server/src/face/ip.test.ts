import { describe, expect, it } from 'vitest'
import { classifyAddress, isIpLiteral, parseIpv6 } from './ip'

describe('classifyAddress', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.1', 'public'],
    ['100.63.255.255', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['0.0.0.0', 'reserved'],
    ['0.1.2.3', 'reserved'],
    ['169.254.169.254', 'reserved'],
    ['169.254.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['239.255.255.250', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ] as const)('IPv4 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind)
  })

  it.each([
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['[2001:4860:4860::8888]', 'public'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'reserved'],
    ['::ffff:a9fe:a9fe', 'reserved'],
    ['::ffff:8.8.8.8', 'public'],
    ['::', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'reserved'],
    ['fe80::1%eth0', 'reserved'],
    ['fec0::1', 'reserved'],
    ['ff02::1', 'reserved'],
    ['ff05::1:3', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b::7f00:1', 'reserved'],
    ['64:ff9b::a9fe:a9fe', 'reserved'],
    ['64:ff9b:1::1', 'reserved'],
    ['2002:808:808::1', 'public'],
    ['2002:7f00:1::1', 'reserved'],
    ['2002:a9fe:a9fe::1', 'reserved'],
  ] as const)('IPv6 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind)
  })

  it.each([
    '',
    'localhost',
    'example.com',
    '127.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '256.1.1.1',
    '1.2.3',
    '::1::2',
    'fe80::g',
    '1:2:3:4:5:6:7:8:9',
  ])('treats %j, which is not a normalised IP address, as reserved', (text) => {
    expect(classifyAddress(text)).toBe('reserved')
  })
})

describe('parseIpv6', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]],
    ['fe80::1:2', [0xfe80, 0, 0, 0, 0, 0, 1, 2]],
  ])('reads %s', (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups)
  })

  it.each(['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', ':::', '1::2::3', '12345::', '::1.2.3', '::1.2.3.4.5'])('refuses %s', (text) => {
    expect(parseIpv6(text)).toBeNull()
  })
})

describe('isIpLiteral', () => {
  it.each([
    ['127.0.0.1', true],
    ['[::1]', true],
    ['::ffff:7f00:1', true],
    ['localhost', false],
    ['metadata.google.internal', false],
    ['example.com', false],
  ])('%s → %s', (host, literal) => {
    expect(isIpLiteral(host)).toBe(literal)
  })
})
