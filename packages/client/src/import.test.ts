import { expect, it, vi } from 'vitest'

// In a file of its own: resetting the module registry would give the lazily loaded modules of
// other tests a second copy of MfaError.
it('adds nothing to the global scope when imported', async () => {
  const before = new Set(Object.getOwnPropertyNames(globalThis))
  vi.resetModules()
  const mod = await import('./index')
  expect(typeof mod.createMfaClient).toBe('function')
  expect(Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k))).toEqual([])
})
