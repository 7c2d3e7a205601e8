#!/usr/bin/env node
// Measures what each package costs an app, minified and gzipped, and fails when a budget is exceeded.
// Usage: node scripts/size.mjs [--json]
//
// Each entry is built the way an app is built: Vite's production build (Rolldown, minified), with
// the packages resolved through their `exports`. esbuild's code splitting is not used: it puts a
// module that a package index re-exports and that is also loaded by a dynamic import into a chunk
// loaded up front, so it counts lazy parts (QR code, binding, step-up) as paid on every page.
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
// Code whose size is the app's business: React, and TanStack Query, which the app uses itself.
const peers = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query']

/**
 * Each entry: what an app imports, what stays outside the bundle, and the budget (min+gzip bytes) of the
 * code loaded up front. Chunks loaded later by dynamic import are reported separately.
 */
export const budgets = [
  {
    name: '@mfa-kit/client (MFA surface, password encryption lazy)',
    code: `export * from '@mfa-kit/client'`,
    external: [],
    limit: 4 * 1024,
  },
  {
    // The sign-in flows: the provider and session, sign-in and sign-up, the challenge and every
    // factor a sign-in verifies, the code input.
    name: '@mfa-kit/hooks (without react, react-query, client)',
    code: `export * from '@mfa-kit/hooks'`,
    external: [...peers, '@mfa-kit/client'],
    limit: 7 * 1024,
  },
  {
    // Binding a factor while signing in (TOTP, a phone or an email, with the bindable check).
    // Measured on its own, with the flow machinery it shares with the root.
    name: '@mfa-kit/hooks/binding (without react, react-query, client)',
    code: `export * from '@mfa-kit/hooks/binding'`,
    external: [...peers, '@mfa-kit/client'],
    limit: 6 * 1024,
  },
  {
    // The signed-in account: authenticators, binding and unbinding from a session, re-verification,
    // recovery-code regeneration. Measured on its own, with the flow machinery it shares with the root.
    name: '@mfa-kit/hooks/account (without react, react-query, client)',
    code: `export * from '@mfa-kit/hooks/account'`,
    external: [...peers, '@mfa-kit/client'],
    limit: 8 * 1024,
  },
  {
    name: '@mfa-kit/hooks useOneTimeCode alone',
    code: `export { useOneTimeCode } from '@mfa-kit/hooks'`,
    external: [...peers, '@mfa-kit/client'],
    limit: 1.5 * 1024,
  },
  {
    // What an app pays for the drop-in: the guard and everything it renders, with the client and the
    // hooks, and the stylesheet. qrcode.react and each language but en-US load later, on first use.
    name: '<MfaGuard> with styles.css (client, hooks and ui; without react, react-dom, react-query)',
    code: `import '@mfa-kit/ui/styles.css'\nexport { createMfaClient } from '@mfa-kit/client'\nexport { MfaGuard } from '@mfa-kit/ui'`,
    external: peers,
    limit: 30 * 1024,
    cssLimit: 6 * 1024,
  },
]

/** Builds one entry in `at` (the workspace, whose packages resolve to their sources, or an app that installed them). */
export async function measure({ code, external }, at = root) {
  const result = await build({
    root: at,
    configFile: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'size-entry',
        resolveId: (id) => (id === 'size:entry' ? '\0size-entry.js' : null),
        load: (id) => (id === '\0size-entry.js' ? code : null),
      },
    ],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      cssCodeSplit: false,
      modulePreload: false,
      reportCompressedSize: false,
      rollupOptions: { input: 'size:entry', external, preserveEntrySignatures: 'strict', output: { format: 'es' } },
    },
  })
  const output = (Array.isArray(result) ? result[0] : result).output
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]))
  const gz = (text) => gzipSync(text, { level: 9 }).length
  // What loads up front: the entry and every chunk it imports statically, transitively.
  const upfront = new Set()
  const visit = (name) => {
    if (upfront.has(name) || !chunks.has(name)) return
    upfront.add(name)
    for (const i of chunks.get(name).imports) visit(i)
  }
  visit([...chunks.values()].find((c) => c.isEntry).fileName)
  const initial = [...upfront].reduce((sum, n) => sum + gz(chunks.get(n).code), 0)
  const css = output.filter((o) => o.type === 'asset' && o.fileName.endsWith('.css')).reduce((sum, a) => sum + gz(a.source), 0)
  // A lazy chunk is named after the source files it holds, so the report says what loads later.
  const sources = (chunk) =>
    [
      ...new Set(
        Object.keys(chunk.modules).map((path) => /.*node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.replace(/^.*\//, '')),
      ),
    ].join(', ') || 're-exports only'
  const lazy = [...chunks.values()]
    .filter((c) => !upfront.has(c.fileName))
    .map((c) => ({ file: c.fileName.replace(/^assets\//, ''), sources: sources(c), gzip: gz(c.code) }))
  return { initial, lazy, css }
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
    const jsOk = m.initial <= b.limit
    const cssOk = b.cssLimit === undefined || m.css <= b.cssLimit
    const ok = jsOk && cssOk
    if (!ok) failed++
    rows.push({ name: b.name, ...m, limit: b.limit, cssLimit: b.cssLimit, ok })
    console.log(`${jsOk ? 'ok  ' : 'OVER'} ${b.name}: ${kb(m.initial)} min+gzip of JS up front (budget ${kb(b.limit)})`)
    if (b.cssLimit !== undefined) console.log(`${cssOk ? 'ok  ' : 'OVER'}      CSS: ${kb(m.css)} gzip (budget ${kb(b.cssLimit)})`)
    for (const l of m.lazy) console.log(`       lazy chunk ${l.file} (${l.sources}): ${kb(l.gzip)} min+gzip`)
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows))
  console.log(`size: ${budgets.length - failed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}
