#!/usr/bin/env node
// Enforces the import rules between the kit's packages. Usage: node scripts/check-layers.mjs [root]
// Prints one line per violation and exits 1 when there is any.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Which workspace packages each package may import. */
const allowedDeps = {
  protocol: [],
  client: ['protocol'],
  hooks: ['client'],
  ui: ['hooks'],
  server: ['protocol'],
}

/** Node built-ins and Node-only libraries the server core must not import (they belong behind `@mfa-kit/server/node`). */
const nodeOnly =
  /^(node:|fs$|fs\/|path$|os$|http$|https$|net$|tls$|crypto$|child_process$|stream$|url$|zlib$|worker_threads$|better-sqlite3$|nodemailer$|@hono\/node-server)/

/**
 * Code that only tests and stories use: tests (`*.test.ts`, `*.test-d.ts`), stories, and the helpers
 * they share (`*.testing.ts`). It is never published and may import anything.
 */
export const TEST_ONLY = /\.(test|test-d|testing|stories)\.(ts|tsx)$/

const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules') yield* sourceFiles(path)
    } else if (/\.(ts|tsx|mts|js|mjs)$/.test(name) && !TEST_ONLY.test(name)) {
      yield path
    }
  }
}

function specifiers(code) {
  const out = []
  for (const m of code.matchAll(importPattern)) out.push(m[1] ?? m[2] ?? m[3])
  return out.filter(Boolean)
}

/** Strips comments so that words in them do not count as code. */
function withoutComments(code) {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

export function checkLayers(root) {
  const violations = []
  const packagesDir = join(root, 'packages')
  for (const pkg of Object.keys(allowedDeps)) {
    const src = join(packagesDir, pkg, 'src')
    if (!existsSync(src)) continue
    const manifest = JSON.parse(readFileSync(join(packagesDir, pkg, 'package.json'), 'utf8'))
    const _exported = Object.keys(manifest.exports ?? { '.': '' })
    for (const file of sourceFiles(src)) {
      const rel = relative(root, file).split(sep).join('/')
      const code = withoutComments(readFileSync(file, 'utf8'))
      const isServerNode = pkg === 'server' && rel.includes('/src/node/')
      for (const spec of specifiers(code)) {
        if (pkg === 'hooks' && /\.css$/.test(spec)) violations.push(`${rel}: hooks ships no CSS (${spec})`)
        const kit = /^@mfa-kit\/([^/]+)(\/.*)?$/.exec(spec)
        if (kit) {
          const [, target, subpath] = kit
          if (target !== pkg && !allowedDeps[pkg].includes(target)) {
            violations.push(`${rel}: ${pkg} may not import @mfa-kit/${target}`)
          }
          if (subpath) {
            const targetManifest = join(packagesDir, target, 'package.json')
            const targetExports = existsSync(targetManifest)
              ? Object.keys(JSON.parse(readFileSync(targetManifest, 'utf8')).exports ?? {})
              : []
            if (!targetExports.includes(`.${subpath}`))
              violations.push(`${rel}: imports internals ${spec} (only declared entries may be imported)`)
          }
          continue
        }
        if (spec.startsWith('.')) {
          if (/^(\.\.\/)+(\.\.)?$/.test(spec) || /\.\.\/\.\.\/(protocol|client|hooks|ui|server)\//.test(spec) || /packages\//.test(spec)) {
            violations.push(`${rel}: relative import ${spec} reaches outside its package`)
          }
          continue
        }
        if ((pkg === 'client' || pkg === 'server' || pkg === 'protocol') && /^(react|react-dom)(\/|$)/.test(spec)) {
          violations.push(`${rel}: ${pkg} may not import React (${spec})`)
        }
        if (pkg === 'protocol') violations.push(`${rel}: protocol has no dependencies, but imports ${spec}`)
        if (pkg === 'server' && !isServerNode && nodeOnly.test(spec)) {
          violations.push(`${rel}: server core imports the Node-only module ${spec} (move it behind @mfa-kit/server/node)`)
        }
      }
      if (pkg === 'client' && /\b(localStorage|sessionStorage|indexedDB|document\.cookie)\b/.test(code)) {
        violations.push(`${rel}: client touches browser storage`)
      }
      if (pkg === 'client' && /\b(window|document)\./.test(code)) {
        violations.push(`${rel}: client touches the DOM`)
      }
      if (pkg === 'ui' && /(^|[^.\w])fetch\s*\(/.test(code)) violations.push(`${rel}: ui calls fetch (go through hooks)`)
      if (pkg === 'hooks' && /<(?!(?:[A-Z]|\/[A-Z]|>|\/>))[a-z][\w-]*[\s/>]/.test(code) && /\.tsx$/.test(file)) {
        violations.push(`${rel}: hooks renders markup (only providers are allowed)`)
      }
      if (pkg === 'server' && !isServerNode && /\bprocess\.|\bBuffer\.|\brequire\(/.test(code)) {
        violations.push(`${rel}: server core uses a Node global (process, Buffer or require)`)
      }
    }
  }
  return violations
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url))
  const violations = checkLayers(root)
  for (const v of violations) console.log(`layer rule broken: ${v}`)
  if (violations.length > 0) process.exit(1)
  console.log('layer rules hold')
}
