import type { LoginResult, MfaError } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState } from '../utils/machine'

export type LoginStatus = 'idle' | 'submitting' | 'authenticated' | 'mfa_required' | 'rate_limited'

export interface LoginState extends FlowState<'idle'> {
  status: LoginStatus
  /** What the last successful call answered. */
  result: LoginResult | null
}

export type LoginEvent =
  | { type: 'submit' }
  | { type: 'succeeded'; result: LoginResult }
  | { type: 'fail'; error: MfaError }
  | { type: 'retry_ready' }
  | { type: 'reset' }

export const loginInitialState: LoginState = { status: 'idle', error: null, resume: 'idle', result: null }

/** The login machine: idle → submitting → authenticated | mfa_required. */
export const loginReducer: (state: LoginState, event: LoginEvent) => LoginState = machine<LoginState, LoginEvent>(
  () => loginInitialState,
  {
    submit: on<LoginState>('idle', 'submitting', () => ({ result: null })),
    succeeded: on('submitting', undefined, (_, e: { result: LoginResult }) => ({ status: e.result.status, result: e.result })),
  },
  { submitting: 'idle' },
)
