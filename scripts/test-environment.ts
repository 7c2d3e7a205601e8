/**
 * What the browser and React 18 runs share: Debian's Chromium with the flags a closed network
 * needs (TOOLCHAIN.md §5), and the aliases that make every import of React resolve to React 18.3.
 * Used by the vitest projects, the Playwright config and the playground's React 18 build.
 */

import { fileURLToPath } from 'node:url'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const chromiumLaunchOptions = { executablePath: chromiumPath, args: chromiumArgs }

/**
 * Chromium's own fake camera, allowed without a prompt: `getUserMedia` answers with a generated
 * test pattern, so that the face components' camera steps run in the story and end-to-end tests.
 */
export const fakeCameraArgs = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']

// The React 18.3 environment: that package's own node_modules holds React 18 and the libraries that
// peer on it, so every import of React in a run resolves to the same copy.
const react18Env = fileURLToPath(new URL('../packages/hooks/test/react18/node_modules/', import.meta.url))

export const react18Aliases = [
  { find: /^react$/, replacement: `${react18Env}react/index.js` },
  { find: /^react\/(.*)$/, replacement: `${react18Env}react/$1` },
  { find: /^react-dom$/, replacement: `${react18Env}react-dom/index.js` },
  { find: /^react-dom\/(.*)$/, replacement: `${react18Env}react-dom/$1` },
  { find: /^@testing-library\/react$/, replacement: `${react18Env}@testing-library/react/dist/@testing-library/react.esm.js` },
  { find: /^@tanstack\/react-query$/, replacement: `${react18Env}@tanstack/react-query/build/modern/index.js` },
]
