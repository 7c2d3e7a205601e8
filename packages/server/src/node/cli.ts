/**
 * `mfa-server`: the reference MFA server over HTTP with SQLite.
 *
 *   mfa-server [--port 3000] [--host 127.0.0.1] [--data-dir .data] [--factors OTP,SMS,EMAIL,FACE] [--dev]
 *              [--synchronous NORMAL|FULL]
 *
 * Prints one JSON line `{"url":"http://127.0.0.1:PORT"}` to stdout once listening; everything else
 * goes to stderr. SIGTERM and SIGINT close it cleanly.
 */

import { pathToFileURL } from 'node:url'
import { createJsonLogger, type Logger } from '../logger'
import { APPLICATION_FACTORS, type ApplicationFactor } from '../options'
import { startServer } from './start'

export interface CliOptions {
  port: number
  host: string
  dataDir: string
  factors: ApplicationFactor[]
  dev: boolean
  /** SQLite durability (see `SqliteStoreOptions.synchronous`). */
  synchronous: 'NORMAL' | 'FULL'
}

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError'
}

export const USAGE =
  'Usage: mfa-server [--port N] [--host ADDR] [--data-dir DIR] [--factors OTP,SMS,EMAIL,FACE] [--dev] [--synchronous NORMAL|FULL]'

/** Parses the command line (`--flag value` or `--flag=value`). */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): CliOptions {
  const options: CliOptions = { port: 3000, host: '127.0.0.1', dataDir: '.data', factors: [], dev: false, synchronous: 'NORMAL' }
  if (env.PORT !== undefined && env.PORT !== '') options.port = parsePort(env.PORT, 'PORT')
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') continue
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    const inline = eq === -1 ? undefined : arg.slice(eq + 1)
    const value = () => {
      if (inline !== undefined) return inline
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`${name} needs a value`)
      i++
      return next
    }
    switch (name) {
      case '--port':
        options.port = parsePort(value(), '--port')
        break
      case '--host':
        options.host = value()
        break
      case '--data-dir':
        options.dataDir = value()
        break
      case '--factors':
        options.factors = parseFactors(value())
        break
      case '--dev':
        if (inline !== undefined && inline !== 'true') throw new CliUsageError('--dev takes no value')
        options.dev = true
        break
      case '--synchronous': {
        const mode = value().toUpperCase()
        if (mode !== 'NORMAL' && mode !== 'FULL') throw new CliUsageError('--synchronous must be NORMAL or FULL')
        options.synchronous = mode
        break
      }
      case '--help':
      case '-h':
        throw new CliUsageError(USAGE)
      default:
        throw new CliUsageError(`Unknown option ${name}\n${USAGE}`)
    }
  }
  return options
}

function parsePort(text: string, what: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) throw new CliUsageError(`${what} must be a port number from 0 to 65535`)
  return Number(text)
}

function parseFactors(text: string): ApplicationFactor[] {
  const factors: ApplicationFactor[] = []
  for (const part of text.split(',')) {
    const factor = part.trim().toUpperCase()
    if (factor === '') continue
    if (!APPLICATION_FACTORS.includes(factor as ApplicationFactor)) {
      throw new CliUsageError(`Unknown factor ${part.trim()}; use ${APPLICATION_FACTORS.join(', ')}`)
    }
    if (!factors.includes(factor as ApplicationFactor)) factors.push(factor as ApplicationFactor)
  }
  return factors
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let options: CliOptions
  try {
    options = parseArgs(argv)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 2
    return
  }
  const logger: Logger = createJsonLogger((line) => process.stderr.write(`${line}\n`), options.dev ? 'debug' : 'info')
  const running = await startServer({
    port: options.port,
    host: options.host,
    dataDir: options.dataDir,
    factors: options.factors,
    dev: options.dev,
    synchronous: options.synchronous,
    logger,
    ...(options.dev
      ? {
          senders: {
            sms: { send: async (m) => void process.stderr.write(`[dev] SMS to ${m.to}: ${m.code}\n`) },
            ...(process.env.SMTP_URL ? {} : { email: { send: async (m) => void process.stderr.write(`[dev] email to ${m.to}: ${m.code}\n`) } }),
          },
        }
      : {}),
  })
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`)
  logger.log('info', 'server.started', { url: running.url, dataDir: options.dataDir, factors: options.factors.join(','), dev: options.dev })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.log('info', 'server.stopping', { signal })
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`mfa-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
