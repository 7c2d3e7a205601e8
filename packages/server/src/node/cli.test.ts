import { spawn } from 'node:child_process'
import { constants, publicEncrypt } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { paths } from '@mfa-kit/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { CliUsageError, parseArgs } from './cli'

const BIN = fileURLToPath(new URL('../../bin/mfa-server.mjs', import.meta.url))
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('parseArgs', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(parseArgs(['--port', '0', '--host=0.0.0.0', '--data-dir', '/tmp/x', '--factors', 'otp, SMS,EMAIL,FACE', '--dev'], {})).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/tmp/x',
      factors: ['OTP', 'SMS', 'EMAIL', 'FACE'],
      dev: true,
      synchronous: 'NORMAL',
    })
    expect(parseArgs(['--synchronous', 'full'], {}).synchronous).toBe('FULL')
    expect(parseArgs(['--synchronous=NORMAL'], {}).synchronous).toBe('NORMAL')
  })

  it('defaults to port 3000 (or PORT), 127.0.0.1, .data, no factors, no dev outbox', () => {
    expect(parseArgs([], {})).toEqual({ port: 3000, host: '127.0.0.1', dataDir: '.data', factors: [], dev: false, synchronous: 'NORMAL' })
    expect(parseArgs([], { PORT: '4100' }).port).toBe(4100)
    expect(parseArgs(['--port', '4200'], { PORT: '4100' }).port).toBe(4200)
  })

  it('refuses unknown flags, bad ports, unknown factors and missing values', () => {
    for (const argv of [['--nope'], ['--port', '70000'], ['--port', 'abc'], ['--factors', 'OTP,PIGEON'], ['--data-dir'], ['--dev=no'], ['--synchronous', 'OFF']]) {
      expect(() => parseArgs(argv, {}), argv.join(' ')).toThrow(CliUsageError)
    }
  })
})

async function encryptedPassword(url: string): Promise<string> {
  const wellKnown = (await (await fetch(`${url}${paths.wellKnown}`)).json()) as { data: { publicKey: string } }
  return publicEncrypt({ key: wellKnown.data.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('correct horse battery')).toString('base64')
}

interface Child {
  url: string
  stdout: () => string
  exit: Promise<number | null>
  kill: (signal: NodeJS.Signals) => void
}

function launch(args: string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } })
    let stdout = ''
    let stderr = ''
    const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      const line = stdout.split('\n')[0]
      if (stdout.includes('\n')) resolve({ url: JSON.parse(line!).url, stdout: () => stdout, exit, kill: (s) => child.kill(s) })
    })
    exit.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)))
  })
}

describe('mfa-server bin', () => {
  it('prints one JSON line, serves, stops cleanly on SIGTERM and keeps data across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mfa-cli-'))
    dirs.push(dataDir)
    const args = ['--port', '0', '--data-dir', dataDir, '--dev', '--factors', 'OTP,SMS']
    const first = await launch(args)
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const register = await fetch(`${first.url}${paths.graphql}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation registerByEmail($input: RegisterByEmailInput!) { registerByEmail(input: $input) { id } }',
        variables: { input: { email: 'cli@example.com', password: await encryptedPassword(first.url) } },
      }),
    })
    const registered = (await register.json()) as { data: { registerByEmail: { id: string } } }
    expect(registered.data.registerByEmail.id).toBeTruthy()
    expect((await (await fetch(`${first.url}${paths.devOutbox}`)).json()).code).toBe(200)
    const firstKey = ((await (await fetch(`${first.url}${paths.wellKnown}`)).json()) as { data: { publicKey: string } }).data.publicKey
    first.kill('SIGTERM')
    expect(await first.exit).toBe(0)
    expect(first.stdout().trim().split('\n')).toHaveLength(1)

    const second = await launch(args)
    const publicKey = async (url: string) => ((await (await fetch(`${url}${paths.wellKnown}`)).json()) as { data: { publicKey: string } }).data.publicKey
    expect(await publicKey(second.url)).toBe(firstKey)
    const login = await fetch(`${second.url}${paths.graphql}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation loginByEmail($input: LoginByEmailInput!) { loginByEmail(input: $input) { id } }',
        variables: { input: { email: 'cli@example.com', password: await encryptedPassword(second.url) } },
      }),
    })
    const body = (await login.json()) as { errors: Array<{ message: { code: number; data: { mfaToken: string } } }> }
    expect(body.errors[0]!.message.code).toBe(1636)
    second.kill('SIGTERM')
    expect(await second.exit).toBe(0)
  }, 30_000)
})
