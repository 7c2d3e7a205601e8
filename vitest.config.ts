import { defineConfig } from 'vitest/config'

const react18 = {
  react: 'react-18',
  'react-dom': 'react-dom-18',
}

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
          server: { deps: { inline: [/@tanstack\//, /@testing-library\//] } },
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
