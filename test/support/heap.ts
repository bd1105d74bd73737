import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * A full garbage collection. `gc` is a global only under `node --expose-gc`, which vitest's
 * workers do not start with; once the flag is set at run time, a new V8 context is created with
 * `gc` in it, and that function collects the whole heap of the process.
 */
export const collectGarbage: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  })()

/** Bytes of the JavaScript heap still in use after full collections. */
export function liveHeap(): number {
  collectGarbage()
  collectGarbage()
  return process.memoryUsage().heapUsed
}
