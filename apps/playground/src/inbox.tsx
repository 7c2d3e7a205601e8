import { useEffect, useState } from 'react'

interface InboxMessage {
  channel: 'sms' | 'email'
  to: string
  code: string | null
  text: string
  sentAt: string
}

/**
 * The reference server's dev outbox, as a phone and a mailbox would show it: every SMS and email
 * the server "sent", newest first. Only a server started with `--dev` has it.
 */
export function Inbox() {
  const [messages, setMessages] = useState<InboxMessage[] | null>(null)
  useEffect(() => {
    let live = true
    const read = async () => {
      try {
        const response = await fetch('/api/dev/outbox')
        const body = (await response.json()) as { data?: InboxMessage[] }
        if (live) setMessages(body.data ?? [])
      } catch {
        if (live) setMessages(null)
      }
    }
    void read()
    const timer = setInterval(read, 1000)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [])

  return (
    <aside className="pg-inbox" aria-labelledby="pg-inbox-title">
      <h2 id="pg-inbox-title">Demo inbox</h2>
      <p className="pg-muted">SMS and email sent by the server, for trying the codes.</p>
      {messages === null ? (
        <p>The server's dev inbox is not reachable.</p>
      ) : messages.length === 0 ? (
        <p>Nothing sent yet.</p>
      ) : (
        <ol className="pg-inbox-list">
          {messages.map((message) => (
            <li key={`${message.sentAt}|${message.to}|${message.text}`} data-channel={message.channel}>
              <span className="pg-inbox-to">
                {message.channel === 'sms' ? 'SMS' : 'Email'} to {message.to}
              </span>
              {message.code ? (
                <span className="pg-inbox-code" data-testid="inbox-code">
                  {message.code}
                </span>
              ) : (
                <span>{message.text}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </aside>
  )
}
