const warned = new Set<string>()

/**
 * Warns once per message, for mistakes the types cannot catch, as Radix and React Aria warn about
 * them. Call it under `if (process.env.NODE_ENV !== 'production')`, so that production builds drop
 * the call and its message.
 */
export function warnOnce(message: string): void {
  if (warned.has(message)) return
  warned.add(message)
  console.warn(`@mfa-kit/hooks: ${message}`)
}
