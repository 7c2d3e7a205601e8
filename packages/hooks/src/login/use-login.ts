import type {
  LoginByPhoneCodeOptions,
  LoginByPhonePasswordOptions,
  LoginOptions,
  LoginResult,
  CallOptions,
  MfaClient,
  MfaError,
  MfaTrigger,
  RegisterResult,
  User,
} from '@mfa-kit/client'
import { mfaMutationOptions } from '../query-options'
import type { LoginVariables, MfaMutationOptions } from '../query-options'
import { useFlow } from '../utils/use-flow'
import { loginInitialState, loginReducer } from './login.reducer'
import type { AccountRequestEvent, AccountRequestState, LoginStatus } from './login.reducer'

export interface UseLoginOptions {
  /** Called with every successful answer: signed in, or MFA required. */
  onSuccess?: (result: LoginResult) => void
}

/** What a sign-in (or a registration) answered, with `data` narrowed by status. */
export type SignInAnswer =
  | { status: 'authenticated'; error: null; data: { user: User; trigger: null } }
  | { status: 'mfa_required'; error: null; data: { user: null; trigger: MfaTrigger } }

/** The login in one status: `authenticated` has the user, `mfa_required` the trigger for `useMfaChallenge`. */
export type LoginSnapshot =
  | SignInAnswer
  | { status: Exclude<LoginStatus, SignInAnswer['status']>; error: MfaError | null; data: { user: null; trigger: null } }

export interface LoginActions<S> {
  loginByEmail: (email: string, password: string, options?: LoginOptions) => Promise<S>
  loginByUsername: (username: string, password: string, options?: LoginOptions) => Promise<S>
  loginByPhonePassword: (phone: string, password: string, options?: LoginByPhonePasswordOptions) => Promise<S>
  loginByPhoneCode: (phone: string, code: string, options?: LoginByPhoneCodeOptions) => Promise<S>
}

export type UseLoginResult = LoginSnapshot &
  LoginActions<LoginSnapshot> & {
    /** Back to `idle`, e.g. to start over after an expired MFA challenge. */
    reset: () => void
    /** Seconds until logins are accepted again, while `rate_limited`. */
    secondsLeft: number
  }

/** The status, error and data of a sign-in or registration state: the answer's user or trigger in `data`. */
function accountSnapshotOf({ status, error, result }: { status: string; error: MfaError | null; result: RegisterResult | null }) {
  const trigger = result?.status === 'mfa_required' ? result.trigger : null
  const user = result && result.status !== 'mfa_required' ? result.user : null
  return { status, error, data: { user, trigger } }
}

/**
 * A sign-in or a registration: one request whose answer's status ends the flow. A user signed in
 * by it is recorded in the session.
 */
export function useAccountRequest<R extends RegisterResult, V extends CallOptions, Snapshot>(
  reducer: (state: AccountRequestState<R>, event: AccountRequestEvent<R>) => AccountRequestState<R>,
  initialState: AccountRequestState<R>,
  request: (client: MfaClient) => MfaMutationOptions<R, V>,
  onSuccess: ((result: R) => void) | undefined,
) {
  const flow = useFlow(reducer, () => initialState, {})
  const snapshotOf = (state: AccountRequestState<R>) => accountSnapshotOf(state) as Snapshot
  return {
    snapshot: snapshotOf(flow.state),
    async submit(variables: V): Promise<Snapshot> {
      const result = await flow.call({ type: 'submit' }, request(flow.client), variables)
      if (result && flow.send({ type: 'succeeded', result })) {
        if (result.status === 'authenticated') flow.session.signIn(result.user)
        onSuccess?.(result)
      }
      return snapshotOf(flow.ref.current)
    },
    reset: () => flow.reset(),
    secondsLeft: flow.countdown.secondsLeft,
  }
}

/** Signs in with `client.auth.login*`. MFA is an answer, not an error: `mfa_required` with the trigger. */
export function useLogin(options: UseLoginOptions = {}): UseLoginResult {
  const { snapshot, submit, reset, secondsLeft } = useAccountRequest<LoginResult, LoginVariables, LoginSnapshot>(
    loginReducer,
    loginInitialState,
    (client) => mfaMutationOptions(client, 'login'),
    options.onSuccess,
  )
  const by =
    (method: LoginVariables['method']) =>
    (account: string, secret: string, o?: LoginOptions & LoginByPhonePasswordOptions & LoginByPhoneCodeOptions) =>
      submit({ method, account, secret, options: o } as LoginVariables)

  return {
    ...snapshot,
    loginByEmail: by('loginByEmail'),
    loginByUsername: by('loginByUsername'),
    loginByPhonePassword: by('loginByPhonePassword'),
    loginByPhoneCode: by('loginByPhoneCode'),
    reset,
    secondsLeft,
  }
}
