import type { Clock } from '../clock'
import {
  createCodeHasher,
  createRsaDecryptor,
  createSecretBox,
  generateRsaKeyPair,
  importSecretBoxKey,
  randomBytes,
  rsaPublicKeyPem,
  type CodeHasher,
  type RsaDecryptor,
  type RsaPrivateJwk,
  secretBoxKeyBytes,
  type SecretBox,
  type SyncCrypto,
} from '../crypto'
import type { Outbox } from '../delivery/outbox'
import type { FaceMatcher } from '../face/matcher'
import { createPhotoUrlPolicy, type PhotoFetcher, type PhotoUrlPolicy } from '../face/photo-url'
import { createUploadStore, type UploadStore } from '../face/uploads'
import type { MessageSender } from '../delivery/types'
import type { Logger, LogFields, LogLevel } from '../logger'
import type { ResolvedConfig } from '../options'
import type { MfaStore } from '../store/types'

interface Keys {
  /** Seals TOTP secrets (AES-256-GCM, AAD = user id + factor). */
  box: SecretBox
  /** Keyed hashes of tokens, recovery codes and one-time codes. */
  hasher: CodeHasher
}

interface RsaKeys {
  decryptor: RsaDecryptor
  publicKeyPem: string
}

export interface ServerContext {
  store: MfaStore
  clock: Clock
  config: ResolvedConfig
  log(level: LogLevel, event: string, fields?: LogFields): void
  senders: { sms?: MessageSender | undefined; email?: MessageSender | undefined }
  outbox: Outbox | null
  keys(): Promise<Keys>
  /** The RSA key pair, generated on first use unless one was configured. */
  rsa(): Promise<RsaKeys>
  /** True once an RSA key exists (configured, or generated for `/.well-known`). */
  hasRsaKey(): boolean
  /** The host's synchronous primitives, where it gave any (already checked). */
  crypto: SyncCrypto
  face: FaceContext
}

interface FaceContext {
  matcher: FaceMatcher | null
  /** Fetches external photos; null when they are refused. */
  fetcher: PhotoFetcher | null
  photoPolicy: PhotoUrlPolicy
  /** Uploaded photos waiting to be used (in memory only). */
  uploads: UploadStore
}

export interface ContextInput {
  store: MfaStore
  clock: Clock
  config: ResolvedConfig
  logger: Logger
  senders: ServerContext['senders']
  outbox: Outbox | null
  encryptionKey: Uint8Array | string | undefined
  rsaPrivateKey: RsaPrivateJwk | undefined
  onRsaKeyGenerated?: ((jwk: RsaPrivateJwk) => void) | undefined
  crypto: SyncCrypto
  faceMatcher: FaceMatcher | null
  photoFetcher: PhotoFetcher | null
}

export function createContext(input: ContextInput): ServerContext {
  const { logger } = input
  let keysPromise: Promise<Keys> | undefined
  let rsaPromise: Promise<RsaKeys> | undefined
  const keyMaterial = input.encryptionKey ?? randomBytes(32)

  const context: ServerContext = {
    store: input.store,
    clock: input.clock,
    config: input.config,
    senders: input.senders,
    outbox: input.outbox,
    log(level, event, fields) {
      try {
        logger.log(level, event, fields)
      } catch {
        // A failing logger must never break a request.
      }
    },
    keys() {
      keysPromise ??= (async () => {
        const material = typeof keyMaterial === 'string' ? keyMaterial : new Uint8Array(keyMaterial)
        const aesKey = await importSecretBoxKey(typeof material === 'string' ? material : new Uint8Array(material))
        const hasher = await createCodeHasher(typeof material === 'string' ? material : new Uint8Array(material), {
          hmac: input.crypto.hmac,
        })
        const { aesGcmDecrypt } = input.crypto
        const raw = aesGcmDecrypt ? secretBoxKeyBytes(typeof material === 'string' ? material : new Uint8Array(material)) : undefined
        return { box: createSecretBox([{ id: 'v1', key: aesKey, raw }], { aesGcmDecrypt }), hasher }
      })()
      return keysPromise
    },
    rsa() {
      rsaPromise ??= (async () => {
        let jwk = input.rsaPrivateKey
        if (!jwk) {
          jwk = (await generateRsaKeyPair()).privateJwk
          input.onRsaKeyGenerated?.(jwk)
        }
        return { decryptor: createRsaDecryptor(jwk), publicKeyPem: await rsaPublicKeyPem(jwk) }
      })()
      return rsaPromise
    },
    hasRsaKey: () => rsaPromise !== undefined || input.rsaPrivateKey !== undefined,
    crypto: input.crypto,
    face: {
      matcher: input.faceMatcher,
      fetcher: input.photoFetcher,
      photoPolicy: createPhotoUrlPolicy({
        allowedOrigins: input.config.face.photoOrigins,
        allowedOriginsOnly: input.config.face.photoOriginsOnly,
        allowLoopback: input.config.face.allowLoopbackPhotos,
        maxBytes: input.config.limits.uploadMaxBytes,
        timeoutMs: input.config.limits.photoFetchTimeoutMs,
      }),
      uploads: createUploadStore(input.config.limits.uploadPendingMaxBytes),
    },
  }
  return context
}
