#!/usr/bin/env node
// The workspace's `mfa-server`: runs the TypeScript command through tsx's loader. The published
// package runs the built `dist/bin.js` with plain node instead.
import { register } from 'tsx/esm/api'

register()
await import('../src/node/bin.ts')
