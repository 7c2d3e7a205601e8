import type { MfaErrorCode } from '@mfa-kit/protocol'

/** Everything an {@link MfaError} carries besides its `code` and message. */
export interface MfaErrorInit {
  /** The numeric Authing `code` (or Guard `apiCode`) the server answered with, if any. */
  authingCode?: number
  /** The HTTP status, when the failure came with one. */
  status?: number
  /** The server's `data` for this error (for example the rate-limit details). */
  data?: unknown
  /** Milliseconds until the server accepts another attempt, when it says so. */
  retryAfterMs?: number
  /** The underlying error (a network `TypeError`, an abort reason, ...). */
  cause?: unknown
}

/**
 * The one error type the client throws. Branch on `code`, a stable string; `authingCode` is the
 * number the server sent and `message` is the server's own text.
 */
export class MfaError extends Error {
  override readonly name = 'MfaError'
  readonly code: MfaErrorCode
  readonly authingCode: number | undefined
  readonly status: number | undefined
  readonly data: unknown
  readonly retryAfterMs: number | undefined

  constructor(code: MfaErrorCode, message: string, init: MfaErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.code = code
    this.authingCode = init.authingCode
    this.status = init.status
    this.data = init.data
    this.retryAfterMs = init.retryAfterMs
  }
}

/** True when `e` is an {@link MfaError}, and, if `code` is given, one with that code. */
export function isMfaError<C extends MfaErrorCode = MfaErrorCode>(e: unknown, code?: C): e is MfaError & { readonly code: C } {
  return e instanceof MfaError && (code === undefined || e.code === code)
}
