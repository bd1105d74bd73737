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

/** Node's request, when the app is served by `@hono/node-server` (absent in `app.request`). */
function incomingOf(c: Context<AppEnv>): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: Partial<IncomingMessage> } | undefined)?.incoming
  return typeof incoming?.on === 'function' ? (incoming as IncomingMessage) : undefined
}

/** Reads the socket's body as it arrives, refusing it once past `max` bytes, declared or not. */
function readIncoming(incoming: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (error?: Error) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
      if (error) reject(error)
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
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
async function readRequest(request: Request, max: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0)
  const chunks: Uint8Array[] = []
  let size = 0
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
  return Buffer.concat(chunks, size)
}

/**
 * The one body-limit policy (DESIGN §4, §6): page forms 64 KiB, Management API bodies 1 MiB → 413.
 * The body is read here, once, straight from Node's socket, and handed to hono's body cache, so
 * `c.req.text()`, `json()` and `parseBody()` read it from there: no web `Request`, stream or
 * abort signal is built for it (they cost more than the rest of an answer's HTTP handling).
 */
export function limitBody(kind: BodyKind): MiddlewareHandler<AppEnv> {
  const max = MAX[kind]
  return async function limitBodyMiddleware(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const tooLarge = () => new AppError(413, 'payload_too_large', LABEL[kind])
    if (Number(c.req.header('content-length') ?? 0) > max) throw tooLarge()
    let body: Buffer
    try {
      const incoming = incomingOf(c)
      body = incoming ? await readIncoming(incoming, max) : await readRequest(c.req.raw, max)
    } catch (error) {
      if (error instanceof TooLarge) throw tooLarge()
      throw new AppError(400, 'invalid_body', 'The request body could not be read')
    }
    const bytes = body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer
    // hono keeps promises there, whatever its type says (`HonoRequest#cachedBody`).
    const cache = c.req.bodyCache as Record<string, Promise<unknown>>
    cache.arrayBuffer = Promise.resolve(bytes)
    // As `Request.text()` decodes: UTF-8, a leading byte order mark dropped.
    const text = body.toString('utf8')
    cache.text = Promise.resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    await next()
  }
}
