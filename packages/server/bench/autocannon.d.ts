/** The part of autocannon 9's programmatic API that the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  export interface RequestParams {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
  }

  export interface Request extends RequestParams {
    setupRequest?: (
      request: RequestParams & Record<string, unknown>,
      context: Record<string, unknown>,
    ) => (RequestParams & Record<string, unknown>) | null
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void
  }

  export interface Options extends RequestParams {
    url: string
    connections?: number
    duration?: number
    amount?: number
    /** Stops after this many responses, or at the end of `duration`, whichever comes first. */
    maxOverallRequests?: number
    pipelining?: number
    timeout?: number
    requests?: Request[]
    verifyBody?: (body: string) => boolean
  }

  export interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    p99_9: number
    totalCount: number
  }

  export interface Result {
    duration: number
    errors: number
    timeouts: number
    mismatches: number
    non2xx: number
    resets: number
    '2xx': number
    requests: Histogram & { total: number; sent: number }
    latency: Histogram
    throughput: Histogram
    statusCodeStats: Record<string, { count: number }>
  }

  export interface Instance extends PromiseLike<Result> {
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this
    stop(): void
  }

  function autocannon(options: Options): Instance
  export default autocannon
}
