import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { chromiumLaunchOptions, fakeCameraArgs, react18Aliases } from './scripts/test-environment.ts'

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: on a 2-core CI machine, a single worker.
    // The node and jsdom projects run their files two at a time (the story tests keep one browser).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          // Integration tests run real processes, SQLite files and face models, on 2 cores shared
          // with the other projects: generous limits, so that only a real hang times out.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          include: ['packages/{protocol,client,server}/src/**/*.test.ts', 'scripts/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          // Whole flows against the in-process server, on 2 cores shared with other test files.
          testTimeout: 30_000,
          include: ['packages/{hooks,ui}/src/**/*.test.{ts,tsx}'],
          setupFiles: ['./vitest.setup.ts'],
        },
      },
      {
        extends: true,
        resolve: { alias: react18Aliases },
        test: {
          name: 'react18',
          environment: 'jsdom',
          testTimeout: 30_000,
          include: ['packages/{hooks,ui}/src/**/*.test.{ts,tsx}'],
          setupFiles: ['./vitest.setup.ts'],
          // The ui's QR code library imports React itself: bundle it so that it gets React 18 too.
          server: { deps: { inline: ['qrcode.react'] } },
        },
      },
      {
        // Every story, rendered in Chromium with its play function and an axe check; the camera is Chromium's fake one.
        extends: true,
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          // One page at a time: the live face stories run face models in the page.
          maxWorkers: 1,
          // The live face stories load face models and match faces in the page: on a loaded 2-core
          // machine one can take longer than the browser default of 15 s. Only a real hang reaches this.
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, ...fakeCameraArgs] } }),
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
