import { AuthingCode, GUARD_REQUEST_FROM_PREFIX, headers, type User } from '@mfa-kit/protocol'
import type { ApiError } from './errors'

const JSON_TYPE = 'application/json; charset=utf-8'

/** Headers every response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
})

const withSecurityHeaders = new WeakSet<Response>()

/** True for responses built here, which carry {@link SECURITY_HEADERS} already. */
export function hasSecurityHeaders(response: Response): boolean {
  return withSecurityHeaders.has(response)
}

/**
 * A JSON response with its final headers, given at construction as a plain object: the Node
 * adapter then writes it straight to the socket without building a Headers object or a stream.
 */
export function jsonResponse(body: unknown, status = 200): Response {
  const response = new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...SECURITY_HEADERS } })
  withSecurityHeaders.add(response)
  return response
}

/** `{code: 200, message, data}` plus any extra top-level fields. */
export function ok(data: unknown, extra: Record<string, unknown> = {}): Response {
  return jsonResponse({ code: AuthingCode.OK, message: 'OK', data, ...extra })
}

export function errorResponse(error: ApiError): Response {
  return jsonResponse({ ...error.extra, code: error.code, message: error.message, data: error.data }, error.httpStatus)
}

/** True for Guard's own HTTP layer, which expects the flow-end envelope from verify endpoints. */
function isGuardRequest(request: Request): boolean {
  return (request.headers.get(headers.requestFrom) ?? '').startsWith(GUARD_REQUEST_FROM_PREFIX)
}

/**
 * A successful MFA verification: the User for the SDK, or Guard's flow-end envelope
 * (`statusCode: 302, apiCode: 1600, data: {user}`, with `code: 200` so that classic checks pass too).
 */
export function verified(request: Request, user: User): Response {
  if (isGuardRequest(request)) {
    return jsonResponse({ code: AuthingCode.OK, statusCode: 302, apiCode: AuthingCode.FLOW_END, message: 'OK', data: { user } })
  }
  return ok(user)
}
