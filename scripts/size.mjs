#!/usr/bin/env node
// Measures what each package costs an app, minified and gzipped, and fails when a budget is exceeded.
// Usage: node scripts/size.mjs [--json]
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const peers = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query']

/**
 * Each entry: what an app imports, what stays outside the bundle, and the budget (min+gzip bytes) of the
 * code loaded up front. Chunks loaded later by dynamic import are reported separately.
 */
export const budgets = [
  {
    name: '@mfa-kit/client (MFA surface, password encryption lazy)',
    code: `export * from './packages/client/src/index.ts'`,
    external: [],
    limit: 4 * 1024,
  },
  {
    name: '@mfa-kit/hooks (without react, react-query, client)',
    code: `export * from './packages/hooks/src/index.ts'`,
    external: [...peers, '@mfa-kit/client'],
    limit: 6 * 1024,
  },
  {
    name: '@mfa-kit/hooks useOneTimeCode alone',
    code: `export { useOneTimeCode } from './packages/hooks/src/index.ts'`,
    external: [...peers, '@mfa-kit/client'],
    limit: 1.5 * 1024,
  },
]

async function measure({ code, external }) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    outdir: '/virtual',
    write: false,
    metafile: true,
    platform: 'browser',
    target: 'es2022',
    external,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  const outputs = result.outputFiles.filter((f) => f.path.endsWith('.js'))
  const entryPath = Object.entries(result.metafile.outputs).find(([, meta]) => meta.entryPoint)?.[0]
  const gz = (f) => gzipSync(f.contents, { level: 9 }).length
  const entry = outputs.find((f) => entryPath && f.path.endsWith(entryPath.replace(/^.*\//, '/')))
  const lazy = outputs.filter((f) => f !== entry)
  return { initial: entry ? gz(entry) : 0, lazy: lazy.map((f) => ({ file: f.path.replace(/^.*\//, ''), gzip: gz(f) })) }
}

const kb = (n) => `${(n / 1024).toFixed(2)} KB`

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let failed = 0
  const rows = []
  for (const b of budgets) {
    const m = await measure(b)
    const ok = m.initial <= b.limit
    if (!ok) failed++
    rows.push({ name: b.name, ...m, limit: b.limit, ok })
    console.log(`${ok ? 'ok  ' : 'OVER'} ${b.name}: ${kb(m.initial)} min+gzip (budget ${kb(b.limit)})`)
    for (const l of m.lazy) console.log(`       lazy chunk ${l.file}: ${kb(l.gzip)} min+gzip`)
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows))
  console.log(`size: ${rows.length - failed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}
