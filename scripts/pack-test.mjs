#!/usr/bin/env node
// The packages as an app gets them from a registry: builds and packs every package, checks each
// tarball with publint and attw, installs the tarballs into a scratch app outside the workspace
// (everything else from the registry), bundles a small React app there with Vite, renders it to a
// string in plain Node, starts the packed `mfa-server` with plain `node` and calls it with the
// packed client. Prints the size of each tarball and how long each stage took.
// Usage: node scripts/pack-test.mjs [--keep]   (--keep leaves the scratch directory in place)
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { budgets, measure } from './size.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const PACKAGES = ['protocol', 'client', 'hooks', 'ui', 'server']
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const pinned = (name) => rootPackage.devDependencies[name]
// attw's command, run with node directly (no package-manager shim in between).
const attwBin = join(dirname(createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json')), 'dist/index.js')

const work = mkdtempSync(join(tmpdir(), 'mfa-kit-pack-'))
const tarballs = join(work, 'tarballs')
const app = join(work, 'app')
const figures = []
let failures = 0

function fail(message) {
  failures++
  console.log(`FAIL ${message}`)
}

/** Runs a command; resolves with its exit code and output (printed as well unless quiet). */
function exec(command, args, { cwd = root, env = {}, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const take = (chunk) => {
      output += chunk
      if (!quiet) process.stdout.write(chunk)
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }))
  })
}

async function timed(label, fn) {
  const start = performance.now()
  const result = await fn()
  const seconds = (performance.now() - start) / 1000
  figures.push([label, `${seconds.toFixed(1)} s`])
  console.log(`-- ${label}: ${seconds.toFixed(1)} s`)
  return result
}

/** Runs the tasks two at a time (the machines have two cores). */
async function inPairs(items, task) {
  const queue = [...items]
  const results = []
  await Promise.all(
    [0, 1].map(async () => {
      while (queue.length) {
        const item = queue.shift()
        results.push([item, await task(item)])
      }
    }),
  )
  return new Map(results)
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

try {
  // 1. Build.
  await timed('build (tsdown, 5 packages)', () =>
    inPairs(PACKAGES, async (name) => {
      const { code, output } = await exec('pnpm', ['exec', 'tsdown'], { cwd: join(root, 'packages', name), quiet: true })
      if (code !== 0) {
        console.log(output)
        fail(`@mfa-kit/${name} does not build`)
      }
    }),
  )
  if (failures) throw new Error('the build failed')

  // 2. Pack, as pnpm publishes: publishConfig applied, workspace: versions replaced.
  mkdirSync(tarballs, { recursive: true })
  const packed = await timed('pnpm pack (5 packages)', () =>
    inPairs(PACKAGES, async (name) => {
      const { code, output } = await exec('pnpm', ['pack', '--pack-destination', tarballs], {
        cwd: join(root, 'packages', name),
        quiet: true,
      })
      const file = output.trim().split('\n').at(-1).trim()
      if (code !== 0 || !file.endsWith('.tgz')) {
        console.log(output)
        fail(`@mfa-kit/${name} does not pack`)
      }
      return file
    }),
  )
  if (failures) throw new Error('packing failed')
  for (const name of PACKAGES) figures.push([`packed @mfa-kit/${name}`, kb(statSync(packed.get(name)).size)])

  // 3. publint and attw on each tarball.
  await timed('publint and attw', () =>
    inPairs(PACKAGES, async (name) => {
      const tarball = readFileSync(packed.get(name))
      const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
      const { messages, pkg } = await publint({
        pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length) },
      })
      const lines = messages.map((m) => `  ${m.type}: ${formatMessage(m, pkg)}`)
      console.log(`publint @mfa-kit/${name}: ${lines.length ? `\n${lines.join('\n')}` : 'All good!'}`)
      if (lines.length) fail(`publint reports @mfa-kit/${name}`)
      // Stylesheets have no types to check.
      const css = Object.keys(manifest.publishConfig?.exports ?? {}).filter((k) => k.endsWith('.css'))
      const attw = await exec(
        process.execPath,
        [attwBin, packed.get(name), '--profile', 'esm-only', ...(css.length ? ['--exclude-entrypoints', ...css] : [])],
        { quiet: true },
      )
      // esm-only: the node10 and CommonJS resolutions are reported as ignored; anything else fails.
      console.log(`attw @mfa-kit/${name} --profile esm-only: ${attw.code === 0 ? 'no problems' : `\n${attw.output}`}`)
      if (attw.code !== 0) fail(`attw reports @mfa-kit/${name}`)
    }),
  )

  // 4. The scratch app: the tarballs, and everything else from the registry.
  const tarballOf = (name) => `file:${packed.get(name)}`
  mkdirSync(join(app, 'src'), { recursive: true })
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify(
      {
        name: 'mfa-kit-pack-app',
        private: true,
        type: 'module',
        dependencies: {
          '@mfa-kit/client': tarballOf('client'),
          '@mfa-kit/hooks': tarballOf('hooks'),
          '@mfa-kit/protocol': tarballOf('protocol'),
          '@mfa-kit/server': tarballOf('server'),
          '@mfa-kit/ui': tarballOf('ui'),
          '@tanstack/react-query': pinned('@tanstack/react-query'),
          react: pinned('react'),
          'react-dom': pinned('react-dom'),
        },
        devDependencies: { vite: pinned('vite') },
      },
      null,
      2,
    )}\n`,
  )
  // The packages name each other by version; these point those names at the tarballs too.
  writeFileSync(
    join(app, 'pnpm-workspace.yaml'),
    [
      'overrides:',
      ...PACKAGES.map((name) => `  '@mfa-kit/${name}': '${tarballOf(name)}'`),
      'allowBuilds:',
      '  better-sqlite3: true',
      '  esbuild: false',
      '  core-js: false',
      'updateNotifier: false',
      '',
    ].join('\n'),
  )
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>mfa-kit</title></head>\n<body><div id="root"></div><script type="module" src="/src/main.js"></script></body></html>\n',
  )
  // Plain JavaScript (no JSX), so that Node renders the very same module.
  writeFileSync(
    join(app, 'src/app.js'),
    `import { createElement as h } from 'react'
