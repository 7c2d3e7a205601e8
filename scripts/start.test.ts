/**
 * `npm start` as a new user runs it: it starts the server and the playground, prints both URLs,
 * serves them, and Ctrl-C stops the whole process tree.
 */

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'mfa-start-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const reachable = (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  )

describe('npm start', () => {
  it('serves the playground and the server on free ports, proxies the API, and stops both on Ctrl-C', async () => {
    const child = spawn('npm', ['start', '--', '--port', '0'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MFA_SERVER_PORT: '0', MFA_DATA_DIR: dataDir },
    })
    let output = ''
    const urls = await new Promise<{ playground: string; server: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not print both URLs and how to stop in time:\n${output}`)), 120_000)
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const playground = /Playground:\s+(http:\/\/\S+)/.exec(output)?.[1]
        const server = /MFA server:\s+(http:\/\/\S+)/.exec(output)?.[1]
        // The last line printed once both are up says how to stop them.
        if (playground && server && output.includes('Ctrl-C')) {
          clearTimeout(timer)
          resolve({ playground, server })
        }
      })
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString()
      })
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)))
    })

    const page = await fetch(urls.playground)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    const throughProxy = await (await fetch(new URL('/api/v2/.well-known', urls.playground))).json()
    expect(throughProxy.data.publicKey).toContain('BEGIN PUBLIC KEY')
    expect((await (await fetch(`${urls.server}/api/dev/outbox`)).json()).code).toBe(200)

    // Ctrl-C in a terminal signals the whole foreground process group.
    const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])))
    process.kill(-child.pid!, 'SIGINT')
    const [code, signal] = await exited
    expect(code === 0 || signal === 'SIGINT').toBe(true)
    await expect.poll(() => reachable(urls.playground), { timeout: 10_000 }).toBe(false)
    await expect.poll(() => reachable(urls.server), { timeout: 10_000 }).toBe(false)
  }, 180_000)
})
