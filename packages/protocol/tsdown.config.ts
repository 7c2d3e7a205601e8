import { defineConfig } from 'tsdown'

// tsdown: ESM with declarations and source maps in one step, and it runs on Node 20 (version 0.21;
// later versions want Node 22). Unbundled, one file per source module, so an app's bundler splits and
// tree-shakes the package exactly as it does the sources (the size budgets agree on both).
export default defineConfig({
  entry: ['src/index.ts'],
  unbundle: true,
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  clean: true,
})
