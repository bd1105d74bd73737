import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface Started {
  readonly child: ChildProcess
  /** Everything printed so far on stdout and stderr. */
  output(): string
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>
}

/** Starts `node dist/main.js` with `env` added to a clean environment. */
export function startAssent(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => text, exited }
}

/**
 * The Management API of a started Assent, as a client calls it with `token`: JSON in, the status
 * and the JSON out (none for a 204).
 */
export function managementOf(token: string) {
  return async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields its call returns
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any }
  }
}

/** Polls `url` until it answers 200, or fails after `ms`. */
export async function waitForHttp(url: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
