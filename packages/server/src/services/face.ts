/**
 * Face factor: photo uploads, binding (associate), verification and unbinding.
 *
 * - Photos come from `POST /api/v2/upload` (kept in memory, used once, wiped) or, for a binding
 *   with `isExternal`, from a URL fetched under the SSRF policy (see `face/photo-url.ts`).
 * - A photo must show exactly one face. A binding needs two photos of the same face, each face
 *   confirmed by a second detector; both descriptors are sealed together (AES-256-GCM, AAD = user
 *   id + factor). No photo is ever stored, and the photo bytes are wiped once analysed.
 * - Verification compares the photo with both bound descriptors; the closer one decides. Outcomes
 *   go through the same atomic store path as TOTP (see `second-factor.ts`), with the biometric
 *   failure policy (FACE-02) and a session that is not a recent authentication.
 * - Face never stands alone (FACE-03): binding needs a possession factor (TOTP, or a proven phone
 *   or email), the last of those cannot be removed while a face is bound, a sign-in never offers
 *   face without one, and a face sign-in cannot change factors before re-verifying.
 */

import { paths, type UploadResult, type User } from '@mfa-kit/protocol'
import { bytesToHex, randomBytes, SecretBoxError } from '../crypto'
import { inspectImage, type ImageInfo } from '../face/image'
import { FaceImageError, FaceMatcherBusyError, type FaceMatcher } from '../face/matcher'
import { PhotoFetchError } from '../face/photo-url'
import { UPLOAD_KEY_PATTERN } from '../face/uploads'
import type { ClientInfo } from '../http/client'
import { discardBody, readBodyBytes } from '../http/body'
import { ApiError, errors } from '../http/errors'
import { isLocked, isRateWindowFull, mfaTokenAttemptsKey } from '../store/policy'
import type { UserRecord } from '../store/types'
import type { ServerContext } from './context'
import { notifyUser } from './notify'
import { secondFactorFailed, secondFactorPassed } from './second-factor'
import { factorFailureKey } from './throttle'
import { findCredential, requireRecentAuthentication, spendMfaTokenAttempt, tokenFromHeader, type Credential } from './tokens'
import { completeSignIn, firstFactorOf, hasPossessionFactor, loadBoundFactors, mayBindDuringSignIn, signInFactors, userView } from './users'

const FACTOR = 'face'
const FACTOR_LABEL = 'Face verification'
const HOUR = 3_600_000
/** Room for the multipart boundaries and part headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024

function requireMatcher(ctx: ServerContext): FaceMatcher {
  if (!ctx.face.matcher) throw errors.factorDisabled('FACE')
  return ctx.face.matcher
}

async function loadUser(ctx: ServerContext, credential: Credential): Promise<UserRecord> {
  const user = await ctx.store.getUser(credential.record.userId)
  if (!user) throw credential.record.kind === 'mfa' ? errors.mfaTokenInvalid() : errors.loginExpired()
  return user
}

const invalidImage = (ctx: ServerContext) => errors.invalidImage(ctx.config.limits.uploadMaxBytes, ctx.config.limits.photoMaxDimension)

/** Format and size of a photo's header, within the dimension cap; null otherwise. */
function checkedImage(ctx: ServerContext, bytes: Uint8Array): ImageInfo | null {
  const info = inspectImage(bytes)
  const max = ctx.config.limits.photoMaxDimension
  return info !== null && info.width <= max && info.height <= max ? info : null
}

// ---- uploads -----------------------------------------------------------------------------------

async function throttleUploads(ctx: ServerContext, client: ClientInfo): Promise<void> {
  const { limits } = ctx.config
  const now = ctx.clock.now()
  const windows: Array<[string, number]> = [['upload:all', limits.uploadsPerHour]]
  if (client.clientAddress !== null) windows.unshift([`upload:client:${client.clientAddress}`, limits.uploadsPerClientPerHour])
  for (const [key, limit] of windows) {
    const result = await ctx.store.hitRateLimit(key, now, limit, HOUR)
    if (!result.allowed) {
      ctx.log('warn', 'upload.limited', { scope: key === 'upload:all' ? 'all' : 'client' })
      throw errors.quotaExceeded(result.retryAfterMs)
    }
  }
}

/**
 * `POST /api/v2/upload`: a photo in the multipart field `file`, checked (size, magic bytes,
 * declared dimensions) and kept for a short time. With a token in the request, only that token can
 * use it; without one (authing-js-sdk and Guard send none) its random key is the only way to it.
 */
