import type { LoginResult, RegisterResult } from '@mfa-kit/client'
import { machine, on } from '../utils/machine'
import type { FlowState, SharedFlowEvent } from '../utils/machine'

/** The statuses of a request that signs in (or registers): its answer's status ends it. */
export type AccountRequestStatus<R extends RegisterResult> = 'idle' | 'submitting' | R['status'] | 'rate_limited'

export interface AccountRequestState<R extends RegisterResult> extends FlowState<AccountRequestStatus<R>, 'idle'> {
  /** What the last successful call answered. */
  result: R | null
}

export type AccountRequestEvent<R extends RegisterResult> = { type: 'submit' } | { type: 'succeeded'; result: R } | SharedFlowEvent

/**
 * The machine of a sign-in or a registration: idle → submitting → the status of the answer
 * (`authenticated`, `mfa_required`, and for a registration `sign_in_required`). It has no
 * mfaToken yet, so it never ends `expired`.
 */
export function accountRequestMachine<R extends RegisterResult>(): (
  state: AccountRequestState<R>,
  event: AccountRequestEvent<R>,
) => AccountRequestState<R> {
  const initial: AccountRequestState<R> = { status: 'idle', error: null, resume: 'idle', result: null }
  return machine<AccountRequestState<R>, AccountRequestEvent<R>>({
    initial: () => initial,
    transitions: {
      submit: on('idle', 'submitting', () => ({ result: null })),
      succeeded: on('submitting', (_, event) => event.result.status),
    },
    onFail: { submitting: 'idle' },
    failures: { rateLimited: true },
  })
}

export type LoginStatus = AccountRequestStatus<LoginResult>
export type LoginState = AccountRequestState<LoginResult>
export type LoginEvent = AccountRequestEvent<LoginResult>

export const loginInitialState: LoginState = { status: 'idle', error: null, resume: 'idle', result: null }

/** The login machine: idle → submitting → authenticated | mfa_required. */
export const loginReducer: (state: LoginState, event: LoginEvent) => LoginState = accountRequestMachine<LoginResult>()
