/**
 * SQLite store for the Node server (better-sqlite3).
 *
 * - WAL journal, foreign keys on, a busy timeout so that several processes can share one file, and
 *   `secure_delete` so that deleted token and code hashes do not linger in free pages.
 * - `synchronous = NORMAL` by default: with WAL every committed write survives a crash or restart
 *   of the process, and the file is never corrupted. Only a power loss or an operating-system crash
 *   can undo the last commits (those not yet written through to the disk), which could bring back
 *   a one-time value consumed in the moments before it. `synchronous: 'FULL'` closes that window at
 *   the cost of an fsync per commit.
 * - The schema is created and upgraded by numbered migrations recorded in `schema_migrations`;
 *   opening a file is idempotent, and a file written by a newer version is refused.
 * - Every one-time consumption and every counter is one conditional statement or one
 *   `BEGIN IMMEDIATE` transaction, so it is atomic across connections and processes, not only
 *   within this event loop. Plain lookups are single SELECTs and take no write lock.
 * - A new database file is created readable by its owner only (mode 0600): it holds password
 *   hashes and sealed secrets.
 */

import { closeSync, existsSync, openSync } from 'node:fs'
import Database from 'better-sqlite3'
import {
  bindContactFields,
  mfaFailure,
  mfaSuccessDecision,
  mfaTokenAttemptsKey,
  nextFailureState,
  nextRateWindow,
  refusedSuccess,
  releaseUnprovenClaim,
  sameHash,
  unbindContactFields,
} from '../store/policy'
import type {
  ActivateTotpResult,
  AdvanceStepResult,
  AttemptResult,
  BindContactResult,
  ContactBinding,
  ContactChannel,
  CreateUserResult,
  FaceRecord,
  FailurePolicy,
  FailureState,
  LoginIdentifier,
  MfaAttemptInput,
  MfaFailureResult,
  MfaStore,
  MfaSuccessInput,
  MfaSuccessResult,
  NewUser,
  OobCodeRecord,
  OobConsumeInput,
  OobConsumeResult,
  PendingTotpRecord,
  PutFaceResult,
  PutPendingTotpResult,
  RateLimitResult,
  RateWindow,
  TokenKind,
  TokenRecord,
  TotpRecord,
  UserRecord,
} from '../store/types'

export interface SqliteMigration {
  version: number
  name: string
  sql: string
}

/** The schema, as an append-only list: never edit a released migration, add a new one. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT UNIQUE,
        email TEXT UNIQUE,
        phone TEXT UNIQUE,
        phone_country_code TEXT,
        nickname TEXT,
        photo TEXT,
        password_hash TEXT,
        mfa_phone TEXT,
        mfa_phone_country_code TEXT,
        mfa_phone_verified INTEGER NOT NULL DEFAULT 0 CHECK (mfa_phone_verified IN (0, 1)),
        mfa_email TEXT,
        mfa_email_verified INTEGER NOT NULL DEFAULT 0 CHECK (mfa_email_verified IN (0, 1)),
        logins_count INTEGER NOT NULL DEFAULT 0,
        last_login_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX users_mfa_phone ON users (mfa_phone) WHERE mfa_phone IS NOT NULL;
      CREATE INDEX users_mfa_email ON users (mfa_email) WHERE mfa_email IS NOT NULL;

      CREATE TABLE totp_authenticators (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        sealed_secret TEXT NOT NULL,
        last_step INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE pending_totp (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        sealed_secret TEXT NOT NULL,
        recovery_code_hash TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('SELF', 'APPLICATION')),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX pending_totp_expires ON pending_totp (expires_at);

      CREATE TABLE recovery_codes (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, code_hash)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE oob_codes (
        key TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL,
        user_id TEXT,
        mfa_token_hash TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX oob_codes_expires ON oob_codes (expires_at);

      CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('mfa', 'access')),
        user_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        authenticated_at INTEGER NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('password', 'mfa', 'register'))
      ) STRICT;
      CREATE INDEX tokens_user_kind ON tokens (user_id, kind);
      CREATE INDEX tokens_expires ON tokens (expires_at);

      CREATE TABLE failure_counters (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        lockouts INTEGER NOT NULL,
        locked_until INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window_start INTEGER NOT NULL,
        window_ms INTEGER NOT NULL,
        count INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'mfaTokens record a phone-code first factor',
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows.
    sql: `
      CREATE TABLE tokens_v2 (
        hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('mfa', 'access')),
        user_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        authenticated_at INTEGER NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('password', 'phone_code', 'mfa', 'register'))
      ) STRICT;
      INSERT INTO tokens_v2 (hash, kind, user_id, created_at, expires_at, authenticated_at, method)
        SELECT hash, kind, user_id, created_at, expires_at, authenticated_at, method FROM tokens;
      DROP TABLE tokens;
      ALTER TABLE tokens_v2 RENAME TO tokens;
      CREATE INDEX tokens_user_kind ON tokens (user_id, kind);
      CREATE INDEX tokens_expires ON tokens (expires_at);
    `,
  },
  {
    version: 3,
    name: 'face authenticators',
    sql: `
      CREATE TABLE face_authenticators (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        sealed_descriptors TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
]

export interface SqliteStoreOptions {
  /** Path of the database file, or `":memory:"` for a private in-memory database. */
  filename: string
  /** How long a statement waits for another connection's write lock. @default 5000 */
  busyTimeoutMs?: number
  /**
   * `NORMAL` (with WAL): a commit survives a crash or restart of the process, and the file is never
   * corrupted; a power loss or an operating-system crash may undo the last commits. `FULL` makes
   * every commit durable before it returns (a consumed code cannot come back even after a power
   * loss), at the cost of an fsync per write. @default 'NORMAL'
   */
  synchronous?: 'FULL' | 'NORMAL'
  /** Clock for migration bookkeeping only. @default Date.now */
  now?: () => number
}