export async function uploadPhoto(ctx: ServerContext, request: Request, client: ClientInfo): Promise<UploadResult> {
  let owner: string | null = null
  const contentType = request.headers.get('content-type') ?? ''
  try {
    if (tokenFromHeader(request) !== null) {
      const credential = await findCredential(ctx, request)
      if (!credential) throw errors.loginExpired()
      owner = credential.hash
    }
    if (!/^multipart\/form-data\s*;/i.test(contentType)) throw errors.notMultipart()
    await throttleUploads(ctx, client)
  } catch (error) {
    // Refused before reading: let go of the body at once.
    discardBody(request)
    throw error
  }

  const { uploadMaxBytes, uploadTtlMs } = ctx.config.limits
  let body: Uint8Array
  try {
    body = await readBodyBytes(request, uploadMaxBytes + MULTIPART_OVERHEAD)
  } catch (error) {
    throw error instanceof ApiError && error.httpStatus === 413 ? errors.payloadTooLarge(uploadMaxBytes) : error
  }
  let file: FormDataEntryValue | null
  try {
    file = (await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData()).get('file')
  } catch {
    throw errors.badRequest('The upload is not valid multipart/form-data')
  } finally {
    body.fill(0)
  }
  if (!(file instanceof Blob)) throw errors.badRequest('Missing field: file')
  if (file.size > uploadMaxBytes) throw errors.payloadTooLarge(uploadMaxBytes)
  const bytes = new Uint8Array(await file.arrayBuffer())
  const info = checkedImage(ctx, bytes)
  if (info === null) {
    bytes.fill(0)
    throw invalidImage(ctx)
  }
  const stored = ctx.face.uploads.put({ bytes, info, owner, now: ctx.clock.now(), ttlMs: uploadTtlMs })
  if (!stored.ok) {
    bytes.fill(0)
    ctx.log('warn', 'upload.memory_full', { pendingBytes: ctx.face.uploads.pendingBytes })
    throw errors.quotaExceeded(stored.retryAfterMs)
  }
  ctx.log('info', 'upload.stored', { format: info.format, bytes: bytes.byteLength, anonymous: owner === null })
  return { key: stored.key, url: new URL(`${paths.upload}/${stored.key}`, request.url).href }
}

/** The upload key a photo field names: the key itself, or the `url` the upload answered. */
function uploadKeyOf(ref: string): string | null {
  if (UPLOAD_KEY_PATTERN.test(ref)) return ref
  try {
    const { pathname } = new URL(ref)
    const key = pathname.startsWith(`${paths.upload}/`) ? pathname.slice(paths.upload.length + 1) : ''
    return UPLOAD_KEY_PATTERN.test(key) ? key : null
  } catch {
    return null
  }
}

/** A photo to analyse, and the error that answers a photo the matcher cannot read. */
interface Photo {
  bytes: Uint8Array
  unreadable: () => ApiError
}

/** Takes an uploaded photo (it is used up whatever follows). */
function takeUpload(ctx: ServerContext, ref: string, credential: Credential): Photo {
  const key = uploadKeyOf(ref)
  const upload = key === null ? null : ctx.face.uploads.take(key, credential.hash, ctx.clock.now())
  if (!upload) throw errors.photoNotFound()
  return { bytes: upload.bytes, unreadable: () => invalidImage(ctx) }
}

/** Fetches an external photo. Every failure gives the same answer (SSRF-06); the reason goes to the log only. */
async function fetchPhoto(ctx: ServerContext, ref: string, userId: string): Promise<Photo> {
  const { fetcher, photoPolicy } = ctx.face
  const url = fetcher ? photoPolicy.checkUrl(ref) : null
  let bytes: Uint8Array | null = null
  try {
    if (!fetcher || !url) throw new PhotoFetchError('url_refused')
    bytes = await fetcher.fetch(url, photoPolicy)
    if (checkedImage(ctx, bytes) === null) throw new PhotoFetchError('content_type')
    return { bytes, unreadable: errors.photoUnavailable }
  } catch (error) {
    bytes?.fill(0)
    const reason = error instanceof PhotoFetchError ? error.reason : 'connect_failed'
    ctx.log('info', 'face.photo_fetch_failed', { userId, reason })
    throw errors.photoUnavailable()
  }
}

// ---- analysis ----------------------------------------------------------------------------------

/** The one face of a photo, described; wipes the photo. */
async function describeFace(ctx: ServerContext, matcher: FaceMatcher, photo: Photo, confirm: boolean): Promise<Float32Array> {
  let analysis: Awaited<ReturnType<FaceMatcher['analyze']>>
  try {
    analysis = await matcher.analyze(photo.bytes, { confirm, maxDimension: ctx.config.limits.photoMaxDimension })
  } catch (error) {
    if (error instanceof FaceImageError) throw photo.unreadable()
    if (error instanceof FaceMatcherBusyError) throw errors.quotaExceeded(1000)
    throw error
  } finally {
    photo.bytes.fill(0)
  }
  if (analysis.faces === 0) throw errors.faceNotDetected()
  if (analysis.faces > 1) throw errors.multipleFaces()
  if (!analysis.descriptor || analysis.descriptor.length === 0) throw new Error('the face matcher found a face without a descriptor')
  return analysis.descriptor
}

