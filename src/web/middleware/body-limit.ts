import type { IncomingMessage } from 'node:http'
import type { Context, MiddlewareHandler } from 'hono'
import { limits } from '../../config/env.js'
import { AppError } from '../../errors.js'
import type { AppEnv } from '../context.js'

export type BodyKind = 'form' | 'management'

const MAX: Record<BodyKind, number> = {
  form: limits.formBodyBytes,
  management: limits.managementBodyBytes,
}

const LABEL: Record<BodyKind, string> = {
  form: 'Form larger than 64 KiB',
  management: 'Request body is larger than 1 MiB',
}

class TooLarge extends Error {}

/** A body the client stopped sending (it hung up): the sender's problem, a 400. */
export const unreadable = () =>
  new AppError(400, 'invalid_body', 'The request body could not be read')

/**
 * The request's body as text, read once (see `limitBody`); a body that cannot be read is a 400,
 * not a handler's 500.
 */
export function readText(c: Context<AppEnv>): Promise<string> {
  return c.req.text().catch(() => {
    throw unreadable()
  })
}

/** Node's request, when the app is served by `@hono/node-server` (its `incoming` binding). */
function incomingOf(c: Context<AppEnv>): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: Partial<IncomingMessage> } | undefined)?.incoming
  return typeof incoming?.on === 'function' ? (incoming as IncomingMessage) : undefined
}

/**
 * Reads a body sent without a length from Node's socket, refusing it once past `max` bytes. On
 * a refusal it only stops listening, so the server can still drain the rest and keep the
 * connection.
 */
function readIncoming(incoming: IncomingMessage, max: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (error?: Error) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
      if (error) reject(error)
      else resolve(Buffer.concat(chunks, size) as Uint8Array<ArrayBuffer>)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > max) done(new TooLarge())
      else chunks.push(chunk)
    }
    const onEnd = () => done()
    const onError = (error: Error) => done(error)
    const onClose = () => {
      if (!incoming.complete) done(new Error('request aborted'))
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}

/** The same from a web `Request` (the app called in process): counted as it streams. */
async function readRequest(request: Request, max: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = []
  let size = 0
  if (request.body) {
    const reader = request.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.length
      if (size > max) {
        await reader.cancel()
        throw new TooLarge()
      }
      chunks.push(value)
    }
  }
  return Buffer.concat(chunks, size) as Uint8Array<ArrayBuffer>
}

/**
 * The one body-limit policy (DESIGN §4, §6): page forms 64 KiB, Management API bodies 1 MiB → 413.
 *
 * - A declared `Content-Length` past the limit is refused before any of the body is read.
 * - A declared length within it is left to the handler's one read (`readText`, `jsonBody`), which
 *   `@hono/node-server` serves straight from the socket; Node's HTTP parser never hands over more
 *   bytes than the length declares. Reading it here first would make that one read a second one:
 *   hono answers a body read a second way by building a web `Response` around the first.
 * - A body without a length (chunked) is counted here as it arrives, and refused once past the
 *   limit; the bytes counted become the request's body (`c.req.raw`, as hono's `bodyLimit` does).
 *
 * Not hono's `bodyLimit`: it reads `c.req.raw.body`, which makes `@hono/node-server` wrap the
 * socket in a web stream and give up its direct read of the body; and when it refuses a chunked
 * body, that stream keeps the socket paused, so the server cannot drain the rest and closes the
 * connection instead of keeping it alive.
 */
export function limitBody(kind: BodyKind): MiddlewareHandler<AppEnv> {
  const max = MAX[kind]
  return async function limitBodyMiddleware(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const tooLarge = () => new AppError(413, 'payload_too_large', LABEL[kind])
    const declared = c.req.header('content-length')
    if (Number(declared ?? 0) > max) throw tooLarge()
    const incoming = incomingOf(c)
    const chunked = declared === undefined || c.req.header('transfer-encoding') !== undefined
    if (incoming && !chunked) return next()
    try {
      const counted = incoming
        ? await readIncoming(incoming, max)
        : await readRequest(c.req.raw, max)
      c.req.raw = new Request(c.req.url, {
        method: c.req.method,
        headers: c.req.raw.headers,
        body: counted,
      })
    } catch (error) {
      if (error instanceof TooLarge) throw tooLarge()
      throw unreadable()
    }
    await next()
  }
}
