/**
 * Face: photo uploads (with progress), and binding a face from URLs, from photos, or from a file
 * the user picks. Loaded on the first such call, so pages without face never download it.
 */
import { paths, type UploadResult, type User } from '@mfa-kit/protocol'
import { isObject, type ClientContext } from './context'
import { MfaError } from './errors'
import type {
  AssociateFaceByBlobOptions,
  AssociateFaceByLocalFileOptions,
  AssociateFaceByUrlOptions,
  CallOptions,
  FetchFunction,
  UploadFaceOptions,
  UploadProgress,
} from './types'

/** The query authing-js-sdk sends with its uploads. */
const UPLOAD_QUERY = { folder: 'face-photo', private: 'true' }
/** The file name authing-js-sdk gives every photo; the user's own file name never leaves the page. */
const FILE_NAME = 'personal.jpeg'
/** The formats the reference server reads. */
const ACCEPT = 'image/jpeg,image/png,image/webp'

const encoder = new TextEncoder()

/** A multipart body for one photo. */
interface Multipart {
  body: Uint8Array<ArrayBuffer>
  type: string
}

/**
 * A `multipart/form-data` body with the photo in the field `file`, written out by hand: the same
 * bytes with every fetch implementation, whichever `FormData` and `Blob` classes the page has.
 */
async function multipart(photo: Blob): Promise<Multipart> {
  if (!photo || typeof photo.arrayBuffer !== 'function') throw new MfaError('invalid_request', 'The photo must be a Blob or a File')
  const random = crypto.getRandomValues(new Uint8Array(12))
  const boundary = `----mfa-kit-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`
  // Only a plain media type goes into the part header.
  const type = /^[\w.+-]+\/[\w.+-]+$/.test(photo.type) ? photo.type : 'application/octet-stream'
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${FILE_NAME}"\r\nContent-Type: ${type}\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const bytes = new Uint8Array(await photo.arrayBuffer())
  const body = new Uint8Array(head.length + bytes.length + tail.length)
  body.set(head)
  body.set(bytes, head.length)
  body.set(tail, head.length + bytes.length)
  bytes.fill(0)
  return { body, type: `multipart/form-data; boundary=${boundary}` }
}

/** Response headers as `getAllResponseHeaders()` lists them. */
function parseHeaders(all: string): Headers {
  const headers = new Headers()
  for (const line of all.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(':')
    if (at > 0) {
      try {
        headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim())
      } catch {
        // A header the Headers class refuses is of no use here.
      }
    }
  }
  return headers
}

/**
 * A fetch function on `XMLHttpRequest`, the one browser API that reports upload progress. It sends
 * `body` (the bytes of the request the transport built) and rejects the way `fetch` does.
 */
const xhrFetch =
  (body: Uint8Array<ArrayBuffer>, onProgress: (progress: UploadProgress) => void): FetchFunction =>
  (request) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      const abort = () => xhr.abort()
      const done = () => request.signal.removeEventListener('abort', abort)
      xhr.open(request.method, request.url)
      for (const [name, value] of request.headers) xhr.setRequestHeader(name, value)
      xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : body.byteLength })
      xhr.onload = () => {
        done()
        try {
          resolve(new Response(xhr.responseText, { status: xhr.status, headers: parseHeaders(xhr.getAllResponseHeaders()) }))
        } catch (error) {
          reject(error)
        }
      }
      xhr.onerror = xhr.ontimeout = () => {
        done()
        reject(new TypeError('Network request failed'))
      }
      xhr.onabort = () => {
        done()
        reject(new DOMException('The upload was aborted', 'AbortError'))
      }
      request.signal.addEventListener('abort', abort)
      xhr.send(body)
    })

/**
 * The credential of a face call: the mfaToken given; else the access token (the signed-in user);
 * else the mfaToken of the client's last login that answered `mfa_required`.
 */
const credentialFor = (context: ClientContext, mfaToken: string | undefined): string | null =>
  mfaToken || context.getToken() || context.loginCredential(undefined)

/** Sends one multipart body; `sent` is told how many of its bytes have gone. */
async function send(
  context: ClientContext,
  photo: Multipart,
  auth: string | null,
  call: CallOptions,
  sent?: (loaded: number) => void,
): Promise<string> {
  // XMLHttpRequest only in a browser using its own fetch: an app's fetch (the in-process server of
  // Storybook and tests, a wrapper) must see every request.
  const withXhr = !!sent && !context.options.fetch && typeof XMLHttpRequest === 'function'
  sent?.(0)
  const { data } = await context.transport.rest<UploadResult>({
    method: 'POST',
    path: paths.upload,
    query: UPLOAD_QUERY,
    raw: photo,
    auth,
    call,
    via: withXhr ? xhrFetch(photo.body, (p) => sent(Math.min(p.loaded, photo.body.byteLength))) : undefined,
  })
  if (!isObject(data) || typeof data.key !== 'string' || !data.key) {
    throw new MfaError('bad_response', 'The server accepted the photo but sent no key', { data })
  }
  sent?.(photo.body.byteLength)
  return data.key
}

