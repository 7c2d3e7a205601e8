#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package ships its source as is.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/node/cli.ts')
try {
  await main()
} catch (error) {
  // A configuration the server refuses (MfaConfigError lists every problem) or a start that fails.
  process.stderr.write(`mfa-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
