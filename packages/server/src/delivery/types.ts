/** A message carrying a one-time code, or a notice about the account (then `code` is null). */
export interface OutgoingMessage {
  channel: 'sms' | 'email'
  /** Phone number (with country code when known) or email address. */
  to: string
  /** Email subject; absent for SMS. */
  subject?: string
  /** The full text, including the code. */
  text: string
  /** The code itself, for senders that template it (and for the dev outbox); null for a notice. */
  code: string | null
}

/** Delivers messages to one channel. Throwing means "not delivered"; the caller answers an error. */
export interface MessageSender {
  send(message: OutgoingMessage): Promise<void>
}
