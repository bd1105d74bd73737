import type { LookupAddress } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'
import type { LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'

/*
 * Where webhook requests may go (DESIGN §3.8): only to public unicast addresses, so a tenant
 * admin cannot make the service call into its own network (loopback, the cloud metadata address,
 * private and link-local ranges). Every spelling of an address is reduced to one parsed value
 * before it is judged, and an IPv6 address that carries an IPv4 one is judged by the IPv4 one.
 */

/** What an address is, in ipaddr.js's range names, and through which embedding when it carries IPv4. */
export interface AddressClass {
  /** `unicast` for a public address; otherwise the special range, e.g. `loopback`, `private`. */
  readonly range: string
  /** The IPv4 address judged instead, when the address carries one (e.g. IPv4-mapped). */
  readonly embedded?: { readonly address: string; readonly form: string }
}

const v4 = (high: number, low: number) =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff])

function viaIPv4(address: ipaddr.IPv4, form: string, otherwise?: string): AddressClass {
  const range = address.range()
  return {
    range: range === 'unicast' && otherwise ? otherwise : range,
    embedded: { address: address.toString(), form },
  }
}

/** The class of a parsed IPv6 address, looking through the forms that carry an IPv4 address. */
function classifyV6(address: ipaddr.IPv6): AddressClass {
  const range = address.range()
  const [p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0] = address.parts
  switch (range) {
    // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2) and ::ffff:0:a.b.c.d (RFC 6145) reach a.b.c.d.
    case 'ipv4Mapped':
      return viaIPv4(v4(p6, p7), 'IPv4-mapped')
    case 'rfc6145':
      return viaIPv4(v4(p6, p7), 'IPv4-translated')
    // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052), reaches the IPv4 address in its last
    // 32 bits; the local-use prefix 64:ff9b:1::/48 stays refused as the network's own.
    case 'rfc6052':
      if (p2 === 0 && p3 === 0 && p4 === 0 && p5 === 0) return viaIPv4(v4(p6, p7), 'NAT64')
      return { range }
    // 2002:AABB:CCDD::/48 (RFC 3056) is relayed to AA.BB.CC.DD.
    case '6to4':
      return viaIPv4(v4(p1, p2), '6to4', 'unicast')
    // 2001:0:SSSS:SSSS:…:CCCC:CCCC (RFC 4380): server, and client with its bits inverted.
    case 'teredo': {
      const server = viaIPv4(v4(p2, p3), 'Teredo server')
      if (server.range !== 'unicast') return server
      return viaIPv4(v4(~p6 & 0xffff, ~p7 & 0xffff), 'Teredo client')
    }
  }
  // ::a.b.c.d, the IPv4-compatible form (RFC 4291 §2.5.5.1), deprecated: Linux still reaches
  // a.b.c.d through it, so it is judged by that address and refused even when that is public.
  if (range === 'unicast' && p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && p4 === 0 && p5 === 0)
    return viaIPv4(v4(p6, p7), 'IPv4-compatible', 'ipv4Compatible')
  return { range }
}

/**
 * The class of an address in any spelling ipaddr.js reads (`127.1`, `2130706433`, `0x7f.1`,
 * `0177.0.0.1`, `::ffff:127.0.0.1`, `::7f00:1`, …); `undefined` when it is not an address.
 */
export function classifyAddress(text: string): AddressClass | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (!ipaddr.isValid(bare)) return undefined
  const address = ipaddr.parse(bare)
  return address.kind() === 'ipv4'
    ? { range: (address as ipaddr.IPv4).range() }
    : classifyV6(address as ipaddr.IPv6)
}

/**
 * Why the service must not connect to this address, or `null` when it may: only public unicast
 * is allowed, and loopback too with `allowLoopback` (ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK, for
 * tests and examples). Text that is not an address is refused.
 */
export function refusedAddress(address: string, allowLoopback: boolean): string | null {
  const found = classifyAddress(address)
  if (!found) return `${address} is not an IP address`
  if (found.range === 'unicast' || (allowLoopback && found.range === 'loopback')) return null
  const through = found.embedded ? ` (${found.embedded.form} ${found.embedded.address})` : ''
  return `${address} is ${found.range}${through}, not a public address`
}

/** `localhost` and its subdomains (RFC 6761 §6.3), with or without the root's trailing dot. */
function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, '')
  return name === 'localhost' || name.endsWith('.localhost')
}

/**
 * Why an endpoint URL is refused at registration, by its host alone, or `null`. The WHATWG URL
 * parser has already turned decimal, octal, hex and short IPv4 hosts into dotted form and
 * written IPv6 hosts in brackets, so a literal address is recognised in every spelling; a name
 * is judged when it is resolved, at each delivery.
 */
export function refusedHost(url: URL, allowLoopback: boolean): string | null {
  const host = url.hostname
  if (isLocalhostName(host))
    return allowLoopback ? null : `${host} is this machine, not a public address`
  if (!classifyAddress(host)) return null
  return refusedAddress(host, allowLoopback)
}

/** Resolves a host name to every address it has (`dns.lookup` with `all`, as connections do). */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>

export const systemResolver: Resolver = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true })

/** Where one delivery may connect: the addresses that were checked, or why none may be. */
export type Target =
  | { readonly ok: true; readonly addresses: readonly LookupAddress[] }
  | { readonly ok: false; readonly reason: string }

/**
 * Resolves the URL's host and checks every address it has: one refused address refuses the
 * delivery, since a name with a public and a private address would otherwise let the connection
 * pick the private one. An `http:` URL (allowed on loopback only) must resolve to loopback only.
 */
export async function resolveTarget(
  url: URL,
  options: { resolve: Resolver; allowLoopback: boolean },
): Promise<Target> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  let addresses: readonly LookupAddress[]
  try {
    addresses = await options.resolve(host)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    return {
      ok: false,
      reason: `cannot resolve ${host}${typeof code === 'string' ? ` (${code})` : ''}`,
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} has no address` }
  for (const { address } of addresses) {
    const refused = refusedAddress(address, options.allowLoopback)
    if (refused) return { ok: false, reason: `refused: ${refused}` }
    if (url.protocol === 'http:' && classifyAddress(address)?.range !== 'loopback')
      return { ok: false, reason: `refused: http: is allowed to loopback only, ${address} is not` }
  }
  return { ok: true, addresses }
}

/**
 * A `lookup` for `net.connect` that answers only with the addresses that were checked, so the
 * connection cannot go to an address a second resolution returns (DNS rebinding). The host name
 * stays the request's, for TLS SNI, the certificate check and `Host`.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    // With `autoSelectFamily` (Node's default) the socket asks for every address.
    if (options.all) {
      callback(
        null,
        addresses.map((a) => ({ ...a })),
      )
      return
    }
    const [first] = addresses
    if (first) callback(null, first.address, first.family)
    else callback(Object.assign(new Error('no checked address'), { code: 'ENOTFOUND' }), '')
  }
}