/** Both descriptors as one little-endian float32 array, for sealing. */
function packDescriptors(descriptors: readonly Float32Array[]): Uint8Array {
  const length = descriptors[0]!.length
  const bytes = new Uint8Array(descriptors.length * length * 4)
  const view = new DataView(bytes.buffer)
  for (const [d, descriptor] of descriptors.entries()) {
    for (const [i, value] of descriptor.entries()) view.setFloat32((d * length + i) * 4, value, true)
  }
  return bytes
}

function unpackDescriptors(bytes: Uint8Array): [Float32Array, Float32Array] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = bytes.byteLength / 8
  const read = (d: number) => Float32Array.from({ length }, (_, i) => view.getFloat32((d * length + i) * 4, true))
  return [read(0), read(1)]
}

async function openDescriptors(ctx: ServerContext, userId: string, sealed: string): Promise<[Float32Array, Float32Array]> {
  const { box } = await ctx.keys()
  let bytes: Uint8Array
  try {
    bytes = await box.open(sealed, { userId, factor: FACTOR })
  } catch (error) {
    ctx.log('error', 'secret.unreadable', { userId, factor: FACTOR, reason: error instanceof SecretBoxError ? error.reason : 'unknown' })
    throw errors.secretUnreadable()
  }
  try {
    return unpackDescriptors(bytes)
  } finally {
    bytes.fill(0)
  }
}

// ---- binding -----------------------------------------------------------------------------------

export interface FaceBindingInput {
  photoA: string
  photoB: string
  /** The photos are URLs to fetch (`isExternal`, Guard's `isExternalPhoto`); keys still name uploads. */
  external: boolean
}

/**
 * Binds a face from two photos of it. With an mfaToken (APPLICATION, during sign-in) only under
 * the rule of who may bind then, and the binding finishes the sign-in; with an access token (SELF)
 * the authentication must be recent. Either way the account must already have a possession factor.
 */
export async function associateFace(ctx: ServerContext, credential: Credential, input: FaceBindingInput): Promise<User> {
  const matcher = requireMatcher(ctx)
  const user = await loadUser(ctx, credential)
  const bound = await loadBoundFactors(ctx, user.id)
  const source = credential.record.kind === 'mfa' ? 'APPLICATION' : 'SELF'
  if (source === 'APPLICATION') {
    if (ctx.config.factors.length > 0 && !ctx.config.factors.includes('FACE')) throw errors.factorDisabled('FACE')
    await spendMfaTokenAttempt(ctx, credential)
    if (!mayBindDuringSignIn(ctx, user, bound, firstFactorOf(credential.record))) throw errors.enrollmentNeedsSignIn()
  } else {
    requireRecentAuthentication(ctx, credential)
  }
  if (bound.face !== null) throw errors.alreadyBound('Face')
  if (!hasPossessionFactor(user, bound.totp !== null)) throw errors.faceNeedsAnotherFactor()
  const attempt = await ctx.store.hitRateLimit(`face:bind:${user.id}`, ctx.clock.now(), ctx.config.limits.faceBindingsPerUserPerHour, HOUR)
  if (!attempt.allowed) throw errors.quotaExceeded(attempt.retryAfterMs)

  // authing-js-sdk sends one key twice when it has one photo: it is analysed once.
  const refs = input.photoA === input.photoB ? [input.photoA] : [input.photoA, input.photoB]
  const photos: Photo[] = []
  const descriptors: Float32Array[] = []
  try {
    for (const ref of refs) {
      photos.push(uploadKeyOf(ref) === null && input.external ? await fetchPhoto(ctx, ref, user.id) : takeUpload(ctx, ref, credential))
    }
    for (const photo of photos) descriptors.push(await describeFace(ctx, matcher, photo, true))
  } finally {
    for (const photo of photos) photo.bytes.fill(0)
  }
  if (descriptors.length === 1) descriptors.push(descriptors[0]!)
  const [a, b] = descriptors as [Float32Array, Float32Array]
  const distance = matcher.distance(a, b)
  if (!(distance <= ctx.config.face.threshold)) {
    ctx.log('info', 'face.binding_mismatch', { userId: user.id })
    throw errors.facesDiffer()
  }

  const { box } = await ctx.keys()
  const packed = packDescriptors([a, b])
  const sealedDescriptors = await box.seal(packed, { userId: user.id, factor: FACTOR })
  packed.fill(0)
  a.fill(0)
  b.fill(0)
  const now = ctx.clock.now()
  const stored = await ctx.store.putFace({ id: bytesToHex(randomBytes(12)), userId: user.id, sealedDescriptors, createdAt: now })
  if (!stored.ok) throw stored.reason === 'already_bound' ? errors.alreadyBound('Face') : errors.loginExpired()
  await ctx.store.resetFailures(factorFailureKey(user.id, FACTOR))
  const revoked = await ctx.store.revokeTokens(user.id, 'access', credential.record.kind === 'access' ? credential.hash : null)
  ctx.log('info', 'factor.bound', { userId: user.id, factor: FACTOR, source, revokedSessions: revoked })
  await notifyUser(ctx, user, 'factor_bound', FACTOR_LABEL)

  if (source === 'APPLICATION') {
    const consumed = await ctx.store.consumeToken(credential.hash, 'mfa', now)
    if (!consumed) throw errors.mfaTokenInvalid()
    return completeSignIn(ctx, user, 'mfa', { recent: false })
  }
  return userView(ctx, (await ctx.store.getUser(user.id)) ?? user)
}

