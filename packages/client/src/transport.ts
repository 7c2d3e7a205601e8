import { AUTHING_SDK_VERSION_HEADER, headers as headerNames } from '@mfa-kit/protocol'
import { isObject, type Json } from './context'
import { MfaError } from './errors'
import type { CallOptions, FetchFunction, MfaClientOptions } from './types'

export interface RestRequest {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  query?: Record<string, string | undefined>
  body?: object
  /** A body sent as it is, with its content type, instead of `body` as JSON (a multipart upload). */
  raw?: { body: Uint8Array<ArrayBuffer>; type: string }
  /** Sends the request through this function instead of the client's fetch (an upload that reports progress). */
  via?: FetchFunction | undefined
  /** A token for the `authorization` header (`Bearer ` is added unless present). */
  auth?: string | null | undefined
  call?: CallOptions | undefined
}

/** The parsed body and the payload it carries. */
interface Reply<T> {
  data: T
  body: Json
}

export interface Transport {
  /** Sends a REST request and unwraps its envelope. */
  rest<T>(request: RestRequest): Promise<Reply<T>>
  /** Sends a request and hands the parsed JSON to `read`. Reads (`GET`) are retried when transient. */
  request<T>(request: RestRequest, read: (body: unknown, response: Response) => T | Promise<T>): Promise<T>
}

/** Delay before retry `attempt` (0-based): 250 ms doubling, capped at 2 s. */
export const backoffMs = (attempt: number): number => Math.min(2000, 250 * 2 ** attempt)

/**
 * A classic success, `{ code: 200, data }` (Authing's `AuthingCode.OK`). Every other reply goes to
 * the envelope reader, which carries the protocol's code table and loads on first need.
 */
const isPlainSuccess = (body: unknown): body is Json =>
  isObject(body) && body.code === 200 && body.apiCode === undefined && body.statusCode === undefined

type EnvelopeModule = typeof import('./envelope')
const loadEnvelopeReader = (): Promise<EnvelopeModule> =>
  import('./envelope').catch((cause: unknown) => {
    throw new MfaError('network', 'Could not load the reply reader', { cause })
  })
const noop = (): void => {}

export function createTransport(options: MfaClientOptions): Transport {
  const doFetch: FetchFunction | undefined = options.fetch ?? globalThis.fetch?.bind(globalThis)
  if (!doFetch) throw new MfaError('invalid_request', 'No fetch function: pass options.fetch')
  const baseUrl = options.appHost.replace(/\/+$/, '')
  const extraHeaders: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.headers ?? {})) extraHeaders[name.toLowerCase()] = value

  const headersFor = (contentType: string | undefined, auth: string | null | undefined): Record<string, string> => {
    const candidates: Record<string, string | undefined> = {
      accept: 'application/json',
      [headerNames.appId]: options.appId,
      [headerNames.userPoolId]: options.userPoolId,
      [headerNames.tenantId]: options.tenantId,
      [headerNames.requestFrom]: 'sdk',
      [headerNames.sdkVersion]: AUTHING_SDK_VERSION_HEADER,
      [headerNames.lang]: options.lang ?? 'zh-CN',
      ...extraHeaders,
    }
    // Always the body's own type, whatever `options.headers` says: the server refuses other types.
    if (contentType) candidates['content-type'] = contentType
    if (auth) candidates[headerNames.authorization] = /^bearer /i.test(auth) ? auth : `Bearer ${auth}`
    const sent: Record<string, string> = {}
    for (const name in candidates) if (candidates[name]) sent[name] = candidates[name]
    return sent
  }

  /** One HTTP exchange: network failures and unparseable bodies become {@link MfaError}s. */
  const exchange = async (request: RestRequest, signal: AbortSignal): Promise<[unknown, Response]> => {
    let url = baseUrl + request.path
    const query = Object.entries(request.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined)
    if (query.length) url += `?${new URLSearchParams(query)}`
    let response: Response
    let text: string
    try {
      const { raw, body } = request
      response = await (request.via ?? doFetch)(
        new Request(url, {
          method: request.method,
          headers: headersFor(raw?.type ?? (body ? 'application/json' : undefined), request.auth),
          body: raw?.body ?? (body ? JSON.stringify(body) : null),
          signal,
        }),
      )
      text = await response.text()
    } catch (cause) {
      throw new MfaError('network', 'Network request failed', { cause })
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw (await loadEnvelopeReader()).notJsonError(response)
    }
    return [body, response]
  }

  /**
   * Runs `work` under the call's signal and timeout. The returned promise settles as soon as the
   * call is aborted or times out, even if the fetch function ignores its signal.
   */
  const guarded = <T>(call: CallOptions | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timeoutMs = call?.timeoutMs ?? options.timeoutMs ?? 30000
      const callerSignal = call?.signal
      const controller = new AbortController()
      let timer: ReturnType<typeof setTimeout> | undefined
      const cleanUp = (): void => {
        clearTimeout(timer)
        callerSignal?.removeEventListener('abort', onAbort)
      }
      const fail = (error: unknown): void => {
        cleanUp()
        reject(error)
        controller.abort(error)
      }
      const onAbort = (): void => fail(new MfaError('aborted', 'The request was aborted', { cause: callerSignal?.reason }))
      if (callerSignal?.aborted) return onAbort()
      callerSignal?.addEventListener('abort', onAbort)
      if (timeoutMs > 0 && timeoutMs < Infinity) {
        timer = setTimeout(() => fail(new MfaError('timeout', `No reply within ${timeoutMs} ms`)), timeoutMs)
      }
      work(controller.signal).then((value) => {
        cleanUp()
        resolve(value)
      }, fail)
    })

  const request = <T>(req: RestRequest, read: (body: unknown, response: Response) => T | Promise<T>): Promise<T> =>
    guarded(req.call, async (signal) => {
      // Fetched beside the first request, so an error reply rarely waits for it.
      loadEnvelopeReader().catch(noop)
      const retries = req.method === 'GET' ? (options.retries ?? 2) : 0
      for (let attempt = 0; ; attempt++) {
        try {
          return await read(...(await exchange(req, signal)))
        } catch (error) {
          const transient = error instanceof MfaError && (error.code === 'network' || (error.status ?? 0) >= 500)
          if (!transient || attempt >= retries || signal.aborted) throw error
          await new Promise<void>((wake) => {
            const timer = setTimeout(wake, backoffMs(attempt))
            signal.addEventListener(
              'abort',
              () => {
                clearTimeout(timer)
                wake()
              },
              { once: true },
            )
          })
          if (signal.aborted) throw error
        }
      }
    })

  return {
    request,
    rest: <T>(req: RestRequest) =>
      request(
        req,
        async (body, response): Promise<Reply<T>> => ({
          data: isPlainSuccess(body) ? (body.data as T) : (await loadEnvelopeReader()).unwrapEnvelope<T>(body, response),
          body: body as Json,
        }),
      ),
  }
}
