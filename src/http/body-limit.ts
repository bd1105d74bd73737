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
  return bodyLimit({
    maxSize: MAX[kind],
    onError: () => {
      throw new AppError(413, 'payload_too_large', LABEL[kind])
    },
  })
}
