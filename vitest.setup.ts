import { afterEach } from 'vitest'

// React Testing Library cleans up only with vitest globals; unmount explicitly after each test.
afterEach(async () => {
  if (typeof document !== 'undefined') {
    const { cleanup } = await import('@testing-library/react')
    cleanup()
  }
})
