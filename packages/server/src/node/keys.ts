import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { base64ToBytes, generateSecretBoxKeyMaterial, parseRsaPrivateJwk, serializeRsaPrivateJwk, type RsaPrivateJwk } from '../crypto'

export const SECRET_KEY_FILE = 'secret.key'
export const RSA_KEY_FILE = 'rsa-key.json'

function writeSecretFile(path: string, content: string): void {
  // `wx` never overwrites an existing key; mode 0600 keeps it readable by the owner only.
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' })
  chmodSync(path, 0o600)
}

/**
 * The 32-byte server key: `MFA_SERVER_KEY` (base64) when set, else the key file at `path`, created
 * on first start with mode 0600 (its directory 0700).
 */
export function loadServerKeyFile(path: string, envKey: string | undefined): string {
  if (envKey !== undefined && envKey.trim() !== '') {
    const bytes = base64ToBytes(envKey.trim())
    if (bytes === null || bytes.length !== 32) throw new Error('MFA_SERVER_KEY must be the base64 form of 32 bytes')
    return envKey.trim()
  }
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    writeSecretFile(path, `${generateSecretBoxKeyMaterial()}\n`)
  }
  const key = readFileSync(path, 'utf8').trim()
  const bytes = base64ToBytes(key)
  if (bytes === null || bytes.length !== 32) throw new Error(`${path} does not hold a base64 32-byte key`)
  return key
}

/** {@link loadServerKeyFile} with the key file in the data directory. */
export function loadServerKey(dataDir: string, envKey: string | undefined): string {
  return loadServerKeyFile(join(dataDir, SECRET_KEY_FILE), envKey)
}

/** The persisted RSA private key, or undefined before the first one is generated. */
export function loadRsaKey(dataDir: string): RsaPrivateJwk | undefined {
  const path = join(dataDir, RSA_KEY_FILE)
  if (!existsSync(path)) return undefined
  return parseRsaPrivateJwk(readFileSync(path, 'utf8'))
}

export function saveRsaKey(dataDir: string, jwk: RsaPrivateJwk): void {
  const path = join(dataDir, RSA_KEY_FILE)
  if (!existsSync(path)) writeSecretFile(path, serializeRsaPrivateJwk(jwk))
}
