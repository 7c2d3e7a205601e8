import { fileURLToPath } from 'node:url'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'

/** Debian's Chromium, started as TOOLCHAIN.md §5 says a closed network needs. */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

// The hooks suite runs a second time against React 18.3. That package's own node_modules holds React 18
// and the libraries that peer on it, so every import of React in the run resolves to the same copy.
const react18Env = fileURLToPath(new URL('./packages/hooks/test/react18/node_modules/', import.meta.url))
const react18 = [
  { find: /^react$/, replacement: `${react18Env}react/index.js` },
  { find: /^react\/(.*)$/, replacement: `${react18Env}react/$1` },
  { find: /^react-dom$/, replacement: `${react18Env}react-dom/index.js` },
  { find: /^react-dom\/(.*)$/, replacement: `${react18Env}react-dom/$1` },
  { find: /^@testing-library\/react$/, replacement: `${react18Env}@testing-library/react/dist/@testing-library/react.esm.js` },
  { find: /^@tanstack\/react-query$/, replacement: `${react18Env}@tanstack/react-query/build/modern/index.js` },
]

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['packages/{protocol,client,server}/src/**/*.test.ts', 'scripts/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['packages/{hooks,ui}/src/**/*.test.{ts,tsx}'],
          setupFiles: ['./vitest.setup.ts'],
        },
      },
      {
        extends: true,
        resolve: { alias: react18 },
        test: {
          name: 'react18',
          environment: 'jsdom',
          include: ['packages/{hooks,ui}/src/**/*.test.{ts,tsx}'],
          setupFiles: ['./vitest.setup.ts'],
          // The ui's QR code library imports React itself: bundle it so that it gets React 18 too.
          server: { deps: { inline: ['qrcode.react'] } },
        },
      },
      {
        // Every story, rendered in Chromium with its play function and an axe check.
        extends: true,
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
    ],
  },
})
