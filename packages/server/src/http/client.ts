/**
 * What the transport knows about the client that sent a request. The core sees only a Web
 * `Request`, so the host passes the peer address in (the Node listener does); without it, per-client
 * limits are skipped and the request counts as local (an in-process embedding such as a test or
 * Storybook).
 */
export interface ClientInfo {
  /** The peer's IP address as the transport saw it, or null when unknown. */
  clientAddress: string | null
}

/** The Hono bindings of every route. */
export interface RequestEnv {
  Bindings: ClientInfo
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
function isLoopbackAddress(address: string): boolean {
  const value = address.toLowerCase().replace(/^::ffff:/, '')
  return value === '::1' || value === '0:0:0:0:0:0:0:1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value)
}

/** True when the request comes from this machine, or from inside the process (no address known). */
export function isLocalClient(client: ClientInfo): boolean {
  return client.clientAddress === null || isLoopbackAddress(client.clientAddress)
}
