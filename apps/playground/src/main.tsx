import { createMfaClient } from '@mfa-kit/client'
import { MfaProvider } from '@mfa-kit/hooks'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@mfa-kit/ui/styles.css'
// The guard and the settings page offer face: its screens have a stylesheet of their own.
import '@mfa-kit/ui/face.css'
import './playground.css'
import { App } from './app'

// The playground's own origin proxies the API to the reference server (see vite.config.ts).
const client = createMfaClient({ appId: 'playground', appHost: window.location.origin, lang: 'en-US' })

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MfaProvider client={client}>
      <App />
    </MfaProvider>
  </StrictMode>,
)
