// The Management API as the import calls it: at a URL, or answered in the same process.

export interface ManagementAnswer {
  readonly status: number
  // biome-ignore lint/suspicious/noExplicitAny: the Management API answers JSON of many shapes
  readonly body: any
}

/** One call to the Management API: `path` under `/api/v2`. */
export type ManagementCall = (
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
) => Promise<ManagementAnswer>

/** A Management API at `base` (`https://consent.example.com`), with a bearer token. */
export function managementCaller(
  fetchFn: (request: Request) => Response | Promise<Response>,
  base: URL,
  token: string,
): ManagementCall {
  return async (method, path, body) => {
    const res = await fetchFn(
      new Request(new URL(`api/v2${path}`, base.href.endsWith('/') ? base : `${base.href}/`), {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    )
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = { message: text.slice(0, 200) }
    }
    return { status: res.status, body: parsed }
  }
}
