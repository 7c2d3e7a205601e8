/**
 * `mfa-server`: the reference MFA server over HTTP with SQLite.
 *
 *   mfa-server [--port 3000] [--host 127.0.0.1] [--data-dir .data] [--key-file PATH]
 *              [--factors OTP,SMS,EMAIL,FACE] [--allowed-origins URL,URL] [--sms-origin-host HOST]
 *              [--limit NAME=VALUE ...] [--face-threshold X] [--face-preload] [--face-threads N]
 *              [--photo-origins URL,URL [--photo-origins-only]] [--no-external-photos] [--allow-loopback-photos]
 *              [--dev [--dev-expose]] [--synchronous NORMAL|FULL]
 *
 * Flags take `--flag value` or `--flag=value`. The environment supplies PORT (overridden by
 * `--port`), MFA_KEY_FILE (overridden by `--key-file`), MFA_SERVER_KEY (the key itself, which wins
 * over any key file), SMTP_URL and SMTP_FROM.
 *
 * `--dev` (the dev outbox, which shows every code sent) listens on loopback only: with any other
 * `--host` it is refused unless `--dev-expose` is given too, and then a warning goes to stderr.
 *
 * Prints one JSON line `{"url":"http://127.0.0.1:PORT"}` to stdout once listening; everything else
 * goes to stderr. SIGTERM and SIGINT close it cleanly.
 */

import { parseArgs as parseCommandLine } from 'node:util'
import { createJsonLogger, type Logger } from '../logger'
import { APPLICATION_FACTORS, DEFAULT_LIMITS, type ApplicationFactor, type FaceOptions, type MfaLimits } from '../options'
import { isLoopbackHost, startServer } from './start'

export interface CliOptions {
  port: number
  host: string
  dataDir: string
  /** The server key file; when absent, `MFA_KEY_FILE` or `<dataDir>/secret.key`. */
  keyFile?: string
  factors: ApplicationFactor[]
  /** Web origins allowed by CORS; when absent, none (with `dev`, the local playground and Storybook). */
  allowedOrigins?: string[]
  /** Host of the web app for the origin-bound SMS line. */
  smsOriginHost?: string
  /** Throttles, lockouts and lifetimes that differ from the defaults (checked by the server). */
  limits?: MfaLimits
  /** Face matching and external photos; the server checks the values. */
  face: Pick<FaceOptions, 'threshold' | 'photoOrigins' | 'photoOriginsOnly' | 'allowLoopbackPhotos'> & { externalPhotos: boolean }
  /** Load the face models at start instead of on first use. */
  facePreload: boolean
  /** Worker threads for face analysis. */
  faceThreads?: number
  dev: boolean
  /** Allows `dev` on a host that is not loopback. */
  devExpose: boolean
  /** SQLite durability (see `SqliteStoreOptions.synchronous`). */
  synchronous: 'NORMAL' | 'FULL'
}

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError'
}

