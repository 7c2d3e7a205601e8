import { defineConfig } from 'tsdown'

// tsdown: ESM with declarations and source maps in one step, and it runs on Node 20 (version 0.21;
// later versions want Node 22). Unbundled, one file per source module, so the app's bundler splits
// and tree-shakes the kit exactly as it does the sources: the lazy parts stay lazy.
export default defineConfig({
  entry: { index: 'src/index.ts', face: 'src/face-entry/index.ts' },
  unbundle: true,
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  clean: true,
  copy: [
    { from: 'src/styles.css', to: 'dist' },
    { from: 'src/face-capture/face.css', to: 'dist' },
  ],
  // The components run in client components of a React Server Components app.
  outputOptions: { banner: (chunk) => (chunk.isEntry ? "'use client'" : '') },
})
