/**
 * Builds Storybook (`pnpm build-storybook`, unless `--no-build`) and proves the static site works
 * offline from any folder: it is served under a sub-path by a plain file server, opened in
 * Chromium with every request to another host refused, and a live story must sign in against the
 * server core running in the page. Usage: pnpm exec tsx scripts/check-storybook-static.ts [--no-build]
 */

import { spawnSync } from 'node:child_process'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright'
import { chromiumLaunchOptions } from './test-environment.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const site = join(root, 'storybook-static')
/** Any folder will do: not the server's root. */
const SUB_PATH = '/some/folder/storybook/'

if (!process.argv.includes('--no-build')) {
  const started = Date.now()
  const build = spawnSync('pnpm', ['build-storybook', '--quiet'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  console.log(`built storybook-static in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
if (!existsSync(join(site, 'index.html'))) {
  console.error('storybook-static/index.html is missing: run pnpm build-storybook')
  process.exit(1)
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** Files of storybook-static under SUB_PATH, and nothing else. */
const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
  if (!path.startsWith(SUB_PATH)) return void response.writeHead(404).end()
  let file = normalize(join(site, path.slice(SUB_PATH.length)))
  if (!file.startsWith(site + sep) && file !== site) return void response.writeHead(403).end()
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
  if (!existsSync(file)) return void response.writeHead(404).end()
  response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
  createReadStream(file).pipe(response)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const base = `${origin}${SUB_PATH}`

const t0 = Date.now()
const failures: string[] = []
const browser = await chromium.launch(chromiumLaunchOptions)
try {
  const context = await browser.newContext()
  const outside = new Set<string>()
  // Offline: nothing may be fetched from anywhere but the folder (no CDN, no font service).
  context.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.add(url)
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))

  // A live story: its play function signs the demo account in against the server core in the page.
  await page.goto(`${base}iframe.html?id=drop-in-mfaguard--second-factor&viewMode=story`)
  await page.getByRole('heading', { name: 'Enter your authentication code' }).waitFor({ timeout: 60_000 })
  console.log(`story rendered: the live sign-in reached its second factor (${Date.now() - t0} ms)`)

  // The manager (sidebar, toolbar, docs) from the same folder.
  await page.goto(`${base}index.html?path=/story/drop-in-mfaguard--sign-in`)
  await page.getByRole('button', { name: 'MfaGuard', exact: false }).first().waitFor({ timeout: 60_000 })
  await page.frameLocator('#storybook-preview-iframe').getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 60_000 })
  console.log(`manager rendered the story in its frame (${Date.now() - t0} ms)`)

  // A guide page (MDX), with a live story embedded in it.
  await page.goto(`${base}iframe.html?id=guides-getting-started--docs&viewMode=docs`)
  await page.getByRole('heading', { name: 'The drop-in, in three lines' }).waitFor({ timeout: 60_000 })
  await page.getByRole('heading', { name: 'Sign in' }).first().waitFor({ timeout: 60_000 })
  console.log(`guide rendered with its live story (${Date.now() - t0} ms)`)

  if (outside.size > 0) failures.push(`requests outside the folder: ${[...outside].join(', ')}`)
  if (errors.length > 0) failures.push(`page errors: ${errors.join('; ')}`)
} catch (error) {
  failures.push(String(error))
} finally {
  await browser.close()
  server.close()
}

for (const failure of failures) console.error(failure)
if (failures.length > 0) process.exit(1)
console.log(`storybook-static works offline from ${SUB_PATH}`)
