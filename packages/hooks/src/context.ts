import { createContext } from './peer'
import type { QueryClient } from '@tanstack/react-query'
import type { MfaClient } from '@mfa-kit/client'

export interface MfaContextValue {
  client: MfaClient
  queryClient: QueryClient
  /** The clock countdowns read. */
  now: () => number
}

export const MfaContext = createContext<MfaContextValue | null>(null)
