import { expect } from 'vitest'
import type { TestApp } from './test-app.js'

export interface Answer {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON of many shapes
  body: any
  headers: Headers
}

/** Calls the Management API of a test app with a token (the admin token unless told otherwise). */
export function management(t: TestApp, options: { token?: string; host?: string } = {}) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const res = await t.app.request(`/api/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? t.adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.host ? { host: options.host } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    return {
      status: res.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: res.headers,
    }
  }
}

/** The Management API client of a test app, as `management(t)` builds it. */
export type Management = ReturnType<typeof management>

/** Asserts the error body of DESIGN §4.1. */
export function expectError(
  answer: Answer,
  status: number,
  errorCode: string,
  message?: string | RegExp,
): void {
  expect({ status: answer.status, errorCode: answer.body?.errorCode }).toEqual({
    status,
    errorCode,
  })
  expect(Object.keys(answer.body).sort()).toEqual(['error', 'errorCode', 'message', 'statusCode'])
  expect(answer.body.statusCode).toBe(status)
  expect(typeof answer.body.error).toBe('string')
  if (message !== undefined) expect(answer.body.message).toMatch(message)
  expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+:\d+:\d+/)
}
