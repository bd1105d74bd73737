import pino from 'pino'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  /** Whether a line at `level` is written: fields costly to gather are gathered only then. */
  enabled(level: LogLevel): boolean
}

/**
 * Fields that could carry a credential. Nothing logs them on purpose; if one ever reaches a log
 * line, pino writes `[redacted]` in its place.
 */
const REDACT = [
  'token',
  'csrf',
  'authorization',
  'cookie',
  'password',
  'secret',
  '*.token',
  '*.csrf',
  '*.authorization',
  '*.cookie',
  '*.secret',
]

/** JSON lines (pino): `time`, `level`, `msg` and the fields, from `level` up. */
export function createLogger(
  level: LogLevel | 'silent',
  destination: { write(line: string): void } = process.stdout,
): Logger {
  const logger = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination,
  )
  return {
    debug: (msg, fields) => logger.debug(fields ?? {}, msg),
    info: (msg, fields) => logger.info(fields ?? {}, msg),
    warn: (msg, fields) => logger.warn(fields ?? {}, msg),
    error: (msg, fields) => logger.error(fields ?? {}, msg),
    enabled: (at) => logger.isLevelEnabled(at),
  }
}

export const silentLogger: Logger = createLogger('silent')
