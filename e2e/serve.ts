/**
 * What the end-to-end tests run against: the reference server on a fresh SQLite data directory,
 * and the playground built for production, served three ways on fixed ports:
 * - 4173: the React 19 build;
 * - 4174: the same build under a strict Content-Security-Policy;
 * - 4175: the React 18.3 build.
 * Each proxies the API to the server, as `npm start` does. Playwright starts this and stops it.
 *
 *   node --import tsx e2e/serve.ts
 */

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { build, preview, type PreviewServer } from 'vite'

export const PLAYGROUND_PORTS = { react19: 4173, csp: 4174, react18: 4175 } as const

/**
 * The application policy: an authenticator app, and a face beside it. A new account binds TOTP during
 * its first sign-in (the guard journeys); phones and emails are added from the settings page.
 */
export const E2E_FACTORS = 'OTP,FACE'
/**
 * Three wrong codes lock a factor (the lockout journey), and a resend is accepted after 8 s rather
 * than a minute, so the journeys can watch the countdown run out.
 */
export const E2E_LIMITS = ['failureThreshold=3', 'sendCooldownMs=8000']

const root = fileURLToPath(new URL('..', import.meta.url))
const playground = join(root, 'apps/playground')
const dataDir = mkdtempSync(join(tmpdir(), 'mfa-e2e-'))

const server = spawn(
  process.execPath,
  [
    'packages/server/bin/mfa-server.mjs',
    ...['--port', '0', '--data-dir', dataDir, '--factors', E2E_FACTORS, '--dev'],
    ...['--limit', 'registrationsPerClientPerHour=1000', '--limit', 'sendsPerClientPerHour=1000', '--limit', 'sendsPerUserPerHour=100'],
    ...E2E_LIMITS.flatMap((limit) => ['--limit', limit]),
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
)
const serverUrl = await new Promise<string>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line).url))
  server.once('exit', (code) => reject(new Error(`mfa-server exited (${code})`)))
})
process.env.MFA_SERVER_URL = serverUrl

const servers: PreviewServer[] = []
async function stop() {
  await Promise.allSettled(servers.map((running) => running.close()))
  server.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)

await build({ root: playground, mode: 'production', logLevel: 'warn' })
await build({ root: playground, mode: 'react18', logLevel: 'warn' })
for (const [mode, port] of [
  ['production', PLAYGROUND_PORTS.react19],
  ['csp', PLAYGROUND_PORTS.csp],
  ['react18', PLAYGROUND_PORTS.react18],
] as const) {
  servers.push(await preview({ root: playground, mode, logLevel: 'warn', preview: { host: '127.0.0.1', port, strictPort: true } }))
}
console.log(`e2e: server ${serverUrl}; playground on ${Object.values(PLAYGROUND_PORTS).join(', ')}`)
