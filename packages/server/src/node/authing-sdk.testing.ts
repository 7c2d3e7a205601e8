/**
 * Starts the Node server for the SDK compatibility suite: SQLite in a fresh temporary directory,
 * a free loopback port, the dev outbox, a fake clock and a cheap password hash. Every log line the
 * server writes is kept so the suite can check that none carries a secret.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OutboxMessage } from '@mfa-kit/protocol'
import { createFakeClock, type ApplicationFactor, type FaceOptions, type FakeClock } from '../index'
import { startServer } from './index'

export interface SdkTestServer {
  url: string
  clock: FakeClock
  /** Every line the server logged, as JSON text. */
  readonly logLines: readonly string[]
  /** The newest outbox message with a code to `to` on `channel`, read over HTTP from `GET /api/dev/outbox`. */
  latestMessage(channel: 'sms' | 'email', to: string): Promise<OutboxMessage & { code: string }>
  close(): Promise<void>
}

/** A time in the middle of a TOTP step, so `advance(30_000)` always lands on the next step. */
const START = Date.UTC(2025, 5, 1, 8, 0, 10)

export async function startSdkTestServer(options: { factors: ApplicationFactor[]; face?: FaceOptions }): Promise<SdkTestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mfa-sdk-'))
  const clock = createFakeClock(START)
  const logLines: string[] = []
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    env: {},
    factors: options.factors,
    ...(options.face ? { face: options.face } : {}),
    dev: true,
    clock,
    passwordIterations: 1000,
    logger: { log: (level, event, fields) => logLines.push(JSON.stringify({ level, event, ...fields })) },
  })

  return {
    url: running.url,
    clock,
    logLines,
    async latestMessage(channel, to) {
      const response = await fetch(`${running.url}/api/dev/outbox`)
      const body = (await response.json()) as { code: number; data: OutboxMessage[] }
      const message = body.data.find(
        (item): item is OutboxMessage & { code: string } => item.channel === channel && item.to.endsWith(to) && item.code !== null,
      )
      if (!message) throw new Error(`no ${channel} message to ${to} in the dev outbox`)
      return message
    },
    async close() {
      await running.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