import { useMfaSession } from '@mfa-kit/hooks'
import { MfaGuard } from '@mfa-kit/ui'

function Account() {
  const session = useMfaSession()
  return h('p', null, 'Signed in as ', session.data.user?.email)
}

export function App({ client }) {
  return h(MfaGuard, { client }, h(Account))
}
`,
  )
  writeFileSync(
    join(app, 'src/main.js'),
    `import '@mfa-kit/ui/styles.css'
import { createElement as h } from 'react'
import { createRoot } from 'react-dom/client'
import { createMfaClient } from '@mfa-kit/client'
import { App } from './app.js'

const client = createMfaClient({ appId: 'pack-test', appHost: location.origin })
createRoot(document.getElementById('root')).render(h(App, { client }))
`,
  )
  writeFileSync(
    join(app, 'ssr.mjs'),
    `import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { createMfaClient } from '@mfa-kit/client'
import { App } from './src/app.js'

const client = createMfaClient({ appId: 'pack-test', appHost: 'http://127.0.0.1:9' })
process.stdout.write(renderToString(h(App, { client })))
`,
  )
  writeFileSync(
    join(app, 'client.mjs'),
    `import { createMfaClient } from '@mfa-kit/client'

const client = createMfaClient({ appId: 'pack-test', appHost: process.argv[2] })
const result = await client.auth.registerByEmail('packed@example.com', 'a long enough password')
console.log(JSON.stringify({ status: result.status, email: result.user?.email }))
`,
  )

  const store = (await exec('pnpm', ['store', 'path'], { quiet: true })).output.trim().split('\n').at(-1)
  const install = await timed('install into the scratch app (pnpm, registry + tarballs)', () =>
    // The workspace's store: packages come from it, and so does better-sqlite3 as pnpm built it for the
    // workspace (its side-effects cache), instead of compiling it again for a minute. The approval of
    // its build script is still checked: without `allowBuilds` the install fails.
    exec('pnpm', ['install', '--prefer-offline', '--reporter=append-only', '--store-dir', store], {
      cwd: app,
      env: { npm_config_nodedir: process.env.npm_config_nodedir || '/usr', CI: 'true' },
    }),
  )
  if (install.code !== 0) throw new Error('the install failed')

  // 5. vite build.
  const build = await timed('vite build of the scratch app', () => exec('pnpm', ['exec', 'vite', 'build'], { cwd: app, quiet: true }))
  if (build.code !== 0) {
    console.log(build.output)
    fail('vite build of the scratch app')
  } else {
    // The QR code library and the other lazy parts must stay out of the entry chunk.
    const assets = join(app, 'dist/assets')
    const entry = /src="\/assets\/([^"]+\.js)"/.exec(readFileSync(join(app, 'dist/index.html'), 'utf8'))?.[1]
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'))
    const entryCode = entry ? readFileSync(join(assets, entry), 'utf8') : ''
    const lazy = js.filter((f) => f !== entry)
    console.log(`vite build: entry ${entry} (${kb(entryCode.length)}), ${lazy.length} lazy chunks`)
    if (!entry || lazy.length < 4)
      fail(`the app's bundle has ${lazy.length} lazy chunks; expected the QR code, binding, step-up and languages`)
    if (entryCode.includes('qrcode.react') || /QRCodeSVG/.test(entryCode)) fail('qrcode.react is in the entry chunk')
  }

  // 6. The size budgets on what the app installed, beside the same entries built from the sources.
  let differ = 0
  await timed('size budgets, sources and built', async () => {
    console.log(`${'entry'.padEnd(60)} ${'sources'.padStart(9)} ${'built'.padStart(9)} ${'budget'.padStart(9)}`)
    for (const b of budgets) {
      const [source, built] = [await measure(b), await measure(b, app)]
      const row = (label, a, c, limit) =>
        console.log(`${label.padEnd(60)} ${kb(a).padStart(9)} ${kb(c).padStart(9)} ${kb(limit).padStart(9)}`)
      row(b.name.length > 60 ? `${b.name.slice(0, 57)}...` : b.name, source.initial, built.initial, b.limit)
      if (b.cssLimit !== undefined) row('  CSS', source.css, built.css, b.cssLimit)
      if (built.initial > b.limit || (b.cssLimit !== undefined && built.css > b.cssLimit)) fail(`${b.name}: over budget as built`)
      // The same code either way, unless a package's build merges modules that its sources keep apart
      // (a bundled build rather than one file per module): then an app pays for more than the
      // sources say, and the budgets measured on the sources would not be what apps get.
      const apart = (a, c) => Math.abs(a - c) > Math.max(64, a * 0.02)
      if (apart(source.initial, built.initial) || apart(source.css, built.css) || source.lazy.length !== built.lazy.length) {
        differ++
        const delta = built.initial - source.initial
        fail(
          `${b.name}: built ${delta >= 0 ? '+' : ''}${delta} bytes, ${built.lazy.length} lazy chunks (sources ${source.lazy.length}): its build merges modules the sources keep apart`,
        )
      }
    }
    console.log(`sizes: ${budgets.length - differ} of ${budgets.length} entries the same built as from the sources (within 2% or 64 bytes)`)
  })

  // 7. Server rendering in plain Node.
  const ssr = await timed('renderToString in plain node', () => exec(process.execPath, ['ssr.mjs'], { cwd: app, quiet: true }))
  if (ssr.code !== 0 || !ssr.output.includes('data-part=') || !ssr.output.includes('type="password"')) {
    console.log(ssr.output)
    fail('the app does not render to a string in plain node')
  } else console.log(`SSR: ${ssr.output.length} characters of HTML with the sign-in form`)

  // 8. The packed server's bin with plain node, then the packed client against it.
  await timed('mfa-server (plain node) and the client', async () => {
    const serverDir = join(app, 'node_modules/@mfa-kit/server')
    const bin = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')).bin['mfa-server']
    const started = performance.now()
    const server = spawn(process.execPath, [join(serverDir, bin), '--port', '0', '--data-dir', join(work, 'data')], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    // Its logs (JSON lines on stderr) are shown only when something fails.
    let logs = ''
    server.stderr.on('data', (chunk) => {
      logs += chunk
    })
    const exited = new Promise((resolve) => server.on('close', (code, signal) => resolve(code ?? signal)))
    try {
      const url = await new Promise((resolve, reject) => {
        let out = ''
        server.stdout.on('data', (chunk) => {
          out += chunk
          const line = out.split('\n').find((l) => l.startsWith('{'))
          if (line) resolve(JSON.parse(line).url)
        })
        exited.then((code) => reject(new Error(`mfa-server exited (${code}) before printing its URL`)))
        setTimeout(() => reject(new Error('mfa-server printed no URL within 30 s')), 30_000).unref()
      })
      const status = `/proc/${server.pid}/status`
      const rss = existsSync(status) ? /VmRSS:\s+(\d+)/.exec(readFileSync(status, 'utf8'))?.[1] : undefined
      console.log(
        `mfa-server (plain node) listening on ${url} after ${Math.round(performance.now() - started)} ms, ${rss ? `${Math.round(rss / 1024)} MB RSS` : ''}`,
      )
      const wellKnown = await (await fetch(`${url}/api/v2/.well-known`)).json()
      if (wellKnown.code !== 200 || !JSON.stringify(wellKnown.data).includes('PUBLIC KEY'))
        fail(`/api/v2/.well-known answered ${JSON.stringify(wellKnown)}`)
      else console.log('/api/v2/.well-known: the public key')
      const client = await exec(process.execPath, ['client.mjs', url], { cwd: app })
      if (client.code !== 0 || !client.output.includes('packed@example.com'))
        fail('the packed client could not register against the packed server')
    } catch (error) {
      fail(error.message)
    }
    server.kill('SIGTERM')
    const code = await exited
    if (code !== 0) fail(`mfa-server did not stop cleanly on SIGTERM (${code})`)
    if (failures) console.log(logs)
  })
} catch (error) {
  fail(error.message)
} finally {
  console.log('\nfigure                                                     value')
  for (const [label, value] of figures) console.log(`${label.padEnd(58)} ${value}`)
  if (process.argv.includes('--keep')) console.log(`scratch app kept in ${app}`)
  else rmSync(work, { recursive: true, force: true })
}

console.log(`pack test: ${failures ? `${failures} failed` : 'passed'}`)
process.exit(failures ? 1 : 0)
