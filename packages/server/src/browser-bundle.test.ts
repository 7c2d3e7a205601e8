/**
 * The server core runs in browsers (Storybook runs it in the page): bundling it for the browser
 * must succeed without a single Node built-in, whatever a dependency would like to import.
 */

import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('./index.ts', import.meta.url))
const browserFaceEntry = fileURLToPath(new URL('./browser-face/index.ts', import.meta.url))
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)])

/** Records every import of a Node built-in, with the file that asked for it. */
function recordNodeImports(found: string[]): Plugin {
  return {
    name: 'record-node-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (nodeBuiltins.has(args.path) || args.path.startsWith('node:')) {
          found.push(`${args.path} (from ${args.importer})`)
          return { path: args.path, external: true }
        }
        return undefined
      })
    },
  }
}

describe('the server core in a browser', () => {
  it('bundles for the browser with no Node built-in', async () => {
    const found: string[] = []
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
      plugins: [recordNodeImports(found)],
    })
    expect(found).toEqual([])
    expect(result.errors).toEqual([])
    const code = result.outputFiles[0]!.text
    expect(code).toContain('createMfaServer')
    expect(code).not.toMatch(/\brequire\(["'](fs|path|crypto|better-sqlite3)["']\)/)
  }, 30_000)

  it('bundles the browser face matcher with no Node built-in, face-api left to load on first use', async () => {
    const found: string[] = []
    const result = await build({
      entryPoints: [browserFaceEntry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
      external: ['@vladmandic/face-api/*'],
      plugins: [recordNodeImports(found)],
    })
    expect(found).toEqual([])
    expect(result.errors).toEqual([])
    const code = result.outputFiles[0]!.text
    expect(code).toContain('createBrowserFaceMatcher')
    expect(code).toMatch(/import\(\s*["']@vladmandic\/face-api\/dist\/face-api\.esm\.js["']\s*\)/)
  }, 30_000)
})
