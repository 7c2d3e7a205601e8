/**
 * The `mfa-server` command. Published, it is the built `dist/bin.js`, run by plain `node`; inside
 * the workspace, `bin/mfa-server.mjs` runs this source through tsx.
 */

import { main } from './cli'

try {
  await main()
} catch (error) {
  // A configuration the server refuses (MfaConfigError lists every problem) or a start that fails.
  process.stderr.write(`mfa-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
