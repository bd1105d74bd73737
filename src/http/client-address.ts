import type { IncomingMessage } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, MiddlewareHandler } from 'hono'
import proxyaddr from 'proxy-addr'
import type { AppEnv } from '../app/env.js'

/** Checks that every entry of `ASSENT_TRUSTED_PROXIES` is an address or CIDR; throws otherwise. */

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address
  } catch {
    return undefined
  }
}

/**
 * The client's address (DESIGN §6): the connection's peer, or, when that peer is a trusted
 * proxy, the nearest address in `X-Forwarded-For` that is not one (`proxy-addr`, as Express
 * does). With no trusted proxy, `X-Forwarded-For` is ignored: anyone can write it.
 */
export function clientAddress(trusted: readonly string[]): MiddlewareHandler<AppEnv> {
  const trust = proxyaddr.compile([...trusted])
  return async function clientAddressMiddleware(c, next) {
    const peer = peerAddress(c)
    let address = peer ?? 'unknown'
    if (peer && trusted.length > 0) {
      const forwardedFor = c.req.header('x-forwarded-for')
      const req = {
        socket: { remoteAddress: peer },
        connection: { remoteAddress: peer },
        headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
      } as unknown as IncomingMessage
      // A malformed header is the sender's problem: fall back to the peer.
      try {
        address = proxyaddr(req, trust)
      } catch {
        address = peer
      }
    }
    c.set('clientAddress', address)
    await next()
  }
}

/** The address `clientAddress` resolved for this request. */
export const clientAddressOf = (c: Context<AppEnv>): string => c.get('clientAddress') ?? 'unknown'
