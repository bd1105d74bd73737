import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../app/env.js'
import { limits } from '../config.js'
import { AppError } from '../errors.js'

export type BodyKind = 'form' | 'management'

const MAX: Record<BodyKind, number> = {
  form: limits.formBodyBytes,
  management: limits.managementBodyBytes,
}

const LABEL: Record<BodyKind, string> = {
  form: 'Form larger than 64 KiB',
  management: 'Request body is larger than 1 MiB',
}

/** The one body-limit policy (DESIGN §4, §6): page forms 64 KiB, Management API bodies 1 MiB → 413. */
export function limitBody(kind: BodyKind): MiddlewareHandler<AppEnv> {
  const max = MAX[kind]
  const tooLarge = () => {
    throw new AppError(413, 'payload_too_large', LABEL[kind])
  }
  const streamed = bodyLimit({ maxSize: max, onError: tooLarge })
  return async function limitBodyMiddleware(c, next) {
    // A GET or HEAD body is never read; a body of declared length is exactly that long (Node's
    // parser frames it so). Both are decided from the headers: hono's `bodyLimit` asks for
    // `c.req.raw.body` first, which makes @hono/node-server build a whole undici Request.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > max) tooLarge()
      return next()
    }
    // Chunked: counted as it streams in.
    return streamed(c, next)
  }
}
