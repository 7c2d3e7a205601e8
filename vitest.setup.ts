import { configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// The flows wait on a real in-process server (password hashing, signatures) on a 2-core machine
// shared by parallel test files: `findBy…` and `waitFor` give it up to 5 s, not Testing Library's 1 s.
// Only a flow that never gets there fails, later.
configure({ asyncUtilTimeout: 5_000 })

// React Testing Library cleans up only with vitest globals; unmount explicitly after each test.
afterEach(async () => {
  if (typeof document !== 'undefined') {
    const { cleanup } = await import('@testing-library/react')
    cleanup()
  }
})
