import { defineConfig } from 'tsdown'

// tsdown: ESM with declarations and source maps in one step, and it runs on Node 20 (version
// 0.21; later versions want Node 22).
export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  clean: true,
})
