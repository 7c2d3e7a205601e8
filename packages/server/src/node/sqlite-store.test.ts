import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { describeStoreConformance } from '../store/conformance.testing'
import { SQLITE_MIGRATIONS, SqliteSchemaError, createSqliteStore, migrateSqlite } from './sqlite-store'

const dir = mkdtempSync(join(tmpdir(), 'mfa-kit-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let counter = 0
const nextFile = () => join(dir, `store-${process.pid}-${++counter}.db`)

describeStoreConformance('sqlite store (file)', () => createSqliteStore({ filename: nextFile() }))
describeStoreConformance('sqlite store (:memory:)', () => createSqliteStore({ filename: ':memory:' }))

const T0 = 1_700_000_000_000

describe('sqlite store persistence', () => {
  it('keeps users, authenticators, recovery codes, tokens and counters after reopening the file', async () => {
    const filename = nextFile()
    const first = createSqliteStore({ filename })
    await first.createUser({ id: 'u1', username: 'alice', email: null, phone: null, passwordHash: 'pbkdf2-sha256$1$a$b', createdAt: T0 })
    await first.putPendingTotp({
      id: 'p1',
      userId: 'u1',
      sealedSecret: 'v1.iv.ct',
      recoveryCodeHash: 'rc-1',
      source: 'SELF',
      createdAt: T0,
      expiresAt: T0 + 600_000,
    })
    await first.activatePendingTotp('u1', 'p1', 100, T0)
    await first.advanceTotpStep('u1', 'p1', 101, T0)
    await first.putToken({
      hash: 't1',
      kind: 'access',
      userId: 'u1',
      createdAt: T0,
      expiresAt: T0 + 600_000,
      authenticatedAt: T0,
      method: 'mfa',
    })
    const policy = { threshold: 5, baseLockMs: 30_000, maxLockMs: 3_600_000 }
    await first.beginAttempt('totp:u1', T0, policy)
    await first.beginAttempt('totp:u1', T0, policy)
    await first.close()

    const second = createSqliteStore({ filename })
    try {
      expect(await second.findUserBy('username', 'alice')).toMatchObject({ id: 'u1', passwordHash: 'pbkdf2-sha256$1$a$b' })
      expect(await second.getTotp('u1')).toMatchObject({ id: 'p1', sealedSecret: 'v1.iv.ct', lastStep: 101 })
      // The replay guard survives a restart.
      expect(await second.advanceTotpStep('u1', 'p1', 101, T0)).toEqual({ ok: false, reason: 'replayed' })
      expect(await second.countRecoveryCodes('u1')).toBe(1)
      expect(await second.getToken('t1', T0)).toMatchObject({ userId: 'u1', kind: 'access', method: 'mfa' })
      // VER-04: the failure counter survives a restart.
      expect(await second.getFailureState('totp:u1')).toEqual({ failures: 2, lockouts: 0, lockedUntil: 0 })
    } finally {
      await second.close()
    }
  })

  it('runs migrations once: reopening applies nothing and records each version once', async () => {
    const filename = nextFile()
    const times = [111, 222, 333]
    for (const at of times) {
      const store = createSqliteStore({ filename, now: () => at })
      expect(store.schemaVersion).toBe(SQLITE_MIGRATIONS.at(-1)!.version)
      await store.close()
    }
    const db = new Database(filename, { readonly: true })
    try {
      const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()
      expect(rows).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: 111 })))
    } finally {
      db.close()
    }
  })

  it('applies only the migrations a file is missing', () => {
    const db = new Database(':memory:')
    try {
      const migrations = [
        { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT' },
        { version: 2, name: 'two', sql: 'CREATE TABLE b (y INTEGER) STRICT' },
      ]
      expect(migrateSqlite(db, migrations.slice(0, 1))).toBe(1)
      expect(migrateSqlite(db, migrations)).toBe(2)
      expect(migrateSqlite(db, migrations)).toBe(2)
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all()
      expect(tables).toEqual(['a', 'b', 'schema_migrations'])
    } finally {
      db.close()
    }
  })

  it('rolls a failing migration back completely', () => {
    const db = new Database(':memory:')
    try {
      const broken = [
        { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT' },
        { version: 2, name: 'broken', sql: 'CREATE TABLE b (y INTEGER) STRICT; THIS IS NOT SQL' },
      ]
      expect(() => migrateSqlite(db, broken)).toThrow()
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()
      expect(tables).toEqual([])
    } finally {
      db.close()
    }
  })

  it('refuses a file whose schema is newer than this server', async () => {
    const filename = nextFile()
    await createSqliteStore({ filename }).close()
    const db = new Database(filename)
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'future', 0)
    db.close()
    expect(() => createSqliteStore({ filename })).toThrow(SqliteSchemaError)
  })

  it('leaves the file in WAL mode', async () => {
    const filename = nextFile()
    await createSqliteStore({ filename, busyTimeoutMs: 1234 }).close()
    const db = new Database(filename, { readonly: true })
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      db.close()
    }
  })

  it('commits with synchronous NORMAL unless FULL is asked for', async () => {
    const normal = createSqliteStore({ filename: nextFile() })
    const full = createSqliteStore({ filename: nextFile(), synchronous: 'FULL' })
    expect(normal.synchronous).toBe('NORMAL')
    expect(full.synchronous).toBe('FULL')
    await normal.close()
    await full.close()
  })

  it('enforces foreign keys: no pending binding for a user that does not exist', async () => {
    const store = createSqliteStore({ filename: ':memory:' })
    try {
      await expect(
        store.putPendingTotp({
          id: 'p1',
          userId: 'ghost',
          sealedSecret: 's',
          recoveryCodeHash: 'h',
          source: 'SELF',
          createdAt: T0,
          expiresAt: T0 + 1,
        }),
      ).rejects.toThrow(/FOREIGN KEY/)
    } finally {
      await store.close()
    }
  })

  it('creates a new database file readable by its owner only', async () => {
    const filename = nextFile()
    await createSqliteStore({ filename }).close()
    expect(statSync(filename).mode & 0o777).toBe(0o600)
  })

  it('stores only what it is given: no plaintext appears beyond the sealed and hashed values', async () => {
    const filename = nextFile()
    const store = createSqliteStore({ filename })
    await store.createUser({ id: 'u1', username: 'alice', email: null, phone: null, passwordHash: null, createdAt: T0 })
    await store.putOobCode({ key: 'mfa:sms:+1', codeHash: 'HASHED', userId: 'u1', mfaTokenHash: null, createdAt: T0, expiresAt: T0 + 1 })
    await store.close()
    const db = new Database(filename, { readonly: true })
    try {
      expect(db.prepare('SELECT * FROM oob_codes').all()).toEqual([
        { key: 'mfa:sms:+1', code_hash: 'HASHED', user_id: 'u1', mfa_token_hash: null, created_at: T0, expires_at: T0 + 1 },
      ])
    } finally {
      db.close()
    }
  })

  it('rejects calls after close with a clear error', async () => {
    const store = createSqliteStore({ filename: ':memory:' })
    await store.close()
    await store.close()
    await expect(store.getUser('u1')).rejects.toThrow('The store is closed')
  })

  it('rejects invalid options', () => {
    expect(() => createSqliteStore({ filename: ':memory:', busyTimeoutMs: -1 })).toThrow(RangeError)
    expect(() => createSqliteStore({ filename: ':memory:', synchronous: 'OFF' as 'FULL' })).toThrow(RangeError)
  })
})

