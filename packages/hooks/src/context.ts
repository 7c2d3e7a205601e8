import { createContext } from './peer'
import type { QueryClient } from '@tanstack/react-query'
import type { MfaClient } from '@mfa-kit/client'
import type { SessionStore } from './session/session-store'

export interface MfaContextValue {
  client: MfaClient
  queryClient: QueryClient
  /** The clock countdowns read. */
  now: () => number
  /** Who is signed in; flows that sign a user in report it here when they finish. */
  session: SessionStore
}

export const MfaContext = createContext<MfaContextValue | null>(null)
