import nodemailer from 'nodemailer'
import type { MessageSender } from '../delivery/types'

export interface SmtpSenderOptions {
  /** `smtp://user:pass@host:port` or `smtps://…` (nodemailer connection URL). */
  url: string
  /** Sender address. @default 'mfa-kit <no-reply@localhost>' */
  from?: string
}

export interface SmtpSender extends MessageSender {
  close(): void
}

/** Sends email codes over SMTP with nodemailer. */
export function createSmtpSender(options: SmtpSenderOptions): SmtpSender {
  const transport = nodemailer.createTransport(options.url)
  const from = options.from ?? 'mfa-kit <no-reply@localhost>'
  return {
    async send(message) {
      if (message.channel !== 'email') throw new Error('The SMTP sender only delivers email')
      await transport.sendMail({ from, to: message.to, subject: message.subject ?? 'Verification code', text: message.text })
    },
    close() {
      transport.close()
    },
  }
}
