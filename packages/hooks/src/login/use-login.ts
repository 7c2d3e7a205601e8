import type {
  LoginByPhoneCodeOptions,
  LoginByPhonePasswordOptions,
  LoginOptions,
  LoginResult,
  MfaError,
  MfaTrigger,
} from '@mfa-kit/client'
import { mfaMutationOptions } from '../query-options'
import type { LoginVariables } from '../query-options'
import { useFlow } from '../utils/use-flow'
import { loginInitialState, loginReducer } from './login.reducer'
import type { LoginStatus } from './login.reducer'

export interface UseLoginOptions {
  /** Called with every successful answer: signed in, or MFA required. */
  onSuccess?: (result: LoginResult) => void
}

export interface UseLoginResult {
  status: LoginStatus
  error: MfaError | null
  /** The last answer. */
  data: LoginResult | null
  /** What the second factor needs, when `mfa_required`; hand it to `useMfaChallenge`. */
  trigger: MfaTrigger | null
  loginByEmail: (email: string, password: string, options?: LoginOptions) => Promise<LoginResult | null>
  loginByUsername: (username: string, password: string, options?: LoginOptions) => Promise<LoginResult | null>
  loginByPhonePassword: (phone: string, password: string, options?: LoginByPhonePasswordOptions) => Promise<LoginResult | null>
  loginByPhoneCode: (phone: string, code: string, options?: LoginByPhoneCodeOptions) => Promise<LoginResult | null>
  /** Back to `idle`, e.g. to start over after an expired MFA challenge. */
  reset: () => void
  /** Seconds until logins are accepted again, while `rate_limited`. */
  secondsLeft: number
}

/** Signs in with `client.auth.login*`. MFA is an answer, not an error: `mfa_required` with the trigger. */
export function useLogin(options: UseLoginOptions = {}): UseLoginResult {
  const flow = useFlow(loginReducer, () => loginInitialState, {})
  const { state, send } = flow

  async function login(variables: LoginVariables) {
    const result = await flow.call({ type: 'submit' }, mfaMutationOptions(flow.client, 'login'), variables)
    if (!result) return null
    send({ type: 'succeeded', result })
    options.onSuccess?.(result)
    return result
  }
  const by =
    <M extends LoginVariables['method']>(method: M) =>
    (account: string, secret: string, o?: LoginOptions & LoginByPhonePasswordOptions & LoginByPhoneCodeOptions) =>
      login({ method, account, secret, options: o } as LoginVariables)

  const r = state.result
  return {
    ...flow.base,
    data: r,
    trigger: r?.status === 'mfa_required' ? r.trigger : null,
    loginByEmail: by('loginByEmail'),
    loginByUsername: by('loginByUsername'),
    loginByPhonePassword: by('loginByPhonePassword'),
    loginByPhoneCode: by('loginByPhoneCode'),
    reset: () => flow.reset(),
  }
}
