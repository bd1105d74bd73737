import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** A webhook receiver on loopback that records what it gets; `up` false answers 503. */
export async function startReceiver(port = 0) {
  const received: Received[] = []
  let up = true
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    req.on('end', () => {
      if (!up) {
        res.writeHead(503).end()
        return
      }
      received.push({ headers: req.headers, body })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${bound}/hooks`,
    port: bound,
    received,
    setUp(value: boolean) {
      up = value
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
