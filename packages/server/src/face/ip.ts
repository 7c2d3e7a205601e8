/**
 * What kind of network address a photo URL leads to (SECURITY.md SSRF-02), from the IANA IPv4 and
 * IPv6 special-purpose address registries. Pure functions on the textual forms that the WHATWG URL
 * parser and the resolver produce; the URL parser has already turned `127.1`, `2130706433`,
 * `0x7f000001` and `0177.0.0.1` into `127.0.0.1`, and this module reads every IPv6 spelling
 * (`::ffff:127.0.0.1`, `0:0:0:0:0:0:0:1`, `::ffff:7f00:1`) the same way.
 */

/**
 * - `public`: globally reachable unicast.
 * - `private`: RFC 1918, shared address space (100.64/10) and unique local IPv6 (fc00::/7): a
 *   deployment's own hosts, fetched only from origins it allows.
 * - `loopback`: this machine (127/8, ::1 and its IPv4-mapped forms), fetched only when allowed.
 * - `reserved`: never fetched: unspecified, link-local (cloud metadata at 169.254.169.254),
 *   multicast, documentation, benchmarking, reserved ranges, and anything unparseable.
 */
export type AddressKind = 'public' | 'private' | 'loopback' | 'reserved'

type Range = readonly [base: number, prefix: number]

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0

const IPV4_LOOPBACK: Range = [v4(127, 0, 0, 0), 8]
const IPV4_PRIVATE: readonly Range[] = [
  [v4(10, 0, 0, 0), 8],
  [v4(172, 16, 0, 0), 12],
  [v4(192, 168, 0, 0), 16],
  [v4(100, 64, 0, 0), 10],
]
const IPV4_RESERVED: readonly Range[] = [
  [v4(0, 0, 0, 0), 8],
  [v4(169, 254, 0, 0), 16],
  [v4(192, 0, 0, 0), 24],
  [v4(192, 0, 2, 0), 24],
  [v4(192, 88, 99, 0), 24],
  [v4(198, 18, 0, 0), 15],
  [v4(198, 51, 100, 0), 24],
  [v4(203, 0, 113, 0), 24],
  [v4(224, 0, 0, 0), 4],
  [v4(240, 0, 0, 0), 4],
]

function inRange(address: number, [base, prefix]: Range): boolean {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return (address & mask) >>> 0 === base
}

/** Dotted-quad IPv4 (exactly four decimal parts, as the URL parser and resolvers print it), or null. */
function parseIpv4(text: string): number | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null
    const byte = Number(part)
    if (byte > 255) return null
    value = value * 256 + byte
  }
  return value
}

function classifyIpv4(address: number): AddressKind {
  if (inRange(address, IPV4_LOOPBACK)) return 'loopback'
  if (IPV4_RESERVED.some((range) => inRange(address, range))) return 'reserved'
  if (IPV4_PRIVATE.some((range) => inRange(address, range))) return 'private'
  return 'public'
}

/** The eight 16-bit groups of an IPv6 address (`::` and a trailing dotted quad allowed), or null. */
export function parseIpv6(text: string): number[] | null {
  if (text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return null
  const halves = text.split('::')
  if (halves.length > 2) return null
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return []
    const groups: number[] = []
    const pieces = part.split(':')
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!
      if (i === pieces.length - 1 && piece.includes('.')) {
        const embedded = parseIpv4(piece)
        if (embedded === null) return null
        groups.push(embedded >>> 16, embedded & 0xffff)
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16))
      } else {
        return null
      }
    }
    return groups
  }
  const head = groupsOf(halves[0]!)
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : []
  if (head === null || tail === null) return null
  if (halves.length === 1) return head.length === 8 ? head : null
  const missing = 8 - head.length - tail.length
  if (missing < 1) return null
  return [...head, ...new Array<number>(missing).fill(0), ...tail]
}

const startsWith = (groups: readonly number[], prefix: readonly number[]) => prefix.every((group, i) => groups[i] === group)
const embeddedIpv4 = (high: number, low: number) => ((high << 16) | low) >>> 0

function classifyIpv6(g: readonly number[]): AddressKind {
  const zeroUpTo = (n: number) => g.slice(0, n).every((group) => group === 0)
  if (zeroUpTo(7) && g[7] === 1) return 'loopback'
  // IPv4-mapped (::ffff:a.b.c.d): a dual-stack socket connects to the IPv4 address itself.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIpv4(embeddedIpv4(g[6]!, g[7]!))
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed; one that is not
  // public is never fetched through them, loopback included (it is not this machine's).
  const throughIpv4 = (address: number): AddressKind => (classifyIpv4(address) === 'public' ? 'public' : 'reserved')
  if (startsWith(g, [0x64, 0xff9b, 0, 0, 0, 0])) return throughIpv4(embeddedIpv4(g[6]!, g[7]!))
  if (g[0] === 0x2002) return throughIpv4(embeddedIpv4(g[1]!, g[2]!))
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'
  // Only global unicast (2000::/3) is public, minus its special-purpose blocks: IETF protocol
  // assignments (2001::/23, Teredo among them), documentation (2001:db8::/32, 3fff::/20).
  if ((g[0]! & 0xe000) !== 0x2000) return 'reserved'
  if (g[0] === 0x2001 && g[1]! < 0x200) return 'reserved'
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'reserved'
  if ((g[0]! & 0xfff0) === 0x3ff0) return 'reserved'
  return 'public'
}

/**
 * The kind of an IP address in text form: dotted-quad IPv4, or IPv6 with or without brackets and
 * zone (`fe80::1%eth0`). Anything else is `reserved`.
 */
export function classifyAddress(text: string): AddressKind {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  const address = bare.split('%', 1)[0]!
  const ipv4 = parseIpv4(address)
  if (ipv4 !== null) return classifyIpv4(ipv4)
  const ipv6 = address.includes(':') ? parseIpv6(address) : null
  return ipv6 === null ? 'reserved' : classifyIpv6(ipv6)
}

/** True when `host` is an IP literal (IPv4 dotted quad, or IPv6 with or without brackets). */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return parseIpv4(bare) !== null || (bare.includes(':') && parseIpv6(bare.split('%', 1)[0]!) !== null)
}
