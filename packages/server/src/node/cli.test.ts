import { spawn } from 'node:child_process'
import { constants, publicEncrypt } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { paths } from '@mfa-kit/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { CliUsageError, parseArgs, USAGE } from './cli'

const BIN = fileURLToPath(new URL('../../bin/mfa-server.mjs', import.meta.url))
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('parseArgs', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseArgs(
        [
          '--port',
          '0',
          '--host=0.0.0.0',
          '--data-dir',
          '/tmp/x',
          '--key-file=/etc/mfa/key',
          '--factors',
          'otp, SMS,EMAIL,FACE',
          '--dev',
          '--dev-expose',
        ],
        {},
      ),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/tmp/x',
      keyFile: '/etc/mfa/key',
      factors: ['OTP', 'SMS', 'EMAIL', 'FACE'],
      dev: true,
      devExpose: true,
      synchronous: 'NORMAL',
      face: { externalPhotos: true },
      facePreload: false,
    })
    expect(parseArgs(['--port=4000', '--host', '::1', '--data-dir=/tmp/y', '--key-file', 'k', '--factors=OTP'], {})).toMatchObject({
      port: 4000,
      host: '::1',
      dataDir: '/tmp/y',
      keyFile: 'k',
      factors: ['OTP'],
    })
    expect(parseArgs(['--synchronous', 'full'], {}).synchronous).toBe('FULL')
    expect(parseArgs(['--synchronous=NORMAL'], {}).synchronous).toBe('NORMAL')
    expect(
      parseArgs(['--allowed-origins', 'https://app.example.com, http://localhost:3000', '--sms-origin-host=app.example.com'], {}),
    ).toMatchObject({
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      smsOriginHost: 'app.example.com',
    })
    expect(parseArgs(['--limit', 'sendsPerClientPerHour=100', '--limit=lockBaseMs=5000'], {}).limits).toEqual({
      sendsPerClientPerHour: 100,
      lockBaseMs: 5000,
    })
    for (const bad of ['nope=1', 'lockBaseMs', 'lockBaseMs=-1', 'lockBaseMs=1.5'])
      expect(() => parseArgs(['--limit', bad], {})).toThrow(CliUsageError)
  })

  it('reads the face flags and refuses out-of-range or lone ones', () => {
    expect(
      parseArgs(
        [
          '--face-threshold',
          '0.55',
          '--face-preload',
          '--face-threads=2',
          '--photo-origins',
          'https://img.example.com',
          '--photo-origins-only',
        ],
        {},
      ),
    ).toMatchObject({
      face: { threshold: 0.55, photoOrigins: ['https://img.example.com'], photoOriginsOnly: true, externalPhotos: true },
      facePreload: true,
      faceThreads: 2,
    })
    expect(parseArgs(['--no-external-photos', '--dev', '--allow-loopback-photos'], {}).face).toEqual({
      externalPhotos: false,
      allowLoopbackPhotos: true,
    })
    for (const bad of [
      ['--face-threshold', '0'],
      ['--face-threshold', '3'],
      ['--face-threshold', 'x'],
      ['--face-threads', '0'],
      ['--face-threads', '17'],
      ['--photo-origins-only'],
      ['--allow-loopback-photos'],
    ]) {
      expect(() => parseArgs(bad, {})).toThrow(CliUsageError)
    }
  })

  it('defaults to port 3000 (or PORT), 127.0.0.1, .data, no key file, no factors, no dev outbox', () => {
    const defaults = parseArgs([], {})
    expect(defaults).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '.data',
      factors: [],
      dev: false,
      devExpose: false,
      synchronous: 'NORMAL',
      face: { externalPhotos: true },
      facePreload: false,
    })
    expect(defaults).not.toHaveProperty('keyFile')
    expect(parseArgs([], { PORT: '4100' }).port).toBe(4100)
    expect(parseArgs(['--port', '4200'], { PORT: '4100' }).port).toBe(4200)
    expect(parseArgs(['--port', '4200'], { PORT: 'junk' }).port).toBe(4200)
  })

  it('takes the flags that follow a bare -- (as package managers forward them)', () => {
    expect(parseArgs(['--', '--port', '0', '--dev'], {})).toMatchObject({ port: 0, dev: true })
  })

  it('refuses unknown flags, stray arguments, bad ports, unknown factors and missing or empty values', () => {
    const refused = [
      ['--nope'],
      ['-x'],
      ['stray'],
      ['--port', '70000'],
      ['--port', 'abc'],
      ['--port', '-1'],
      ['--port'],
      ['--factors', 'OTP,PIGEON'],
      ['--data-dir'],
      ['--data-dir', '--dev'],
      ['--data-dir='],
      ['--host='],
      ['--key-file'],
      ['--key-file='],
      ['--dev=no'],
      ['--synchronous', 'OFF'],
    ]
    for (const argv of refused) expect(() => parseArgs(argv, {}), argv.join(' ')).toThrow(CliUsageError)
    expect(() => parseArgs([], { PORT: '99999' })).toThrow('PORT must be a port number from 0 to 65535')
  })

  it('says what is wrong, and shows the usage for a flag it does not know', () => {
    const message = (argv: string[]) => {
      try {
        parseArgs(argv, {})
      } catch (error) {
        expect(error).toBeInstanceOf(CliUsageError)
        return (error as Error).message
      }
      throw new Error(`${argv.join(' ')} was accepted`)
    }
    expect(message(['--nope'])).toMatch(/^Unknown option '--nope'/)
    expect(message(['--nope'])).toContain(USAGE)
    expect(message(['--port'])).toContain("'--port <value>' argument missing")
    expect(message(['--port', '70000'])).toBe('--port must be a port number from 0 to 65535')
    expect(message(['--factors', 'OTP,PIGEON'])).toBe('Unknown factor PIGEON; use OTP, SMS, EMAIL, FACE')
    expect(message(['--key-file='])).toBe('--key-file needs a value')
    expect(message(['--help'])).toBe(USAGE)
    expect(message(['-h'])).toBe(USAGE)
    for (const flag of [
      '--port',
      '--host',
      '--data-dir',
      '--key-file',
      '--factors',
      '--dev',
      '--dev-expose',
      '--synchronous',
      'MFA_KEY_FILE',
      'PORT',
    ]) {
      expect(USAGE).toContain(flag)
    }
  })

  it('refuses --dev on a host that is not loopback, unless --dev-expose is given too', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'fe80::1', '::ffff:10.0.0.1', 'mfa.example.com']) {
      expect(() => parseArgs(['--dev', '--host', host], {}), host).toThrow(CliUsageError)
      expect(() => parseArgs(['--dev', '--host', host], {}), host).toThrow(`not on ${host}`)
      expect(() => parseArgs(['--dev', '--host', host], {}), host).toThrow('--dev-expose')
      expect(parseArgs(['--dev', '--dev-expose', '--host', host], {}), host).toMatchObject({ host, dev: true, devExpose: true })
      expect(parseArgs(['--host', host], {}).host, host).toBe(host)
    }
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) {
      expect(parseArgs(['--dev', '--host', host], {}), host).toMatchObject({ host, dev: true, devExpose: false })
    }
  })

  it('refuses --dev-expose without --dev', () => {
    expect(() => parseArgs(['--dev-expose', '--host', '0.0.0.0'], {})).toThrow('--dev-expose has no effect without --dev')
  })
})

