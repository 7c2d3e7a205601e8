/** A message carrying a one-time code. */
export interface OutgoingMessage {
  channel: 'sms' | 'email'
  /** Phone number (with country code when known) or email address. */
  to: string
  /** Email subject; absent for SMS. */
  subject?: string
  /** The full text, including the code. */
  text: string
  /** The code itself, for senders that template it (and for the dev outbox). */
  code: string
}

/** Delivers messages to one channel. Throwing means "not delivered"; the caller answers an error. */
export interface MessageSender {
  send(message: OutgoingMessage): Promise<void>
}
