import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow past what its last full collection found live, in per
 * cent. V8's own factor grows up to 4 × on a machine with memory to spare: a server with 30–35 MB
 * live then peaks at 170–220 MB under load, mostly garbage waiting for its collection. At 50 % it
 * peaks at 155–160 MB for CPU the bench cannot tell apart (bench/README.md, "Memory: the old
 * generation's growth"). V8 reads the value at each full collection, so setting it at start works.
 */
export const HEAP_GROWING_PERCENT = 50

/** The V8 flag to set, or `null` when the command line chose its own (`node --heap-growing-percent=N`). */
export function heapGrowthFlag(execArgv: readonly string[]): string | null {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return null
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`
}

/**
 * Bounds the heap's growth for the server's life, unless its command line says otherwise; what
 * holds, for the start's log line: the percentage set, or `'command line'`.
 */
export function limitHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
): number | 'command line' {
  const flag = heapGrowthFlag(execArgv)
  if (!flag) return 'command line'
  setFlagsFromString(flag)
  return HEAP_GROWING_PERCENT
}
