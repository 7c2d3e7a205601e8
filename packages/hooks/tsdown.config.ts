import { defineConfig } from 'tsdown'

// tsdown: ESM with declarations and source maps in one step, and it runs on Node 20 (version 0.21;
// later versions want Node 22). Unbundled, one file per source module, so an app's bundler splits and
// tree-shakes the hooks exactly as it does the sources (the size budgets agree on both).
export default defineConfig({
  entry: { index: 'src/index.ts', binding: 'src/binding.ts', account: 'src/account.ts', face: 'src/face/index.ts' },
  unbundle: true,
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  clean: true,
  // Hooks run in client components of a React Server Components app.
  outputOptions: { banner: (chunk) => (chunk.isEntry ? "'use client'" : '') },
})
