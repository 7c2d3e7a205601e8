#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package ships its source as is.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/node/cli.ts')
await main()
