import type { OutboxMessage } from '@mfa-kit/protocol'
import type { Clock } from '../clock'
import type { OutgoingMessage } from './types'

/** The dev outbox: the latest messages sent, newest first. Only exposed with `dev: true`. */
export interface Outbox {
  add(message: OutgoingMessage): void
  list(): OutboxMessage[]
  clear(): void
}

export function createOutbox(clock: Clock, capacity = 200): Outbox {
  let messages: OutboxMessage[] = []
  return {
    add(message) {
      messages.unshift({
        channel: message.channel,
        to: message.to,
        code: message.code,
        text: message.text,
        sentAt: new Date(clock.now()).toISOString(),
      })
      if (messages.length > capacity) messages.length = capacity
    },
    list: () => messages.map((message) => ({ ...message })),
    clear() {
      messages = []
    },
  }
}
