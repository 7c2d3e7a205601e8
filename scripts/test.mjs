#!/usr/bin/env node
// Runs every check of the kit in order and ends with one line: `N passed, N failed`.
// Each step's own output streams through; a step that cannot report counts is one check.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
process.chdir(root)
mkdirSync('.tmp', { recursive: true })

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

const E2E_REPORT = '.tmp/e2e-report.json'

const PACKAGE_TSCONFIGS = [
  'packages/protocol',
  'packages/client',
  'packages/hooks',
  'packages/ui',
  'packages/server',
  'packages/server/tsconfig.node.json',
]

/** A vitest project as one step, counted from its JSON report. */
function vitestProject(project, title) {
  const report = `.tmp/vitest-${project}.json`
  return {
    name: title,
    run: () => {
      rmSync(report, { force: true })
      return run('pnpm', [
        'exec',
        'vitest',
        'run',
        '--project',
        project,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ])
    },
    count: () => {
      if (!existsSync(report)) return null
      const r = JSON.parse(readFileSync(report, 'utf8'))
      return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) }
    },
  }
}

/** Steps: a name, how to run it, and how to count its results. */
const steps = [
  { name: 'typecheck', run: () => run('pnpm', ['exec', 'tsc', '-p', '.', '--noEmit']) },
  {
    // Each package on its own, with only the globals of where it runs: a Node API in a browser
    // package (or in the server core) is a type error.
    name: 'typecheck per package (no Node types outside server/node)',
    run: async () => {
      let failed = 0
      for (const project of PACKAGE_TSCONFIGS) failed += (await run('pnpm', ['exec', 'tsc', '-p', project, '--noEmit'])) === 0 ? 0 : 1
      return failed
    },
  },
  { name: 'layer rules', run: () => run('node', ['scripts/check-layers.mjs']) },
  { name: 'format and lint (Biome)', run: () => run('pnpm', ['exec', 'biome', 'check', '.']) },
  { name: 'unused files, exports and dependencies (knip)', run: () => run('pnpm', ['exec', 'knip']) },
  vitestProject('node', 'protocol, client and server tests'),
  vitestProject('dom', 'hooks and component tests (React 19)'),
  vitestProject('react18', 'hooks and component tests (React 18.3)'),
  vitestProject('types', 'type tests'),
  vitestProject('storybook', 'story tests in Chromium, with axe'),
  {
    // `pnpm build-storybook`, then the static site served from a sub-path and opened offline in Chromium.
    name: 'Storybook static build, served from a folder',
    run: () => run('pnpm', ['exec', 'tsx', 'scripts/check-storybook-static.ts']),
  },
  { name: 'size budgets', run: () => run('node', ['scripts/size.mjs']) },
  // Every package built, packed and installed from its tarball into an app outside the workspace.
  { name: 'packed packages in an app (publint, attw, Vite, SSR, plain node)', run: () => run('node', ['scripts/pack-test.mjs']) },
  {
    // The playground built for React 19 and 18.3 and served under a strict CSP, against a fresh server.
    name: 'end-to-end journeys in Chromium (Playwright)',
    run: () => {
      rmSync(E2E_REPORT, { force: true })
      return run('pnpm', ['exec', 'playwright', 'test'])
    },
    count: () => {
      if (!existsSync(E2E_REPORT)) return null
      const { stats } = JSON.parse(readFileSync(E2E_REPORT, 'utf8'))
      return { passed: stats.expected + stats.flaky, failed: stats.unexpected }
    },
  },
]

let passed = 0
let failed = 0
const summary = []
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`)
  const code = await step.run()
  const counted = step.count?.()
  if (counted) {
    // A runner that exits non-zero without a failed test (a crash, an unhandled error) still fails the run.
    const extra = code !== 0 && counted.failed === 0 ? 1 : 0
    passed += counted.passed
    failed += counted.failed + extra
    summary.push(`${step.name}: ${counted.passed} passed, ${counted.failed + extra} failed`)
  } else {
    if (code === 0) passed++
    else failed++
    summary.push(`${step.name}: ${code === 0 ? 'passed' : `failed (exit ${code})`}`)
  }
}

console.log('\n=== summary ===')
for (const line of summary) console.log(line)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
