#!/usr/bin/env node
// Starts the reference MFA server (SQLite under .data/, dev inbox on) and the playground (Vite dev
// server), and prints both URLs. When a port is taken it picks a free one and says so.
// Usage: npm start [-- --port N] [-- --factors OTP,SMS] (or PLAYGROUND_PORT=N). MFA_SERVER_PORT sets
// the server's port and MFA_DATA_DIR its data directory (default .data).
// Ctrl-C or SIGTERM stops both.
import { spawn } from 'node:child_process'
import { createServer as listen } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { port: { type: 'string' }, factors: { type: 'string', default: 'OTP,SMS,EMAIL,FACE' } },
})

function portFrom(text, what) {
  if (text === undefined || text === '') return undefined
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    console.error(`${what} must be a port number from 0 to 65535`)
    process.exit(2)
  }
  return Number(text)
}

/** A terminal line without its colour codes (ESC [ … m). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what colour codes start with
const stripColours = (line) => line.replace(/\x1b\[[0-9;]*m/g, '')

/** Listens on the port for a moment: the port it got (the system's pick for 0), or null when taken. */
function tryPort(port) {
  return new Promise((resolve) => {
    const probe = listen()
    probe.once('error', () => resolve(null))
    probe.listen(port, '127.0.0.1', () => {
      const { port: got } = probe.address()
      probe.close(() => resolve(got))
    })
  })
}

/** The port when it is free on 127.0.0.1, else a free one. */
async function freeOr(port) {
  return (await tryPort(port)) ?? (await tryPort(0))
}

const wantedPlayground = portFrom(values.port, '--port') ?? portFrom(process.env.PLAYGROUND_PORT, 'PLAYGROUND_PORT') ?? 5173
const wantedServer = portFrom(process.env.MFA_SERVER_PORT, 'MFA_SERVER_PORT') ?? 3000
const dataDir = process.env.MFA_DATA_DIR || '.data'

let stopping = false
const children = []
function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  const deadline = setTimeout(() => process.exit(code), 5000)
  deadline.unref()
  Promise.all(children.map((child) => (child.exitCode === null ? new Promise((done) => child.once('exit', done)) : null))).then(() =>
    process.exit(code),
  )
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

/** Starts a child and resolves with the first stdout line `read` accepts; the rest streams through. */
function startChild(name, command, args, env, read) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
    children.push(child)
    let ready = false
    createInterface({ input: child.stdout }).on('line', (line) => {
      const value = ready ? undefined : read(line)
      if (value !== undefined) {
        ready = true
        resolve(value)
      } else if (line.trim() !== '') console.log(`[${name}] ${line}`)
    })
    child.once('exit', (code) => {
      if (!ready) reject(new Error(`${name} exited (${code}) before it was ready`))
      else if (!stopping) {
        console.error(`${name} exited (${code}); stopping`)
        stop(1)
      }
    })
  })
}

try {
  const serverPort = await freeOr(wantedServer)
  if (wantedServer !== 0 && serverPort !== wantedServer) console.log(`Port ${wantedServer} is taken: the MFA server takes a free port.`)
  const serverUrl = await startChild(
    'mfa-server',
    process.execPath,
    [
      'packages/server/bin/mfa-server.mjs',
      ...['--port', String(serverPort), '--data-dir', dataDir, '--factors', values.factors, '--dev'],
      // A demo signs up and sends codes from one machine over and over: loosen the per-client limits.
      ...['--limit', 'registrationsPerClientPerHour=1000', '--limit', 'sendsPerClientPerHour=1000', '--limit', 'sendsPerUserPerHour=100'],
    ],
    {},
    (line) => {
      try {
        return JSON.parse(line).url
      } catch {
        return undefined
      }
    },
  )

  const playgroundPort = await freeOr(wantedPlayground)
  if (wantedPlayground !== 0 && playgroundPort !== wantedPlayground)
    console.log(`Port ${wantedPlayground} is taken: the playground takes a free port.`)
  const playgroundUrl = await startChild(
    'playground',
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'apps/playground',
      '--host',
      '127.0.0.1',
      '--port',
      String(playgroundPort),
      '--strictPort',
      '--clearScreen',
      'false',
    ],
    { MFA_SERVER_URL: serverUrl },
    // Vite prints "  ➜  Local:   http://127.0.0.1:5173/" once it listens.
    (line) => /Local:\s+(http:\/\/\S+)/.exec(stripColours(line))?.[1],
  )

  console.log('')
  console.log(`  Playground:  ${playgroundUrl}`)
  console.log(`  MFA server:  ${serverUrl}   (SQLite in ${dataDir}, dev inbox at ${serverUrl}/api/dev/outbox)`)
  console.log('')
  console.log('  Press Ctrl-C to stop both.')
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  stop(1)
}