/**
 * Several OS processes, each with its own connection to one file, race on the same one-time values.
 * This checks that atomicity comes from SQLite (conditional statements and IMMEDIATE transactions),
 * not from the single-threaded event loop of one process.
 */
describe('sqlite store across processes (REL-02)', () => {
  const storeModule = fileURLToPath(new URL('./sqlite-store.ts', import.meta.url))
  const tsxLoader = fileURLToPath(import.meta.resolve('tsx'))

  /**
   * Starts `workers` processes running `script`, waits until every one has opened the store and
   * printed "ready", then releases them all at once so that their statements really interleave.
   * Each worker's last stdout line is its result.
   */
  async function runWorkers(filename: string, workers: number, script: string): Promise<string[]> {
    const file = join(dir, `worker-${++counter}.mts`)
    writeFileSync(
      file,
      `import { createSqliteStore } from ${JSON.stringify(storeModule)}
       const store = createSqliteStore({ filename: process.argv[2], busyTimeoutMs: 30000 })
       console.log('ready')
       await new Promise((resolve) => process.stdin.once('data', resolve))
       process.stdin.pause()
       ${script}
       await store.close()`,
    )
    const children = Array.from({ length: workers }, () => {
      const child = spawn(process.execPath, ['--import', tsxLoader, file, filename], { stdio: ['pipe', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      const ready = new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.startsWith('ready\n')) resolve()
        })
      })
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
      const done = new Promise<string>((resolve, reject) => {
        child.on('error', reject)
        child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').at(-1)!) : reject(new Error(`worker failed: ${err}`))))
      })
      return { child, ready, done }
    })
    await Promise.all(children.map((c) => c.ready))
    for (const { child } of children) child.stdin.end('go\n')
    return Promise.all(children.map((c) => c.done))
  }

  it('lets each of 2,000 tokens be consumed by exactly one of 4 racing processes', { timeout: 60_000 }, async () => {
    const filename = nextFile()
    const setup = createSqliteStore({ filename, synchronous: 'NORMAL' })
    for (let i = 0; i < 2000; i++) {
      await setup.putToken({
        hash: `t${i}`,
        kind: 'mfa',
        userId: 'u1',
        createdAt: T0,
        expiresAt: T0 + 600_000,
        authenticatedAt: T0,
        method: 'password',
      })
    }
    await setup.close()
    const outputs = await runWorkers(
      filename,
      4,
      `const won = []
       for (let i = 0; i < 2000; i++) if (await store.consumeToken('t' + i, 'mfa', ${T0})) won.push(i)
       console.log(JSON.stringify(won))`,
    )
    const wins = outputs.flatMap((o) => JSON.parse(o) as number[])
    expect(wins).toHaveLength(2000)
    expect(new Set(wins).size).toBe(2000)
  })

  it('accepts each second factor exactly once when 4 processes race to complete it', { timeout: 60_000 }, async () => {
    const filename = nextFile()
    const setup = createSqliteStore({ filename })
    for (let u = 0; u < 200; u++) {
      await setup.createUser({ id: `u${u}`, username: null, email: null, phone: null, passwordHash: null, createdAt: T0 })
      await setup.putPendingTotp({
        id: `p${u}`,
        userId: `u${u}`,
        sealedSecret: 's',
        recoveryCodeHash: `r${u}`,
        source: 'SELF',
        createdAt: T0,
        expiresAt: T0 + 600_000,
      })
      await setup.activatePendingTotp(`u${u}`, `p${u}`, 100, T0)
      await setup.putToken({
        hash: `m${u}`,
        kind: 'mfa',
        userId: `u${u}`,
        createdAt: T0,
        expiresAt: T0 + 600_000,
        authenticatedAt: T0,
        method: 'password',
      })
    }
    await setup.close()
    const outputs = await runWorkers(
      filename,
      4,
      `const policy = { threshold: 5, baseLockMs: 30000, maxLockMs: 3600000 }
       const won = []
       for (let u = 0; u < 200; u++) {
         const result = await store.completeMfa({
           mfaTokenHash: 'm' + u, mfaTokenMaxAttempts: 5, mfaTokenWindowMs: 600000, factorKey: 'factor:otp:u' + u, policy, now: ${T0},
           userId: 'u' + u, totp: { totpId: 'p' + u, step: 101 },
           accessToken: { hash: 'a' + u + '-' + process.pid, kind: 'access', userId: 'u' + u, createdAt: ${T0}, expiresAt: ${T0} + 600000, authenticatedAt: ${T0}, method: 'mfa' },
         })
         if (result.outcome === 'accepted') won.push(u)
       }
       console.log(JSON.stringify(won))`,
    )
    const wins = outputs.flatMap((o) => JSON.parse(o) as number[])
    expect(wins.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, u) => u))
    const check = createSqliteStore({ filename })
    try {
      for (const u of [0, 99, 199]) {
        expect(await check.getUser(`u${u}`)).toMatchObject({ loginsCount: 1 })
        expect((await check.getTotp(`u${u}`))?.lastStep).toBe(101)
      }
    } finally {
      await check.close()
    }
  })

  it('evaluates exactly the threshold number of attempts per key made by 4 racing processes', { timeout: 60_000 }, async () => {
    const filename = nextFile()
    await createSqliteStore({ filename }).close()
    const outputs = await runWorkers(
      filename,
      4,
      `const policy = { threshold: 5, baseLockMs: 30000, maxLockMs: 3600000 }
       let allowed = 0
       for (let key = 0; key < 200; key++) {
         for (let i = 0; i < 3; i++) if ((await store.beginAttempt('totp:u' + key, ${T0}, policy)).allowed) allowed++
       }
       console.log(allowed)`,
    )
    // 4 processes try each of 200 keys 3 times (12 tries per key): exactly 5 per key get through.
    expect(outputs.map(Number).reduce((a, b) => a + b, 0)).toBe(200 * 5)
  })
})
