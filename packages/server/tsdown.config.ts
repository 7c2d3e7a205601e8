import { defineConfig } from 'tsdown'

// tsdown: ESM with declarations and source maps in one step, dynamic imports kept as lazy chunks,
// and it runs on Node 20 (version 0.21; later versions want Node 22).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    'browser-face': 'src/browser-face/index.ts',
    bin: 'src/node/bin.ts',
    // The face worker thread runs on its own, from the file beside the matcher's chunk.
    'face-worker': 'src/node/face/worker.ts',
  },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
  // `mfa-server` runs dist/bin.js directly.
  outputOptions: { banner: (chunk) => (chunk.isEntry && chunk.name === 'bin' ? '#!/usr/bin/env node' : '') },
})
