import type { Decorator, Loader, Preview } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { MfaProvider } from '@mfa-kit/hooks'
import { MfaLocaleProvider, type MfaLocale } from '@mfa-kit/ui'
import '@mfa-kit/ui/styles.css'
import './preview.css'
import { createLiveMfa, type LiveMfa, type LiveMfaOptions } from './live'

/** A fresh server, client and clock for every story that asks for one with `parameters.mfa`. */
const liveLoader: Loader = async (context) => {
  const options = context.parameters.mfa as LiveMfaOptions | undefined
  if (!options) return {}
  const live = createLiveMfa(options)
  await options.setup?.(live)
  return { mfa: live }
}

/** The codes the server "sent", as a phone or a mailbox would show them. */
function OutboxPanel({ live }: { live: LiveMfa }) {
  const [messages, setMessages] = useState(live.outbox())
  useEffect(() => {
    const timer = setInterval(() => setMessages(live.outbox()), 500)
    return () => clearInterval(timer)
  }, [live])
  return (
    <aside className="sb-outbox" aria-label="Demo inbox: SMS and email sent by the server">
      <h2 className="sb-outbox-title">Demo inbox</h2>
      {messages.length === 0 ? (
        <p className="sb-outbox-empty">No SMS or email sent yet.</p>
      ) : (
        <ol className="sb-outbox-list">
          {messages.map((message) => (
            <li key={`${message.sentAt}-${message.to}-${message.text}`}>
              <span className="sb-outbox-to">
                {message.channel === 'sms' ? 'SMS' : 'Email'} to {message.to}
              </span>
              {message.code ? <code className="sb-outbox-code">{message.code}</code> : <span>{message.text}</span>}
            </li>
          ))}
        </ol>
      )}
    </aside>
  )
}

const withLiveServer: Decorator = (Story, context) => {
  const live = context.loaded.mfa as LiveMfa | undefined
  if (!live) return <Story />
  return (
    <MfaProvider client={live.client} now={live.clock.now}>
      <div className="sb-live">
        <main className="sb-live-story">
          <Story />
        </main>
        {context.parameters.outbox === false ? null : <OutboxPanel live={live} />}
      </div>
    </MfaProvider>
  )
}

/** Theme, direction and language from the toolbar, or from a story's `globals`. */
const withPageSettings: Decorator = (Story, context) => {
  const { theme, dir, locale } = context.globals as { theme?: string; dir?: 'ltr' | 'rtl'; locale?: MfaLocale }
  useEffect(() => {
    const root = document.documentElement
    if (theme && theme !== 'auto') root.dataset.theme = theme
    else delete root.dataset.theme
    root.dir = dir ?? 'ltr'
    root.lang = locale ?? 'en-US'
  }, [theme, dir, locale])
  return (
    <MfaLocaleProvider locale={locale ?? 'en-US'}>
      <Story />
    </MfaLocaleProvider>
  )
}

const preview: Preview = {
  loaders: [liveLoader],
  decorators: [withLiveServer, withPageSettings],
  globalTypes: {
    theme: {
      description: 'Colour theme',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['auto', 'light', 'dark'], dynamicTitle: true },
    },
    dir: {
      description: 'Text direction',
      toolbar: { title: 'Direction', icon: 'transfer', items: ['ltr', 'rtl'], dynamicTitle: true },
    },
    locale: {
      description: 'Language',
      toolbar: { title: 'Language', icon: 'globe', items: ['en-US', 'zh-CN', 'zh-TW', 'ja-JP'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'auto', dir: 'ltr', locale: 'en-US' },
  parameters: {
    layout: 'padded',
    // Every story is checked with axe; a violation fails its test.
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
  tags: ['autodocs'],
}

export default preview
