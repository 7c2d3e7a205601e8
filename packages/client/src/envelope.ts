/**
 * Reads every reply that is not a plain `{ code: 200, data }` success: Authing's error envelopes,
 * Guard's `{ statusCode, apiCode }` envelope, and bodies that are no envelope at all. Each failure
 * the server reports becomes an {@link MfaError} here, with its stable code from the protocol's
 * table. Loaded on the first such reply, so the table is not part of what a client loads up front.
 */
import { AuthingCode, mfaErrorCodeFor } from '@mfa-kit/protocol'
import { MfaError } from './errors'
import { isObject, type Json } from './context'

const numberOrUndefined = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined)

/** How long the server asks us to wait: `data.retryAfterMs`, `data.retryAfter` (seconds) or a `Retry-After` header. */
function retryAfterFrom(data: unknown, response?: Response): number | undefined {
  if (isObject(data)) {
    const ms = numberOrUndefined(data.retryAfterMs) ?? (numberOrUndefined(data.retryAfter) ?? NaN) * 1000
    if (ms >= 0) return ms
  }
  const header = response?.headers.get('retry-after')
  if (header) {
    const ms = /^\d+$/.test(header) ? +header * 1000 : Date.parse(header) - Date.now()
    if (ms >= 0) return ms
  }
  return undefined
}

/** Builds the {@link MfaError} for a `{code|apiCode|statusCode, message, data}` error payload. */
export function errorFromPayload(payload: Json, response?: Response): MfaError {
  const apiCode = numberOrUndefined(payload.apiCode)
  const authingCode =
    apiCode !== undefined && apiCode !== AuthingCode.OK
      ? apiCode
      : (numberOrUndefined(payload.code) ?? numberOrUndefined(payload.statusCode))
  const message = typeof payload.message === 'string' && payload.message ? payload.message : `Request failed (code ${authingCode})`
  return new MfaError(mfaErrorCodeFor(authingCode), message, {
    authingCode,
    status: response?.status,
    data: payload.data ?? null,
    retryAfterMs: retryAfterFrom(payload.data, response),
  })
}

/** The error for a reply that is not JSON. */
export function notJsonError(response: Response): MfaError {
  return new MfaError('bad_response', `Reply is not JSON (HTTP ${response.status})`, {
    status: response.status,
    retryAfterMs: retryAfterFrom(undefined, response),
  })
}

/**
 * Reads a REST reply in either envelope: the classic `{code: 200, data}`, or Guard's
 * `{statusCode, apiCode}` where a 3xx with `apiCode` FLOW_END ends the flow with the user in `data.user`.
 */
export function unwrapEnvelope<T>(body: unknown, response?: Response): T {
  if (!isObject(body) || (numberOrUndefined(body.code) ?? numberOrUndefined(body.statusCode)) === undefined) {
    const status = response?.status ?? 200
    const code = mfaErrorCodeFor(status)
    throw new MfaError(code === 'unknown' ? (status >= 500 ? 'server_error' : 'bad_response') : code, `Unexpected reply (HTTP ${status})`, {
      status,
      data: body,
      retryAfterMs: retryAfterFrom(undefined, response),
    })
  }
  const data = body.data
  if (body.apiCode === AuthingCode.FLOW_END && isObject(data) && isObject(data.user)) return data.user as T
  if (body.code === AuthingCode.OK || body.statusCode === AuthingCode.OK) return data as T
  throw errorFromPayload(body, response)
}
