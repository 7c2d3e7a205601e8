import type { RegisterResult } from '@mfa-kit/client'
import { accountRequestMachine } from '../login/login.reducer'
import type { AccountRequestEvent, AccountRequestState, AccountRequestStatus } from '../login/login.reducer'

export type SignUpStatus = AccountRequestStatus<RegisterResult>
export type SignUpState = AccountRequestState<RegisterResult>
export type SignUpEvent = AccountRequestEvent<RegisterResult>

export const signUpInitialState: SignUpState = { status: 'idle', error: null, resume: 'idle', result: null }

/** The registration machine: idle → submitting → authenticated | mfa_required | sign_in_required. */
export const signUpReducer: (state: SignUpState, event: SignUpEvent) => SignUpState = accountRequestMachine<RegisterResult>()
