import { AUTHING_SDK_VERSION_HEADER, headers as H, mfaErrorCodeFor } from '@mfa-kit/protocol'
import { MfaError } from './errors'
import type { CallOptions, FetchFunction, MfaClientOptions } from './types'

export type Json = Record<string, unknown>

export interface RestRequest {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  query?: Record<string, string | undefined>
  body?: object
  /** A token for the `authorization` header (`Bearer ` is added unless present). */
  auth?: string | null | undefined
  call?: CallOptions | undefined
}

/** The parsed body and the payload it carries. */
export interface Reply<T> {
  data: T
  body: Json
}

export interface Transport {
  /** Sends a REST request and unwraps its envelope. */
  rest<T>(req: RestRequest): Promise<Reply<T>>
  /** Sends a request and hands the parsed JSON to `read`. Reads (`GET`) are retried when transient. */
  request<T>(req: RestRequest, read: (body: unknown, res: Response) => T): Promise<T>
}

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

/** Delay before retry `n` (0-based): 250 ms doubling, capped at 2 s. */
export const backoffMs = (n: number): number => Math.min(2000, 250 * 2 ** n)

function retryAfterFrom(data: unknown, res?: Response): number | undefined {
  if (isObj(data)) {
    const ms = num(data.retryAfterMs) ?? (num(data.retryAfter) ?? NaN) * 1000
    if (ms >= 0) return ms
  }
  const h = res?.headers.get('retry-after')
  if (h) {
    const ms = /^\d+$/.test(h) ? +h * 1000 : Date.parse(h) - Date.now()
    if (ms >= 0) return ms
  }
  return undefined
}

/** Builds the {@link MfaError} for a `{code|apiCode|statusCode, message, data}` error payload. */
export function errorFromPayload(p: Json, res?: Response): MfaError {
  const api = num(p.apiCode)
  const n = api !== undefined && api !== 200 ? api : (num(p.code) ?? num(p.statusCode))
  const message = typeof p.message === 'string' && p.message ? p.message : `Request failed (code ${n})`
  return new MfaError(mfaErrorCodeFor(n), message, {
    authingCode: n,
    status: res?.status,
    data: p.data ?? null,
    retryAfterMs: retryAfterFrom(p.data, res),
  })
}

/**
 * Reads a REST reply in either envelope: the classic `{code: 200, data}`, or Guard's
 * `{statusCode, apiCode}` where a 3xx with `apiCode` 1600 ends the flow with the user in `data.user`.
 */
export function unwrapEnvelope<T>(body: unknown, res?: Response): T {
  if (!isObj(body) || (num(body.code) ?? num(body.statusCode)) === undefined) {
    const status = res?.status ?? 200
    const code = mfaErrorCodeFor(status)
    throw new MfaError(code === 'unknown' ? (status >= 500 ? 'server_error' : 'bad_response') : code, `Unexpected reply (HTTP ${status})`, {
      status,
      data: body,
      retryAfterMs: retryAfterFrom(undefined, res),
    })
  }
  const data = body.data
  if (body.apiCode === 1600 && isObj(data) && isObj(data.user)) return data.user as T
  if (body.code === 200 || body.statusCode === 200) return data as T
  throw errorFromPayload(body, res)
}

export function createTransport(o: MfaClientOptions): Transport {
  const doFetch: FetchFunction | undefined = o.fetch ?? globalThis.fetch?.bind(globalThis)
  if (!doFetch) throw new MfaError('invalid_request', 'No fetch function: pass options.fetch')
  const base = o.appHost.replace(/\/+$/, '')
  const extra: Record<string, string> = {}
  for (const [k, v] of Object.entries(o.headers ?? {})) extra[k.toLowerCase()] = v

  const headersFor = (hasBody: boolean, auth: string | null | undefined): Record<string, string> => {
    const h: Record<string, string | undefined> = {
      accept: 'application/json',
      [H.appId]: o.appId,
      [H.userPoolId]: o.userPoolId,
      [H.tenantId]: o.tenantId,
      [H.requestFrom]: 'sdk',
      [H.sdkVersion]: AUTHING_SDK_VERSION_HEADER,
      [H.lang]: o.lang ?? 'zh-CN',
      ...extra,
    }
    if (hasBody) h['content-type'] = 'application/json'
    if (auth) h[H.authorization] = /^bearer /i.test(auth) ? auth : `Bearer ${auth}`
    const out: Record<string, string> = {}
    for (const k in h) if (h[k]) out[k] = h[k]
    return out
  }

  /** One HTTP exchange: network failures and unparseable bodies become {@link MfaError}s. */
  const exchange = async (req: RestRequest, signal: AbortSignal): Promise<[unknown, Response]> => {
    let url = base + req.path
    const q = Object.entries(req.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)
    if (q.length) url += `?${new URLSearchParams(q)}`
    let res: Response
    let text: string
    try {
      res = await doFetch(
        new Request(url, {
          method: req.method,
          headers: headersFor(!!req.body, req.auth),
          body: req.body ? JSON.stringify(req.body) : null,
          signal,
        }),
      )
      text = await res.text()
    } catch (cause) {
      throw new MfaError('network', 'Network request failed', { cause })
    }
    try {
      return [JSON.parse(text), res]
    } catch {
      throw new MfaError('bad_response', `Reply is not JSON (HTTP ${res.status})`, {
        status: res.status,
        retryAfterMs: retryAfterFrom(undefined, res),
      })
    }
  }

  /**
   * Runs `work` under the call's signal and timeout. The returned promise settles as soon as the
   * call is aborted or times out, even if the fetch function ignores its signal.
   */
  const guarded = <T>(call: CallOptions | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const ms = call?.timeoutMs ?? o.timeoutMs ?? 30000
      const user = call?.signal
      const ctl = new AbortController()
      let timer: ReturnType<typeof setTimeout> | undefined
      const done = (): void => {
        clearTimeout(timer)
        user?.removeEventListener('abort', onAbort)
      }
      const fail = (e: unknown): void => {
        done()
        reject(e)
        ctl.abort(e)
      }
      const onAbort = (): void => fail(new MfaError('aborted', 'The request was aborted', { cause: user?.reason }))
      if (user?.aborted) return onAbort()
      user?.addEventListener('abort', onAbort)
      if (ms > 0 && ms < Infinity) {
        timer = setTimeout(() => fail(new MfaError('timeout', `No reply within ${ms} ms`)), ms)
      }
      work(ctl.signal).then((v) => {
        done()
        resolve(v)
      }, fail)
    })

  const request = <T>(req: RestRequest, read: (body: unknown, res: Response) => T): Promise<T> =>
    guarded(req.call, async (signal) => {
      const retries = req.method === 'GET' ? (o.retries ?? 2) : 0
      for (let n = 0; ; n++) {
        try {
          return read(...(await exchange(req, signal)))
        } catch (e) {
          const transient = e instanceof MfaError && (e.code === 'network' || (e.status ?? 0) >= 500)
          if (!transient || n >= retries || signal.aborted) throw e
          await new Promise<void>((r) => {
            const t = setTimeout(r, backoffMs(n))
            signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true })
          })
          if (signal.aborted) throw e
        }
      }
    })

  return {
    request,
    rest: <T>(req: RestRequest) => request(req, (body, res): Reply<T> => ({ data: unwrapEnvelope<T>(body, res), body: body as Json })),
  }
}
