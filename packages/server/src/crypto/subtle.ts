/** Access to the Web Crypto API with a clear error where a runtime lacks it. */

export function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle
  if (!api) {
    throw new Error(
      'Web Crypto (globalThis.crypto.subtle) is not available. Use Node 20+, a modern browser over HTTPS, or a worker runtime.',
    )
  }
  return api
}

export function webCrypto(): Crypto {
  const api = globalThis.crypto
  if (!api || typeof api.getRandomValues !== 'function') {
    throw new Error('Web Crypto (globalThis.crypto.getRandomValues) is not available in this runtime.')
  }
  return api
}
