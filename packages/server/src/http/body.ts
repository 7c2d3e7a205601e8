import { errors } from './errors'

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 1024 * 1024

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Stops reading a body and lets go of it, without waiting. Cancelling one branch of a teed stream
 * (a body of `request.clone()` or of its original) settles only once the other branch is
 * cancelled too, so awaiting it could hang the request for as long as the caller keeps that other
 * copy.
 */
function abandon(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  reader.cancel().catch(() => {})
  reader.releaseLock()
}

/** Refuses a request's body without reading it (see `abandon`). */
export function discardBody(request: Request): void {
  if (request.body !== null && !request.body.locked) abandon(request.body.getReader())
}

const lengthEnforced = new WeakSet<Request>()

/**
 * Declares that the transport delivered `request` with a body of exactly its Content-Length, as
 * Node's HTTP parser does (it never passes on more bytes than declared and fails the request on
 * fewer). Such a body is read in one piece once its declared length is within the limit; any other
 * body is counted chunk by chunk as it arrives.
 */
export function trustContentLength(request: Request): void {
  lengthEnforced.add(request)
}

/**
 * Reads the request body as text, refusing more than `limit` bytes whether or not the client
 * declared a Content-Length (see {@link readBodyBytes}).
 */
export async function readBodyText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  return decodeBody(await readBodyBytes(request, limit))
}

/**
 * Reads the request body, refusing more than `limit` bytes whether or not the client declared a
 * Content-Length (the stream is counted as it arrives, unless the transport enforces the declared
 * length: see {@link trustContentLength}). An oversized body is cancelled and released at once.
 */
export async function readBodyBytes(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null) {
    const length = Number(declared)
    const refusal =
      !Number.isFinite(length) || length < 0
        ? errors.badRequest('Invalid Content-Length header')
        : length > limit
          ? errors.payloadTooLarge(limit)
          : null
    if (refusal) {
      if (request.body !== null && !request.body.locked) abandon(request.body.getReader())
      throw refusal
    }
    if (lengthEnforced.has(request)) {
      // One read, without a stream: on the Node adapter this skips building a Web Request.
      let buffer: ArrayBuffer
      try {
        buffer = await request.arrayBuffer()
      } catch {
        throw errors.badRequest('The request body could not be read')
      }
      if (buffer.byteLength > limit) throw errors.payloadTooLarge(limit)
      return new Uint8Array(buffer)
    }
  }
  if (request.body === null) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>
    try {
      result = await reader.read()
    } catch {
      abandon(reader)
      throw errors.badRequest('The request body could not be read')
    }
    if (result.done) break
    total += result.value.byteLength
    if (total > limit) {
      abandon(reader)
      throw errors.payloadTooLarge(limit)
    }
    chunks.push(result.value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

function decodeBody(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes)
  } catch {
    throw errors.badRequest('The request body is not valid UTF-8')
  }
}

export type JsonObject = Record<string, unknown>

/** `application/json` or a `+json` type, with any parameters (`; charset=utf-8`). */
function isJsonContentType(header: string): boolean {
  const type = header.split(';', 1)[0]!.trim().toLowerCase()
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)
}

/**
 * Reads a JSON object body. An empty body is an empty object; anything that is not a JSON object
 * is a 400 error whose message never echoes the input.
 *
 * A body must come with a JSON `Content-Type` (else 415), and a declared non-JSON type is refused
 * before the body is read. A browser can send a cross-site "simple request" (form or `text/plain`
 * bodies) without asking the server first; refusing every other type means that every browser
 * request with a body needs a CORS preflight, which only allowed origins pass.
 */
export async function readJsonObject(request: Request): Promise<JsonObject> {
  const contentType = request.headers.get('content-type')
  if (contentType !== null && !isJsonContentType(contentType)) {
    if (request.body !== null && !request.body.locked) abandon(request.body.getReader())
    throw errors.unsupportedMediaType()
  }
  const text = await readBodyText(request)
  if (text.trim() === '') return {}
  if (contentType === null) throw errors.unsupportedMediaType()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw errors.badRequest('The request body is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errors.badRequest('The request body must be a JSON object')
  }
  return value as JsonObject
}

interface FieldOptions {
  /** Longest accepted value, in UTF-16 code units. @default 1024 */
  max?: number
}

function field(body: JsonObject, name: string): unknown {
  return Object.hasOwn(body, name) ? body[name] : undefined
}

/** A required non-empty string field. */
export function requireString(body: JsonObject, name: string, options: FieldOptions = {}): string {
  const value = field(body, name)
  if (value === undefined || value === null) throw errors.badRequest(`Missing field: ${name}`)
  if (typeof value !== 'string') throw errors.badRequest(`Field ${name} must be a string`)
  if (value.trim() === '') throw errors.badRequest(`Field ${name} must not be empty`)
  if (value.length > (options.max ?? 1024)) throw errors.badRequest(`Field ${name} is too long`)
  return value
}

/** An optional string field: undefined when absent, null or empty. */
export function optionalString(body: JsonObject, name: string, options: FieldOptions = {}): string | undefined {
  const value = field(body, name)
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw errors.badRequest(`Field ${name} must be a string`)
  if (value.length > (options.max ?? 1024)) throw errors.badRequest(`Field ${name} is too long`)
  return value
}

export function optionalBoolean(body: JsonObject, name: string): boolean | undefined {
  const value = field(body, name)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw errors.badRequest(`Field ${name} must be a boolean`)
  return value
}

export function optionalObject(body: JsonObject, name: string): JsonObject | undefined {
  const value = field(body, name)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.badRequest(`Field ${name} must be an object`)
  return value as JsonObject
}
