/**
 * The ceiling for the benchmark: a bare Hono app on the same Node HTTP adapter as the MFA server,
 * answering a small JSON body. Prints `{"url":…}` once listening, like the server CLI.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/', (c) => c.json({ code: 200, message: 'hello', data: null }))

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`)
})

process.on('SIGTERM', () => server.close(() => process.exit(0)))
