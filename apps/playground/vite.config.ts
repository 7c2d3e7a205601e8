import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * The playground talks to the reference server through this dev server's proxy, so the page and the
 * API share one origin: no CORS, and the server sees a loopback client (the dev inbox answers it).
 * `npm start` sets MFA_SERVER_URL to the server it started.
 */
const server = process.env.MFA_SERVER_URL ?? 'http://127.0.0.1:3000'
const proxy = { '/api': server, '/graphql': server }

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
})
