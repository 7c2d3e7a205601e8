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
    // Every hook: sign-in and sign-up, the session, the challenge and its factors, binding,
    // re-verification, recovery-code regeneration and unbinding.
    name: '@mfa-kit/hooks (without react, react-query, client)',
    code: `export * from './packages/hooks/src/index.ts'`,
    external: [...peers, '@mfa-kit/client'],
    limit: 9.5 * 1024,
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
  const outputs = new Map(result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [f.path.replace(/^.*\//, ''), f]))
  const meta = Object.fromEntries(Object.entries(result.metafile.outputs).map(([path, m]) => [path.replace(/^.*\//, ''), m]))
  const entry = Object.keys(meta).find((name) => meta[name].entryPoint && name.endsWith('.js'))
  // What loads up front: the entry and every chunk it imports statically, transitively.
  const upfront = new Set()
  const visit = (name) => {
    if (!name || upfront.has(name)) return
    upfront.add(name)
    for (const i of meta[name]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path.replace(/^.*\//, ''))
  }
  visit(entry)
  const gz = (name) => gzipSync(outputs.get(name).contents, { level: 9 }).length
  const initial = [...upfront].filter((n) => outputs.has(n)).reduce((sum, n) => sum + gz(n), 0)
  // A lazy chunk is named after the source files it holds, so the report says what loads later.
  const sources = (name) =>
    Object.keys(meta[name]?.inputs ?? {})
      .map((path) => path.replace(/^.*\//, ''))
      .join(', ') || 're-exports only'
  const lazy = [...outputs.keys()].filter((n) => !upfront.has(n)).map((file) => ({ file, sources: sources(file), gzip: gz(file) }))
  return { initial, lazy }
}

const kb = (n) => `${(n / 1024).toFixed(2)} KB`

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let failed = 0
  const rows = []
  for (const b of budgets) {
    let m
    try {
      m = await measure(b)
    } catch (error) {
      failed++
      console.log(`FAIL ${b.name}: does not build: ${String(error.message).split('\n').slice(0, 3).join(' ')}`)
      continue
    }
    const ok = m.initial <= b.limit
    if (!ok) failed++
    rows.push({ name: b.name, ...m, limit: b.limit, ok })
    console.log(`${ok ? 'ok  ' : 'OVER'} ${b.name}: ${kb(m.initial)} min+gzip (budget ${kb(b.limit)})`)
    for (const l of m.lazy) console.log(`       lazy chunk ${l.file} (${l.sources}): ${kb(l.gzip)} min+gzip`)
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows))
  console.log(`size: ${budgets.length - failed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}