export const USAGE = `Usage: mfa-server [options]
  --port N            port to listen on, 0 for a free one (env PORT; default 3000)
  --host ADDR         address to listen on (default 127.0.0.1)
  --data-dir DIR      SQLite database, RSA key and default key file (default .data)
  --key-file PATH     server key file, created with mode 0600 when missing
                      (env MFA_KEY_FILE; default DIR/secret.key); keep it outside DIR in production
  --factors LIST      application MFA policy: OTP,SMS,EMAIL,FACE (default none)
  --allowed-origins L web origins that may call the server from a browser (CORS),
                      e.g. https://app.example.com (default none; with --dev, localhost:5173 and :6006)
  --sms-origin-host H host of your web app for the "@host #code" line of SMS texts (default: no line)
  --limit NAME=VALUE  change one limit, e.g. --limit sendsPerClientPerHour=100 (repeatable;
                      the names are those of MfaLimits in the server README)
  --face-threshold X  largest face distance that counts as a match (default 0.5)
  --face-preload      load the face models at start instead of on first use
  --face-threads N    worker threads for face analysis, 1 to 16 (default 1)
  --photo-origins L   origins of your own image host, allowed for external photos
  --photo-origins-only  fetch external photos from --photo-origins only
  --no-external-photos  refuse photos given by URL (uploads only)
  --allow-loopback-photos  fetch external photos from loopback too (with --dev only)
  --dev               dev outbox and debug logs; loopback hosts only
  --dev-expose        allow --dev on a --host that is not loopback
  --synchronous MODE  SQLite durability: NORMAL or FULL (default NORMAL)
  -h, --help          show this help`

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'key-file': { type: 'string' },
  factors: { type: 'string' },
  'allowed-origins': { type: 'string' },
  'sms-origin-host': { type: 'string' },
  limit: { type: 'string', multiple: true },
  'face-threshold': { type: 'string' },
  'face-preload': { type: 'boolean' },
  'face-threads': { type: 'string' },
  'photo-origins': { type: 'string' },
  'photo-origins-only': { type: 'boolean' },
  'no-external-photos': { type: 'boolean' },
  'allow-loopback-photos': { type: 'boolean' },
  dev: { type: 'boolean' },
  'dev-expose': { type: 'boolean' },
  synchronous: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Node's parser over FLAGS, its errors turned into usage errors. */
function readFlags(argv: readonly string[]) {
  try {
    // A bare `--` is what package managers put before forwarded arguments: the flags after it count.
    return parseCommandLine({ args: argv.filter((arg) => arg !== '--'), options: FLAGS, strict: true, allowPositionals: false }).values
  } catch (error) {
    if (!(error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_'))) throw error
    throw new CliUsageError(`${error.message}\n${USAGE}`)
  }
}

/** Parses the command line (`--flag value` or `--flag=value`). */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): CliOptions {
  const values = readFlags(argv)
  if (values.help) throw new CliUsageError(USAGE)

  const options: CliOptions = {
    port: 3000,
    host: nonEmpty(values.host, '--host') ?? '127.0.0.1',
    dataDir: nonEmpty(values['data-dir'], '--data-dir') ?? '.data',
    factors: values.factors === undefined ? [] : parseFactors(values.factors),
    dev: values.dev ?? false,
    devExpose: values['dev-expose'] ?? false,
    synchronous: 'NORMAL',
    face: { externalPhotos: true },
    facePreload: values['face-preload'] ?? false,
  }
  if (values.port !== undefined) options.port = parsePort(values.port, '--port')
  else if (env.PORT !== undefined && env.PORT !== '') options.port = parsePort(env.PORT, 'PORT')
  const keyFile = nonEmpty(values['key-file'], '--key-file')
  if (keyFile !== undefined) options.keyFile = keyFile
  const origins = nonEmpty(values['allowed-origins'], '--allowed-origins')
  if (origins !== undefined)
    options.allowedOrigins = origins
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
  const smsOriginHost = nonEmpty(values['sms-origin-host'], '--sms-origin-host')
  if (smsOriginHost !== undefined) options.smsOriginHost = smsOriginHost
  if (values.limit !== undefined) options.limits = parseLimits(values.limit)
  Object.assign(options, parseFaceFlags(values, options.dev))
  if (values.synchronous !== undefined) {
    const mode = values.synchronous.toUpperCase()
    if (mode !== 'NORMAL' && mode !== 'FULL') throw new CliUsageError('--synchronous must be NORMAL or FULL')
    options.synchronous = mode
  }
  if (options.devExpose && !options.dev) throw new CliUsageError('--dev-expose has no effect without --dev')
  if (options.dev && !options.devExpose && !isLoopbackHost(options.host)) {
    throw new CliUsageError(
      `--dev listens on loopback only (127.0.0.1, ::1 or localhost), not on ${options.host}: its outbox shows every code sent. ` +
        'Add --dev-expose to allow it anyway.',
    )
  }
  return options
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value === '') throw new CliUsageError(`${flag} needs a value`)
  return value
}

function parsePort(text: string, what: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) throw new CliUsageError(`${what} must be a port number from 0 to 65535`)
  return Number(text)
}

