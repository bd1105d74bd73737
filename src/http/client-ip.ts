import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/** The peer address of the connection (a proxy's own address, behind one); `unknown` without a socket. */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
