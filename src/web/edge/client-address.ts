import type { IncomingMessage } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import proxyaddr from 'proxy-addr'
import type { AppEnv } from '../context.js'

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address
  } catch {
    return undefined
  }
}

/**
 * How to find a request's client address (DESIGN §6): the connection's peer, or, when that peer
 * is a trusted proxy, the nearest address in `X-Forwarded-For` that is not one (`proxy-addr`, as
 * Express does). With no trusted proxy, `X-Forwarded-For` is ignored: anyone can write it.
 */
export function addressResolver(trusted: readonly string[]): (c: Context<AppEnv>) => string {
  const trust = proxyaddr.compile([...trusted])
  return (c) => {
    const peer = peerAddress(c)
    if (!peer || trusted.length === 0) return peer ?? 'unknown'
    const forwardedFor = c.req.header('x-forwarded-for')
    const req = {
      socket: { remoteAddress: peer },
      connection: { remoteAddress: peer },
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    } as unknown as IncomingMessage
    // A malformed header is the sender's problem: fall back to the peer.
    try {
      return proxyaddr(req, trust)
    } catch {
      return peer
    }
  }
}

/**
 * The client's address, worked out on first use (a rate limit, a log line) and kept for the rest
 * of the request: most requests never need it.
 */
export function clientAddressOf(c: Context<AppEnv>): string {
  let address = c.get('clientAddress')
  if (address === undefined) {
    address = c.get('resolveAddress')(c)
    c.set('clientAddress', address)
  }
  return address
}
