import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { react18Aliases } from '../../scripts/test-environment.ts'

/**
 * The playground talks to the reference server through this server's proxy, so the page and the
 * API share one origin: no CORS, and the server sees a loopback client (the dev inbox answers it).
 * `npm start` and the end-to-end tests set MFA_SERVER_URL to the server they started.
 *
 * Modes besides the usual ones, for the end-to-end tests:
 * - `react18` builds the same app against React 18.3 (into `dist-react18`);
 * - `csp` previews the build under a strict Content-Security-Policy, to prove the kit needs no
 *   inline script or style.
 */
const server = process.env.MFA_SERVER_URL ?? 'http://127.0.0.1:3000'
const proxy = { '/api': server, '/graphql': server }

export const STRICT_CSP = "default-src 'self'; style-src 'self'; script-src 'self'"

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  ...(mode === 'react18' ? { resolve: { alias: react18Aliases } } : {}),
  build: { outDir: mode === 'react18' ? 'dist-react18' : 'dist' },
  server: { proxy },
  preview: { proxy, ...(mode === 'csp' ? { headers: { 'content-security-policy': STRICT_CSP } } : {}) },
}))