// ---- verification ------------------------------------------------------------------------------

/**
 * Second factor with a face: the photo (an upload of this mfaToken, or one made without a token)
 * must show one face within the threshold of a bound descriptor. Photos without exactly one face
 * spend an attempt of the mfaToken but are not counted as failed comparisons.
 */
export async function verifyFace(ctx: ServerContext, credential: Credential, photoRef: string): Promise<User> {
  const matcher = requireMatcher(ctx)
  const user = await loadUser(ctx, credential)
  const bound = await loadBoundFactors(ctx, user.id)
  const face = await ctx.store.getFace(user.id)
  const refuse = async (error: ApiError): Promise<never> => {
    await spendMfaTokenAttempt(ctx, credential)
    throw error
  }
  if (!face) return refuse(errors.notBound('Face'))
  if (bound.face === 'turned_off') return refuse(errors.faceTurnedOff())
  if (!signInFactors(ctx, user, bound, firstFactorOf(credential.record)).ready.includes('FACE'))
    return refuse(errors.factorDisabled('FACE'))

  const failed = () =>
    secondFactorFailed(ctx, credential, user.id, FACTOR, errors.faceMismatch, async () => {
      ctx.log('warn', 'face.turned_off', { userId: user.id })
      await notifyUser(ctx, user, 'factor_turned_off', FACTOR_LABEL)
    })
  // While locked, or with the mfaToken's attempts used up, refuse before any analysis: it costs
  // the attempt, not the CPU.
  const now = ctx.clock.now()
  const attempts = await ctx.store.getRateWindow(mfaTokenAttemptsKey(credential.hash))
  if (isRateWindowFull(attempts, now, ctx.config.limits.mfaTokenMaxAttempts)) await spendMfaTokenAttempt(ctx, credential)
  const failures = await ctx.store.getFailureState(factorFailureKey(user.id, FACTOR))
  if (isLocked(failures, now)) throw await failed()

  let descriptor: Float32Array
  try {
    descriptor = await describeFace(ctx, matcher, takeUpload(ctx, photoRef, credential), false)
  } catch (error) {
    if (error instanceof ApiError) return refuse(error)
    throw error
  }
  const [a, b] = await openDescriptors(ctx, user.id, face.sealedDescriptors)
  const distance = Math.min(matcher.distance(descriptor, a), matcher.distance(descriptor, b))
  for (const values of [descriptor, a, b]) values.fill(0)
  if (!(distance <= ctx.config.face.threshold)) throw await failed()
  return secondFactorPassed(ctx, credential, user, FACTOR)
}

// ---- unbinding ---------------------------------------------------------------------------------

/** Removes the face of a signed-in user (recent authentication) and clears its failures. */
export async function unbindFace(ctx: ServerContext, credential: Credential): Promise<void> {
  const user = await loadUser(ctx, credential)
  requireRecentAuthentication(ctx, credential)
  if (!(await ctx.store.deleteFace(user.id))) throw errors.notBound('Face')
  await ctx.store.resetFailures(factorFailureKey(user.id, FACTOR))
  ctx.log('info', 'factor.unbound', { userId: user.id, factor: FACTOR })
  await notifyUser(ctx, user, 'factor_unbound', FACTOR_LABEL)
}

/**
 * Refuses a change that would leave a bound face as the account's only second factor (FACE-03):
 * `after` is the account as the change would leave it, `totpAfter` whether TOTP would stay bound.
 */
export async function keepFaceCompanion(ctx: ServerContext, after: UserRecord, totpAfter: boolean): Promise<void> {
  if (hasPossessionFactor(after, totpAfter)) return
  if (await ctx.store.getFace(after.id)) throw errors.lastFactorBesideFace()
}
