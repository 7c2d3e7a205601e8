/**
 * The MFA server as the benchmark runs it, in its own process so that its memory is measured
 * alone: the Node entry (`startServer`) with the SQLite store in the data directory given on the
 * command line, the system clock and the default TOTP parameters. Prints `{"url":…}` once listening.
 *
 * Differences from the defaults, all of which keep the measured code paths the same:
 * - a low PBKDF2 cost and plain passwords, so that seeding 1,000 accounts takes seconds (password
 *   hashing is not part of any measured scenario);
 * - the per-account failure threshold and the per-mfaToken attempt budget at their maximum, so that
 *   the wrong-code scenario measures code checking rather than lockout answers;
 * - registration limits high enough for the seeding, which registers every account from loopback.
 *
 * With `--face`, the application policy is OTP and FACE, with the Node face matcher (its models
 * load on first use, or when the benchmark asks over IPC), and the upload limits are raised for the
 * face scenarios.
 *
 *   node --import tsx bench/server.ts <data-dir> [--synchronous FULL|NORMAL] [--face [--face-threads N]]
 *
 * Started by bench/run.ts with an IPC channel, over which it can be asked to record a CPU profile.
 */

import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { createNodeFaceMatcher, createSqliteStore, startServer } from '@mfa-kit/server/node'

const [dataDir, ...flags] = process.argv.slice(2)
if (!dataDir) {
  process.stderr.write('usage: server.ts <data-dir> [--synchronous FULL|NORMAL] [--face [--face-threads N]]\n')
  process.exit(2)
}
const flagValue = (name: string) => {
  const index = flags.indexOf(name)
  return index === -1 ? undefined : flags[index + 1]
}
const durability = flagValue('--synchronous')
const synchronous = durability === 'FULL' || durability === 'NORMAL' ? durability : undefined
const face = flags.includes('--face')
const matcher = face ? createNodeFaceMatcher({ threads: Number(flagValue('--face-threads') ?? 1) }) : null

const running = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  env: {},
  ...(synchronous ? { store: createSqliteStore({ filename: join(dataDir, 'mfa.sqlite'), synchronous }) } : {}),
  passwordIterations: 1000,
  allowPlainPasswords: true,
  limits: {
    failureThreshold: 100,
    mfaTokenMaxAttempts: 20,
    registrationsPerClientPerHour: 100_000,
    registrationsPerHour: 1_000_000,
    uploadsPerClientPerHour: 100_000,
    uploadsPerHour: 1_000_000,
  },
  ...(matcher ? { factors: ['OTP', 'FACE'] as const, face: { matcher } } : {}),
})
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`)

// The benchmark can record a CPU profile of one scenario ({profile: 'start'}, then {profile: 'stop', file})
// and ask for the memory figures ({memory: true}).
let session: Session | null = null
process.on('message', (message: { profile?: 'start' | 'stop'; file?: string; memory?: boolean; loadFace?: boolean }) => {
  if (message.memory) process.send?.({ memory: process.memoryUsage() })
  if (message.loadFace && matcher) {
    const started = performance.now()
    matcher.load().then(
      () => process.send?.({ faceLoaded: { wallMs: performance.now() - started, modelMs: matcher.modelLoadMs } }),
      (error: unknown) => process.send?.({ faceLoaded: { error: error instanceof Error ? error.message : String(error) } }),
    )
  }
  void (async () => {
    if (message.profile === 'start' && !session) {
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 200 })
      await session.post('Profiler.start')
    } else if (message.profile === 'stop' && session && message.file) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(message.file, JSON.stringify(profile))
      session.disconnect()
      session = null
      process.send?.({ profile: 'written' })
    }
  })()
})

const stop = () => {
  Promise.all([running.close(), matcher?.close()]).then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