function parseLimits(entries: readonly string[]): MfaLimits {
  const limits: Record<string, number> = {}
  for (const entry of entries) {
    const match = /^([A-Za-z]+)=([0-9]+)$/.exec(entry.trim())
    if (!match || !(match[1]! in DEFAULT_LIMITS)) {
      throw new CliUsageError(`--limit takes NAME=VALUE with a whole number and one of: ${Object.keys(DEFAULT_LIMITS).join(', ')}`)
    }
    limits[match[1]!] = Number(match[2])
  }
  return limits as MfaLimits
}

/** The server's face options from the flags: `--no-external-photos` is a fetcher of null. */
function faceOptions({ externalPhotos, ...face }: CliOptions['face']): FaceOptions {
  return externalPhotos ? face : { ...face, fetcher: null }
}

function parseFaceFlags(values: ReturnType<typeof readFlags>, dev: boolean): Pick<CliOptions, 'face' | 'faceThreads'> {
  const face: CliOptions['face'] = { externalPhotos: !(values['no-external-photos'] ?? false) }
  const threshold = nonEmpty(values['face-threshold'], '--face-threshold')
  if (threshold !== undefined) {
    const value = Number(threshold)
    if (!/^[0-9.]+$/.test(threshold) || !(value > 0 && value <= 2))
      throw new CliUsageError('--face-threshold must be a number above 0 and at most 2')
    face.threshold = value
  }
  const origins = nonEmpty(values['photo-origins'], '--photo-origins')
  if (origins !== undefined)
    face.photoOrigins = origins
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
  if (values['photo-origins-only']) {
    if (origins === undefined) throw new CliUsageError('--photo-origins-only needs --photo-origins')
    face.photoOriginsOnly = true
  }
  if (values['allow-loopback-photos']) {
    if (!dev) throw new CliUsageError('--allow-loopback-photos is for local development: use it with --dev')
    face.allowLoopbackPhotos = true
  }
  const threads = nonEmpty(values['face-threads'], '--face-threads')
  if (threads === undefined) return { face }
  if (!/^[0-9]{1,2}$/.test(threads) || Number(threads) < 1 || Number(threads) > 16)
    throw new CliUsageError('--face-threads must be a whole number from 1 to 16')
  return { face, faceThreads: Number(threads) }
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
  if (options.dev && !isLoopbackHost(options.host)) {
    process.stderr.write(
      `WARNING: dev mode is listening on ${options.host} (--dev-expose), where other machines can reach it.\n` +
        'WARNING: its outbox holds every SMS and email code sent. Never run --dev in production.\n',
    )
  }
  const logger: Logger = createJsonLogger((line) => process.stderr.write(`${line}\n`), options.dev ? 'debug' : 'info')
  const running = await startServer({
    port: options.port,
    host: options.host,
    dataDir: options.dataDir,
    ...(options.keyFile !== undefined ? { keyFile: options.keyFile } : {}),
    factors: options.factors,
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.smsOriginHost ? { smsOriginHost: options.smsOriginHost } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    face: faceOptions(options.face),
    preloadFaceModels: options.facePreload,
    ...(options.faceThreads !== undefined ? { faceThreads: options.faceThreads } : {}),
    dev: options.dev,
    devExpose: options.devExpose,
    synchronous: options.synchronous,
    logger,
    ...(options.dev
      ? {
          senders: {
            sms: { send: async (m) => void process.stderr.write(`[dev] SMS to ${m.to}: ${m.code ?? m.text}\n`) },
            ...(process.env.SMTP_URL
              ? {}
              : { email: { send: async (m) => void process.stderr.write(`[dev] email to ${m.to}: ${m.code ?? m.text}\n`) } }),
          },
        }
      : {}),
  })

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
  // Announced only once a signal closes it cleanly: whoever reads the URL may stop it at once.
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`)
  logger.log('info', 'server.started', { url: running.url, dataDir: options.dataDir, factors: options.factors.join(','), dev: options.dev })
}
