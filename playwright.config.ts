import { defineConfig, devices } from '@playwright/test'
import { chromiumArgs, chromiumPath, fakeCameraArgs } from './scripts/test-environment.ts'

/**
 * End-to-end journeys in Debian's Chromium against the playground (see e2e/serve.ts): the React 19
 * build, the same build under a strict CSP, and the React 18.3 build. The fake camera flags let the
 * face journeys feed a fixture photo as the webcam. Failures are not retried: a flaky test is a bug.
 */
export default defineConfig({
  testDir: 'e2e',
  // Each journey has its own account on the shared server, so two run at once: most of a journey
  // waits on the server, a countdown or the browser, and the suite finishes in half the time.
  workers: 2,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  outputDir: '.tmp/e2e-results',
  reporter: [['list'], ['json', { outputFile: '.tmp/e2e-report.json' }]],
  use: {
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: chromiumPath,
      args: [...chromiumArgs, ...fakeCameraArgs],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'react19', use: { baseURL: 'http://127.0.0.1:4173' } },
    { name: 'csp', use: { baseURL: 'http://127.0.0.1:4174' }, grep: /@csp/ },
    { name: 'react18', use: { baseURL: 'http://127.0.0.1:4175' }, grep: /@react18/ },
  ],
  webServer: {
    command: 'node --import tsx e2e/serve.ts',
    url: 'http://127.0.0.1:4175',
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
  },
})
