/**
 * Structured logging. The server only ever passes event names and non-secret fields: ids, codes,
 * counts, masked destinations. Secrets, one-time codes, tokens and passwords are never handed to
 * a logger, so no logger implementation needs to scrub anything.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void
}

export const silentLogger: Logger = { log() {} }

/** One JSON object per line through `write` (for example to stderr). */
export function createJsonLogger(write: (line: string) => void, minLevel: LogLevel = 'info'): Logger {
  const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
  return {
    log(level, event, fields) {
      if (order[level] < order[minLevel]) return
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }))
    },
  }
}

/**
 * `13800001234` -> `138****1234`; `alice@example.com` -> `a***@example.com`. With the phone's
 * calling code, an E.164 number shows it apart, as the kit's UI does: `+1 555****3483`.
 */
export function maskDestination(value: string, countryCode?: string | null): string {
  if (countryCode && value.startsWith(countryCode) && value.length > countryCode.length)
    return `${countryCode} ${maskDestination(value.slice(countryCode.length))}`
  const at = value.lastIndexOf('@')
  if (at > 0) return `${value[0]}***${value.slice(at)}`
  if (value.length <= 7) return '*'.repeat(value.length)
  return `${value.slice(0, 3)}****${value.slice(-4)}`
}