export interface SqliteStore extends MfaStore {
  readonly filename: string
  /** The schema version of the open file. */
  readonly schemaVersion: number
  /** The durability in effect. */
  readonly synchronous: 'FULL' | 'NORMAL'
}

/** Thrown when the database file was written by a newer version of this schema. */
export class SqliteSchemaError extends Error {
  override readonly name = 'SqliteSchemaError'
}

/**
 * Applies the pending migrations in one IMMEDIATE transaction and returns the resulting version.
 * Running it again on an up-to-date database changes nothing.
 */
export function migrateSqlite(
  db: Database.Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
  now: () => number = Date.now,
): number {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0)
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`)
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null }
    const current = row.version ?? 0
    if (current > latest) {
      throw new SqliteSchemaError(
        `The database schema is version ${current}, newer than the version ${latest} this server knows. Upgrade the server.`,
      )
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue
      db.exec(migration.sql)
      record.run(migration.version, migration.name, now())
    }
    return latest
  })
  return run.immediate()
}

interface UserRow {
  id: string
  username: string | null
  email: string | null
  phone: string | null
  phone_country_code: string | null
  nickname: string | null
  photo: string | null
  password_hash: string | null
  mfa_phone: string | null
  mfa_phone_country_code: string | null
  mfa_phone_verified: number
  mfa_email: string | null
  mfa_email_verified: number
  logins_count: number
  last_login_at: number | null
  created_at: number
  updated_at: number
}

interface TotpRow {
  user_id: string
  id: string
  sealed_secret: string
  last_step: number | null
  created_at: number
  updated_at: number
}

interface PendingRow {
  user_id: string
  id: string
  sealed_secret: string
  recovery_code_hash: string
  source: 'SELF' | 'APPLICATION'
  created_at: number
  expires_at: number
}

interface FaceRow {
  user_id: string
  id: string
  sealed_descriptors: string
  created_at: number
}

interface OobRow {
  key: string
  code_hash: string
  user_id: string | null
  mfa_token_hash: string | null
  created_at: number
  expires_at: number
}

interface TokenRow {
  hash: string
  kind: TokenKind
  user_id: string
  created_at: number
  expires_at: number
  authenticated_at: number
  method: TokenRecord['method']
}

interface FailureRow {
  failures: number
  lockouts: number
  locked_until: number
}

interface RateRow {
  window_start: number
  window_ms: number
  count: number
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  email: r.email,
  phone: r.phone,
  phoneCountryCode: r.phone_country_code,
  nickname: r.nickname,
  photo: r.photo,
  passwordHash: r.password_hash,
  mfaPhone: r.mfa_phone,
  mfaPhoneCountryCode: r.mfa_phone_country_code,
  mfaPhoneVerified: r.mfa_phone_verified === 1,
  mfaEmail: r.mfa_email,
  mfaEmailVerified: r.mfa_email_verified === 1,
  loginsCount: r.logins_count,
  lastLoginAt: r.last_login_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const toTotp = (r: TotpRow): TotpRecord => ({
  id: r.id,
  userId: r.user_id,
  sealedSecret: r.sealed_secret,
  lastStep: r.last_step,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const toPending = (r: PendingRow): PendingTotpRecord => ({
  id: r.id,
  userId: r.user_id,
  sealedSecret: r.sealed_secret,
  recoveryCodeHash: r.recovery_code_hash,
  source: r.source,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
})

const toFace = (r: FaceRow): FaceRecord => ({
  id: r.id,
  userId: r.user_id,
  sealedDescriptors: r.sealed_descriptors,
  createdAt: r.created_at,
})

const toOob = (r: OobRow): OobCodeRecord => ({
  key: r.key,
  codeHash: r.code_hash,
  userId: r.user_id,
  mfaTokenHash: r.mfa_token_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
})

const toToken = (r: TokenRow): TokenRecord => ({
  hash: r.hash,
  kind: r.kind,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  authenticatedAt: r.authenticated_at,
  method: r.method,
})

const LOGIN_IDENTIFIERS: readonly LoginIdentifier[] = ['username', 'email', 'phone']

/** Creates the file with owner-only permissions if it does not exist yet. */
function createPrivateFile(filename: string): void {
  if (filename === ':memory:' || filename === '' || filename.startsWith('file:') || existsSync(filename)) return
  try {
    closeSync(openSync(filename, 'wx', 0o600))
  } catch (error) {
    // Another process created it first; SQLite opens it either way.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

/** Opens (creating and migrating as needed) a SQLite store. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { filename } = options
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000
  const synchronous = options.synchronous ?? 'NORMAL'
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError('busyTimeoutMs must be a non-negative integer')
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new RangeError("synchronous must be 'FULL' or 'NORMAL'")

  createPrivateFile(filename)
  const db = new Database(filename)
  let schemaVersion: number
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    if (filename !== ':memory:' && filename !== '') db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${synchronous}`)
    db.pragma('foreign_keys = ON')
    db.pragma('secure_delete = ON')
    db.pragma('trusted_schema = OFF')
    schemaVersion = migrateSqlite(db, SQLITE_MIGRATIONS, options.now)
  } catch (error) {
    db.close()
    throw error
  }

  const sql = {
    insertUser: db.prepare(`INSERT INTO users (
        id, username, email, phone, phone_country_code, nickname, photo, password_hash,
        mfa_phone, mfa_phone_country_code, mfa_email, created_at, updated_at
      ) VALUES (
        @id, @username, @email, @phone, @phoneCountryCode, @nickname, @photo, @passwordHash,
        @mfaPhone, @mfaPhoneCountryCode, @mfaEmail, @createdAt, @createdAt
      )`),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userBy: {
      username: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
      email: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
      phone: db.prepare<[string], UserRow>('SELECT * FROM users WHERE phone = ?'),
    } satisfies Record<LoginIdentifier, unknown>,
    recordLogin: db.prepare('UPDATE users SET logins_count = logins_count + 1, last_login_at = ?, updated_at = ? WHERE id = ?'),
    recordLoginReturning: db.prepare<[number, number, string], UserRow>(
      'UPDATE users SET logins_count = logins_count + 1, last_login_at = ?, updated_at = ? WHERE id = ? RETURNING *',
    ),
    updateContacts: db.prepare(`UPDATE users
        SET phone = @phone, phone_country_code = @phoneCountryCode, email = @email,
            mfa_phone = @mfaPhone, mfa_phone_country_code = @mfaPhoneCountryCode, mfa_phone_verified = @mfaPhoneVerified,
            mfa_email = @mfaEmail, mfa_email_verified = @mfaEmailVerified, updated_at = @updatedAt
        WHERE id = @id`),
    usersClaimingPhone: db.prepare<[{ value: string }], UserRow>('SELECT * FROM users WHERE phone = @value OR mfa_phone = @value'),
    usersClaimingEmail: db.prepare<[{ value: string }], UserRow>('SELECT * FROM users WHERE email = @value OR mfa_email = @value'),
    phoneProven: db.prepare<[{ exceptUserId: string; value: string }], { used: number }>(
      'SELECT EXISTS (SELECT 1 FROM users WHERE id <> @exceptUserId AND mfa_phone = @value AND mfa_phone_verified = 1) AS used',
    ),
    emailProven: db.prepare<[{ exceptUserId: string; value: string }], { used: number }>(
      'SELECT EXISTS (SELECT 1 FROM users WHERE id <> @exceptUserId AND mfa_email = @value AND mfa_email_verified = 1) AS used',
    ),

    totpByUser: db.prepare<[string], TotpRow>('SELECT * FROM totp_authenticators WHERE user_id = ?'),
    pendingByUser: db.prepare<[string], PendingRow>('SELECT * FROM pending_totp WHERE user_id = ?'),
    upsertPending: db.prepare(`INSERT INTO pending_totp
        (user_id, id, sealed_secret, recovery_code_hash, source, created_at, expires_at)
        VALUES (@userId, @id, @sealedSecret, @recoveryCodeHash, @source, @createdAt, @expiresAt)
        ON CONFLICT (user_id) DO UPDATE SET
          id = excluded.id, sealed_secret = excluded.sealed_secret,
          recovery_code_hash = excluded.recovery_code_hash, source = excluded.source,
          created_at = excluded.created_at, expires_at = excluded.expires_at`),
    insertTotp: db.prepare(`INSERT INTO totp_authenticators
        (user_id, id, sealed_secret, last_step, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`),
    deletePending: db.prepare('DELETE FROM pending_totp WHERE user_id = ?'),
    advanceStep: db.prepare<[{ step: number; now: number; userId: string; totpId: string }]>(`UPDATE totp_authenticators
        SET last_step = @step, updated_at = @now
        WHERE user_id = @userId AND id = @totpId AND (last_step IS NULL OR last_step < @step)`),
    totpExists: db.prepare<[string, string], { found: number }>('SELECT 1 AS found FROM totp_authenticators WHERE user_id = ? AND id = ?'),
    deleteTotp: db.prepare('DELETE FROM totp_authenticators WHERE user_id = ?'),

    faceByUser: db.prepare<[string], FaceRow>('SELECT * FROM face_authenticators WHERE user_id = ?'),
    // One conditional INSERT: of any number of concurrent bindings, exactly one creates the row.
    insertFace: db.prepare(`INSERT INTO face_authenticators (user_id, id, sealed_descriptors, created_at)
        SELECT @userId, @id, @sealedDescriptors, @createdAt WHERE EXISTS (SELECT 1 FROM users WHERE id = @userId)
        ON CONFLICT (user_id) DO NOTHING`),
    deleteFace: db.prepare('DELETE FROM face_authenticators WHERE user_id = ?'),

    deleteRecoveryCodes: db.prepare('DELETE FROM recovery_codes WHERE user_id = ?'),
    insertRecoveryCode: db.prepare('INSERT OR IGNORE INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)'),
    deleteRecoveryCode: db.prepare('DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?'),
    countRecoveryCodes: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ?'),

    upsertOob: db.prepare(`INSERT INTO oob_codes (key, code_hash, user_id, mfa_token_hash, created_at, expires_at)
        VALUES (@key, @codeHash, @userId, @mfaTokenHash, @createdAt, @expiresAt)
        ON CONFLICT (key) DO UPDATE SET
          code_hash = excluded.code_hash, user_id = excluded.user_id, mfa_token_hash = excluded.mfa_token_hash,
          created_at = excluded.created_at, expires_at = excluded.expires_at`),
    oobByKey: db.prepare<[string], OobRow>('SELECT * FROM oob_codes WHERE key = ?'),
    deleteOob: db.prepare('DELETE FROM oob_codes WHERE key = ?'),

    upsertToken: db.prepare(`INSERT INTO tokens (hash, kind, user_id, created_at, expires_at, authenticated_at, method)
        VALUES (@hash, @kind, @userId, @createdAt, @expiresAt, @authenticatedAt, @method)
        ON CONFLICT (hash) DO UPDATE SET
          kind = excluded.kind, user_id = excluded.user_id, created_at = excluded.created_at,
          expires_at = excluded.expires_at, authenticated_at = excluded.authenticated_at, method = excluded.method`),
    tokenByHash: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ?'),
    deleteToken: db.prepare('DELETE FROM tokens WHERE hash = ?'),
    deleteExpiredToken: db.prepare('DELETE FROM tokens WHERE hash = ? AND expires_at <= ?'),
    consumeToken: db.prepare<[string, string], TokenRow>('DELETE FROM tokens WHERE hash = ? AND kind = ? RETURNING *'),
    revokeTokens: db.prepare('DELETE FROM tokens WHERE user_id = ? AND kind = ? AND hash IS NOT ?'),
    refreshAuthentication: db.prepare<[number, string, number], TokenRow>(
      "UPDATE tokens SET authenticated_at = ? WHERE hash = ? AND kind = 'access' AND expires_at > ? RETURNING *",
    ),

    failureByKey: db.prepare<[string], FailureRow>('SELECT failures, lockouts, locked_until FROM failure_counters WHERE key = ?'),
    upsertFailure: db.prepare(`INSERT INTO failure_counters (key, failures, lockouts, locked_until) VALUES (?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET
          failures = excluded.failures, lockouts = excluded.lockouts, locked_until = excluded.locked_until`),
    deleteFailure: db.prepare('DELETE FROM failure_counters WHERE key = ?'),

    rateByKey: db.prepare<[string], RateRow>('SELECT window_start, window_ms, count FROM rate_limits WHERE key = ?'),
    upsertRate: db.prepare(`INSERT INTO rate_limits (key, window_start, window_ms, count) VALUES (?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET
          window_start = excluded.window_start, window_ms = excluded.window_ms, count = excluded.count`),

    purgeTokens: db.prepare('DELETE FROM tokens WHERE expires_at <= ?'),
    purgeOob: db.prepare('DELETE FROM oob_codes WHERE expires_at <= ?'),
    purgePending: db.prepare('DELETE FROM pending_totp WHERE expires_at <= ?'),
    purgeRates: db.prepare('DELETE FROM rate_limits WHERE window_start + window_ms <= ?'),
  }

  /** Wraps a function in a BEGIN IMMEDIATE transaction: the write lock is taken before any read. */
  const immediate = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const tx = db.transaction(fn)
    return (...args: A): R => tx.immediate(...args)
  }

  let closed = false
  const ensureOpen = () => {
    if (closed) throw new Error('The store is closed')
  }

  const createUser = immediate((input: NewUser): CreateUserResult => {
    for (const identifier of LOGIN_IDENTIFIERS) {
      const value = input[identifier]
      if (value != null && sql.userBy[identifier].get(value)) return { ok: false, conflict: identifier }
    }
    if (sql.userById.get(input.id)) throw new Error('Duplicate user id')
    sql.insertUser.run({
      id: input.id,
      username: input.username,
      email: input.email,
      phone: input.phone,
      phoneCountryCode: input.phoneCountryCode ?? null,
      nickname: input.nickname ?? null,
      photo: input.photo ?? null,
      passwordHash: input.passwordHash,
      mfaPhone: input.mfaPhone ?? null,
      mfaPhoneCountryCode: input.mfaPhoneCountryCode ?? null,
      mfaEmail: input.mfaEmail ?? null,
      createdAt: input.createdAt,
    })
    return { ok: true, user: toUser(sql.userById.get(input.id)!) }
  })

  /** Writes the contact fields of a user record back. */
  const saveContacts = (user: UserRecord) =>
    sql.updateContacts.run({
      ...user,
      mfaPhoneVerified: user.mfaPhoneVerified ? 1 : 0,
      mfaEmailVerified: user.mfaEmailVerified ? 1 : 0,
    })

  const bindContact = immediate((userId: string, binding: ContactBinding): BindContactResult => {
    const row = sql.userById.get(userId)
    if (!row) return { ok: false, reason: 'no_user' }
    const user = toUser(row)
    const { channel, value } = binding
    if (bindContactFields(user, { ...binding, useForLogin: false, loginTakenElsewhere: false }) === null) {
      return { ok: false, reason: 'already_bound' }
    }
    const claiming = channel === 'sms' ? sql.usersClaimingPhone : sql.usersClaimingEmail
    for (const otherRow of claiming.all({ value })) {
      if (otherRow.id === userId) continue
      const released = releaseUnprovenClaim(toUser(otherRow), channel, value)
      if (released) saveContacts({ ...released, updatedAt: binding.now })
    }
    const loginOwner = channel === 'sms' ? sql.userBy.phone.get(value) : undefined
    const bound = bindContactFields(user, {
      ...binding,
      useForLogin: binding.useForLogin === true,
      loginTakenElsewhere: loginOwner !== undefined && loginOwner.id !== userId,
    })!
    saveContacts(bound)
    return { ok: true, user: bound }
  })

  const unbindContact = immediate((userId: string, channel: ContactChannel, now: number): UserRecord | null => {
    const row = sql.userById.get(userId)
    if (!row) return null
    const unbound = unbindContactFields(toUser(row), channel, now)
    saveContacts(unbound)
    return unbound
  })

  const replaceRecoveryCodes = immediate((userId: string, codeHash: string, now: number): boolean => {
    if (!sql.totpByUser.get(userId)) return false
    sql.deleteRecoveryCodes.run(userId)
    sql.insertRecoveryCode.run(userId, codeHash, now)
    return true
  })

  const putPendingTotp = immediate((pending: PendingTotpRecord): PutPendingTotpResult => {
    if (sql.totpByUser.get(pending.userId)) return { ok: false, reason: 'already_bound' }
    sql.upsertPending.run(pending)
    return { ok: true }
  })

  const activatePendingTotp = immediate((userId: string, pendingId: string, step: number, now: number): ActivateTotpResult => {
    const pending = sql.pendingByUser.get(userId)
    if (!pending || pending.id !== pendingId) return { ok: false, reason: 'no_pending' }
    if (sql.totpByUser.get(userId)) return { ok: false, reason: 'already_bound' }
    if (pending.expires_at <= now) return { ok: false, reason: 'expired' }
    sql.insertTotp.run(userId, pending.id, pending.sealed_secret, step, now, now)
    sql.deletePending.run(userId)
    sql.deleteRecoveryCodes.run(userId)
    sql.insertRecoveryCode.run(userId, pending.recovery_code_hash, now)
    return { ok: true, totp: toTotp(sql.totpByUser.get(userId)!) }
  })

  const advanceTotpStep = immediate((userId: string, totpId: string, step: number, now: number): AdvanceStepResult => {
    // One conditional UPDATE is the compare-and-set: the step only ever moves forward.
    if (sql.advanceStep.run({ step, now, userId, totpId }).changes === 1) return { ok: true }
    return { ok: false, reason: sql.totpExists.get(userId, totpId) ? 'replayed' : 'not_bound' }
  })

  const deleteTotp = immediate((userId: string): boolean => {
    const had = sql.deleteTotp.run(userId).changes > 0
    const hadPending = sql.deletePending.run(userId).changes > 0
    sql.deleteRecoveryCodes.run(userId)
    return had || hadPending
  })

  const consumeRecoveryCode = immediate((userId: string, codeHash: string, replacementHash: string, now: number): boolean => {
    if (!sql.totpByUser.get(userId)) return false
    if (sql.deleteRecoveryCode.run(userId, codeHash).changes !== 1) return false
    sql.insertRecoveryCode.run(userId, replacementHash, now)
    return true
  })

  const consumeOobCode = immediate((input: OobConsumeInput): OobConsumeResult => {
    const row = sql.oobByKey.get(input.key)
    if (!row) return { ok: false, reason: 'missing' }
    const matches =
      sameHash(row.code_hash, input.codeHash) &&
      (row.user_id === null || row.user_id === input.userId) &&
      (row.mfa_token_hash === null || row.mfa_token_hash === input.mfaTokenHash)
    if (!matches) return { ok: false, reason: 'mismatch' }
    // An expired code stays until purged, so that retrying it gets the same answer.
    if (row.expires_at <= input.now) return { ok: false, reason: 'expired' }
    sql.deleteOob.run(input.key)
    return { ok: true, record: toOob(row) }
  })

  // A plain read, without a transaction or the write lock. Deleting an expired token on the way is
  // housekeeping only (purgeExpired does it too), so it needs no atomicity with the read.
  const getToken = (hash: string, now: number): TokenRecord | null => {
    const row = sql.tokenByHash.get(hash)
    if (!row) return null
    if (row.expires_at <= now) {
      sql.deleteExpiredToken.run(hash, now)
      return null
    }
    return toToken(row)
  }

  const loadFailure = (key: string): FailureState | null => {
    const row = sql.failureByKey.get(key)
    return row ? { failures: row.failures, lockouts: row.lockouts, lockedUntil: row.locked_until } : null
  }
  const saveFailure = (key: string, state: FailureState) => sql.upsertFailure.run(key, state.failures, state.lockouts, state.lockedUntil)
  const loadWindow = (key: string): RateWindow | null => {
    const row = sql.rateByKey.get(key)
    return row ? { windowStart: row.window_start, windowMs: row.window_ms, count: row.count } : null
  }
  const saveWindow = (key: string, window: RateWindow) => sql.upsertRate.run(key, window.windowStart, window.windowMs, window.count)

  /** The body of {@link MfaStore.beginAttempt}; run it inside a write transaction. */
  const begin = (key: string, now: number, policy: FailurePolicy): AttemptResult => {
    const { result, save } = nextFailureState(loadFailure(key), now, policy)
    if (save) saveFailure(key, save)
    return result
  }
  const beginAttempt = immediate(begin)

  const hitRateLimit = immediate((key: string, now: number, limit: number, windowMs: number): RateLimitResult => {
    const { result, save } = nextRateWindow(loadWindow(key), now, limit, windowMs)
    if (save) saveWindow(key, save)
    return result
  })

  /** The body of {@link MfaStore.recordMfaFailure}; run it inside a write transaction. */
  const recordFailure = (input: MfaAttemptInput): MfaFailureResult => {
    const attemptsKey = mfaTokenAttemptsKey(input.mfaTokenHash)
    const token = sql.tokenByHash.get(input.mfaTokenHash)
    const change = mfaFailure(input, {
      token: token ? toToken(token) : null,
      tokenAttempts: loadWindow(attemptsKey),
      factor: loadFailure(input.factorKey),
    })
    if (change.deleteToken) sql.deleteToken.run(input.mfaTokenHash)
    if (change.tokenAttempts) saveWindow(attemptsKey, change.tokenAttempts)
    if (change.factor) saveFailure(input.factorKey, change.factor)
    return change.result
  }
  const recordMfaFailure = immediate(recordFailure)

  const completeMfaTransaction = db.transaction((input: MfaSuccessInput): MfaSuccessResult => {
    const { userId, now } = input
    const token = sql.tokenByHash.get(input.mfaTokenHash)
    const totp = sql.totpByUser.get(userId)
    const user = sql.userById.get(userId)
    const decision = mfaSuccessDecision(input, {
      token: token ? toToken(token) : null,
      tokenAttempts: loadWindow(mfaTokenAttemptsKey(input.mfaTokenHash)),
      factor: loadFailure(input.factorKey),
      totp: totp ? toTotp(totp) : null,
      user: user ? toUser(user) : null,
    })
    if (decision === 'token_invalid') return { outcome: 'token_invalid' }
    if (decision === 'refuse') return refusedSuccess(recordFailure(input))
    if (input.totp) sql.advanceStep.run({ step: input.totp.step, now, userId, totpId: input.totp.totpId })
    const counted = sql.recordLoginReturning.get(now, now, userId)!
    sql.deleteToken.run(input.mfaTokenHash)
    sql.deleteFailure.run(input.factorKey)
    sql.upsertToken.run(input.accessToken)
    return { outcome: 'accepted', user: toUser(counted) }
  })
  const completeMfa = (input: MfaSuccessInput): MfaSuccessResult => completeMfaTransaction.immediate(input)

  const purgeExpired = immediate((now: number): void => {
    sql.purgeTokens.run(now)
    sql.purgeOob.run(now)
    sql.purgePending.run(now)
    sql.purgeRates.run(now)
  })

  /** A store method: refused once the store is closed, asynchronous like every adapter's. */
  const method =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    async (...args: A): Promise<R> => {
      ensureOpen()
      return fn(...args)
    }

  const store: SqliteStore = {
    filename,
    schemaVersion,
    synchronous: db.pragma('synchronous', { simple: true }) === 2 ? 'FULL' : 'NORMAL',

    createUser: method(createUser),
    getUser: method((id: string) => {
      const row = sql.userById.get(id)
      return row ? toUser(row) : null
    }),
    findUserBy: method((identifier: LoginIdentifier, value: string) => {
      const statement = sql.userBy[identifier]
      if (!statement) throw new RangeError('unknown login identifier')
      const row = statement.get(value)
      return row ? toUser(row) : null
    }),
    recordLogin: method((userId: string, now: number) => {
      sql.recordLogin.run(now, now, userId)
    }),
    bindContact: method(bindContact),
    unbindContact: method(unbindContact),
    isContactInUse: method((channel: ContactChannel, value: string, exceptUserId: string) => {
      const statement = channel === 'sms' ? sql.phoneProven : sql.emailProven
      return statement.get({ exceptUserId, value })!.used === 1
    }),

    getTotp: method((userId: string) => {
      const row = sql.totpByUser.get(userId)
      return row ? toTotp(row) : null
    }),
    getPendingTotp: method((userId: string) => {
      const row = sql.pendingByUser.get(userId)
      return row ? toPending(row) : null
    }),
    putPendingTotp: method(putPendingTotp),
    activatePendingTotp: method(activatePendingTotp),
    advanceTotpStep: method(advanceTotpStep),
    deleteTotp: method(deleteTotp),

    getFace: method((userId: string) => {
      const row = sql.faceByUser.get(userId)
      return row ? toFace(row) : null
    }),
    putFace: method((record: FaceRecord): PutFaceResult => {
      if (sql.insertFace.run(record).changes === 1) return { ok: true }
      return { ok: false, reason: sql.userById.get(record.userId) ? 'already_bound' : 'no_user' }
    }),
    deleteFace: method((userId: string) => sql.deleteFace.run(userId).changes > 0),

    consumeRecoveryCode: method(consumeRecoveryCode),
    replaceRecoveryCodes: method(replaceRecoveryCodes),
    countRecoveryCodes: method((userId: string) => sql.countRecoveryCodes.get(userId)!.n),

    putOobCode: method((record: OobCodeRecord) => {
      sql.upsertOob.run(record)
    }),
    consumeOobCode: method(consumeOobCode),

    putToken: method((record: TokenRecord) => {
      sql.upsertToken.run(record)
    }),
    getToken: method(getToken),
    consumeToken: method((hash: string, kind: TokenKind, now: number) => {
      // One DELETE … RETURNING: of any number of concurrent callers, exactly one gets the row.
      const row = sql.consumeToken.get(hash, kind)
      if (!row || row.expires_at <= now) return null
      return toToken(row)
    }),
    refreshAuthentication: method((hash: string, now: number) => {
      const row = sql.refreshAuthentication.get(now, hash, now)
      return row ? toToken(row) : null
    }),
    revokeTokens: method(
      (userId: string, kind: TokenKind, keepHash: string | null = null) => sql.revokeTokens.run(userId, kind, keepHash).changes,
    ),

    beginAttempt: method(beginAttempt),
    resetFailures: method((key: string) => {
      sql.deleteFailure.run(key)
    }),
    getFailureState: method(loadFailure),
    hitRateLimit: method(hitRateLimit),
    getRateWindow: method(loadWindow),

    recordMfaFailure: method(recordMfaFailure),
    completeMfa: method(completeMfa),

    purgeExpired: method(purgeExpired),
    async close() {
      if (closed) return
      closed = true
      db.close()
    },
  }
  return store
}