async function encryptedPassword(url: string): Promise<string> {
  const wellKnown = (await (await fetch(`${url}${paths.wellKnown}`)).json()) as { data: { publicKey: string } }
  return publicEncrypt(
    { key: wellKnown.data.publicKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from('correct horse battery'),
  ).toString('base64')
}

interface Child {
  url: string
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
  kill: (signal: NodeJS.Signals) => void
}

/** The environment of a child: the test's own, without the variables the server reads. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, PORT: '', MFA_KEY_FILE: '', MFA_SERVER_KEY: '', SMTP_URL: '', ...extra }
}

/** Starts the bin and resolves once it has printed its URL. */
function launch(args: string[], env: Record<string, string> = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) })
    let stdout = ''
    let stderr = ''
    const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      const line = stdout.split('\n')[0]
      if (stdout.includes('\n')) {
        resolve({ url: JSON.parse(line!).url, stdout: () => stdout, stderr: () => stderr, exit, kill: (s) => child.kill(s) })
      }
    })
    exit.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)))
  })
}

/** Runs the bin to its end. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv({}) })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-cli-'))
  dirs.push(dir)
  return dir
}

describe('mfa-server bin', () => {
  it('prints one JSON line, serves, stops cleanly on SIGTERM and keeps data across a restart', async () => {
    const dataDir = tempDir()
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
    const publicKey = async (url: string) =>
      ((await (await fetch(`${url}${paths.wellKnown}`)).json()) as { data: { publicKey: string } }).data.publicKey
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

  it('stops cleanly on a SIGTERM sent as soon as it has printed its URL', async () => {
    const dataDir = tempDir()
    for (let i = 0; i < 3; i++) {
      const child = await launch(['--port', '0', '--data-dir', dataDir])
      child.kill('SIGTERM')
      expect(await child.exit).toBe(0)
    }
  }, 30_000)

  it('refuses --dev on 0.0.0.0 with exit code 2 and a usage error, before creating anything', async () => {
    const dataDir = join(tempDir(), 'data')
    const result = await run(['--port', '0', '--host', '0.0.0.0', '--data-dir', dataDir, '--dev'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('--dev listens on loopback only')
    expect(result.stderr).toContain('--dev-expose')
    expect(existsSync(dataDir)).toBe(false)
  }, 30_000)

  it('serves --dev on 0.0.0.0 with --dev-expose, after a warning on stderr', async () => {
    const child = await launch(['--port', '0', '--host', '0.0.0.0', '--data-dir', tempDir(), '--dev', '--dev-expose'])
    expect(child.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
    expect(child.stderr()).toMatch(/^WARNING: dev mode is listening on 0\.0\.0\.0 \(--dev-expose\)/)
    expect(child.stderr()).toContain('Never run --dev in production')
    const port = new URL(child.url).port
    expect((await (await fetch(`http://127.0.0.1:${port}${paths.devOutbox}`)).json()).code).toBe(200)
    child.kill('SIGTERM')
    expect(await child.exit).toBe(0)
  }, 30_000)

  it('keeps the key in the file MFA_KEY_FILE or --key-file names (the flag wins), outside the data directory', async () => {
    const dataDir = tempDir()
    const keys = tempDir()
    const fromEnv = join(keys, 'env', 'mfa.key')
    const fromFlag = join(keys, 'flag', 'mfa.key')

    const first = await launch(['--port', '0', '--data-dir', dataDir], { MFA_KEY_FILE: fromEnv })
    first.kill('SIGTERM')
    expect(await first.exit).toBe(0)
    expect(statSync(fromEnv).mode & 0o777).toBe(0o600)
    const envKey = readFileSync(fromEnv, 'utf8')
    expect(envKey.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false)

    const second = await launch(['--port', '0', '--data-dir', dataDir, '--key-file', fromFlag], { MFA_KEY_FILE: fromEnv })
    second.kill('SIGTERM')
    expect(await second.exit).toBe(0)
    expect(statSync(fromFlag).mode & 0o777).toBe(0o600)
    expect(readFileSync(fromFlag, 'utf8')).not.toBe(envKey)
    expect(readFileSync(fromEnv, 'utf8')).toBe(envKey)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false)
  }, 30_000)
})
