#!/usr/bin/env node
// Starts the reference MFA server (SQLite under .data/, dev outbox on) and prints its URL.
// Ctrl-C or SIGTERM stops everything it started.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const children = []

function startService(name, command, args, onLine) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env })
  children.push(child)
  createInterface({ input: child.stdout }).on('line', (line) => onLine(line))
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${name} exited (${code}); stopping`)
      stop(1)
    }
  })
  return child
}

let stopping = false
function stop(code = 0) {
  stopping = true
  for (const c of children) c.kill('SIGTERM')
  setTimeout(() => process.exit(code), 500).unref()
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

const port = process.env.PORT ?? '3000'
startService(
  'mfa-server',
  'node',
  ['packages/server/bin/mfa-server.mjs', '--port', port, '--data-dir', '.data', '--factors', 'OTP,SMS,EMAIL', '--dev'],
  (line) => {
    try {
      const { url } = JSON.parse(line)
      if (url) {
        console.log(`MFA server:  ${url}`)
        console.log(`Dev outbox:  ${url}/api/dev/outbox`)
        return
      }
    } catch {}
    console.log(line)
  },
)
