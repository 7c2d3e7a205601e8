import type { AddressInfo } from 'node:net'
import { paths } from '@mfa-kit/protocol'
import { SMTPServer } from 'smtp-server'
import { afterEach, describe, expect, it } from 'vitest'
import { createHarness } from '../harness.testing'
import { createSmtpSender } from './smtp'

interface Received {
  from: string
  to: string[]
  raw: string
}

let stop: (() => Promise<void>) | undefined
afterEach(async () => {
  await stop?.()
  stop = undefined
})

async function startSmtp(): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  stop = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return { port: (server.server.address() as AddressInfo).port, received }
}

describe('SMTP sender', () => {
  it('delivers email codes to a real SMTP server', async () => {
    const smtp = await startSmtp()
    const sender = createSmtpSender({ url: `smtp://127.0.0.1:${smtp.port}`, from: 'Acme <mfa@acme.test>' })
    const h = createHarness({ factors: ['EMAIL'], dev: false, issuer: 'Acme', senders: { email: sender } })
    const result = await h.call('POST', paths.emailSend, { body: { email: 'alice@example.com', scene: 'MFA_VERIFY_CODE' } })
    sender.close()
    expect(result.body.code).toBe(200)
    expect(smtp.received).toHaveLength(1)
    const mail = smtp.received[0]!
    expect(mail.from).toBe('mfa@acme.test')
    expect(mail.to).toEqual(['alice@example.com'])
    expect(mail.raw).toMatch(/Subject: Acme verification code/)
    expect(mail.raw).toMatch(/Your Acme verification code is [0-9]{6}\./)
  })

  it('answers a delivery failure with 6007 and logs no code', async () => {
    const sender = createSmtpSender({ url: 'smtp://127.0.0.1:1' })
    const h = createHarness({ factors: ['EMAIL'], dev: false, senders: { email: sender } })
    const result = await h.call('POST', paths.emailSend, { body: { email: 'alice@example.com', scene: 'MFA_VERIFY_CODE' } })
    sender.close()
    expect(result.body.code).toBe(6007)
    expect(h.logs.some((entry) => entry.event === 'delivery.failed')).toBe(true)
  })
})
