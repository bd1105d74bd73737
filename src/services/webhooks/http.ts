import type { LookupAddress } from 'node:dns'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { pinnedLookup } from './targets.js'

/**
 * POSTs one webhook to the checked addresses and answers the status code. Redirects are not
 * followed (node:http never does: a 3xx is an answer like any other). `signal` bounds the whole
 * exchange — connect, TLS, request and response headers — and the body is not read: a receiver
 * cannot hold the connection by answering slowly. Each request has its own connection, closed
 * after the status line, so no pooled socket can outlive the check of its address.
 */
export function postWebhook(
  url: URL,
  addresses: readonly LookupAddress[],
  headers: Readonly<Record<string, string>>,
  body: string,
  signal: AbortSignal,
): Promise<number> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
      lookup: pinnedLookup(addresses),
      signal,
    })
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0)
      res.destroy()
    })
    req.on('error', (error) => {
      reject(signal.aborted ? (signal.reason ?? error) : error)
    })
    req.end(body)
  })
}