/** Uploads photos one after the other, reporting progress over all of them; resolves to their keys. */
async function uploadAll(context: ClientContext, photos: Blob[], auth: string | null, options: UploadFaceOptions): Promise<string[]> {
  const { onProgress, signal, timeoutMs } = options
  const bodies = await Promise.all(photos.map(multipart))
  const total = bodies.reduce((sum, b) => sum + b.body.byteLength, 0)
  let before = 0
  let reported = -1
  const keys: string[] = []
  for (const body of bodies) {
    const offset = before
    keys.push(
      await send(
        context,
        body,
        auth,
        { signal, timeoutMs },
        onProgress &&
          ((loaded) => {
            // Progress only grows, and each figure is reported once.
            const now = Math.max(reported, offset + loaded)
            if (now === reported) return
            reported = now
            onProgress({ loaded: now, total })
          }),
      ),
    )
    before += body.body.byteLength
  }
  return keys
}

export async function uploadFace(context: ClientContext, photo: Blob, options: UploadFaceOptions = {}): Promise<string> {
  const [key] = await uploadAll(context, [photo], credentialFor(context, options.mfaToken), options)
  return key!
}

/** Binds the face of two photos with `auth`. A binding made with an mfaToken finishes the login. */
async function associate(context: ClientContext, auth: string | null, body: object, call: CallOptions): Promise<User> {
  const user = (await context.transport.rest<User>({ method: 'POST', path: paths.faceAssociate, body, auth, call })).data
  return auth && auth !== context.getToken() ? context.finish(user) : user
}

export function associateFaceByUrl(context: ClientContext, options: AssociateFaceByUrlOptions): Promise<User> {
  const { baseFace, compareFace, mfaToken, signal, timeoutMs } = options
  return associate(
    context,
    credentialFor(context, mfaToken),
    { photoA: baseFace, photoB: compareFace, isExternal: true },
    { signal, timeoutMs },
  )
}

export async function associateFaceByBlob(context: ClientContext, options: AssociateFaceByBlobOptions): Promise<User> {
  const { baseFace, compareFace, mfaToken, signal, timeoutMs } = options
  const auth = credentialFor(context, mfaToken)
  const [photoA, photoB = photoA] = await uploadAll(context, compareFace ? [baseFace, compareFace] : [baseFace], auth, options)
  return associate(context, auth, { photoA, photoB }, { signal, timeoutMs })
}

/**
 * Opens the browser's file picker for one photo. Resolves when a file is chosen; rejects with
 * `aborted` when the picker is closed without one or `signal` fires.
 */
function pickPhoto(accept: string, signal: AbortSignal | undefined): Promise<File> {
  // Only ever reached on a call, never at import: the page's document, where there is one.
  const page = (globalThis as { document?: Document }).document
  if (!page?.createElement) {
    return Promise.reject(
      new MfaError(
        'invalid_request',
        'associateFaceByLocalFile opens a file picker, so it works in a browser only. Elsewhere read the photo yourself and call associateFaceByBlob.',
      ),
    )
  }
  return new Promise((resolve, reject) => {
    const input = page.createElement('input')
    input.type = 'file'
    input.accept = accept
    const aborted = () => reject(new MfaError('aborted', 'No photo was chosen', { cause: signal?.reason }))
    if (signal?.aborted) return aborted()
    signal?.addEventListener('abort', aborted, { once: true })
    input.addEventListener('change', () => {
      signal?.removeEventListener('abort', aborted)
      const file = input.files?.[0]
      if (file) resolve(file)
      else aborted()
    })
    input.addEventListener('cancel', () => {
      signal?.removeEventListener('abort', aborted)
      aborted()
    })
    input.click()
  })
}

export async function associateFaceByLocalFile(
  context: ClientContext,
  mfaToken?: string,
  options: AssociateFaceByLocalFileOptions = {},
): Promise<User> {
  const file = await pickPhoto(options.accept ?? ACCEPT, options.signal)
  return associateFaceByBlob(context, { ...options, baseFace: file, mfaToken })
}
