import { defineConfig } from 'vitest/config'

import { fileURLToPath } from 'node:url'

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
          include: ['packages/hooks/src/**/*.test.{ts,tsx}'],
          setupFiles: ['./vitest.setup.ts'],
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
