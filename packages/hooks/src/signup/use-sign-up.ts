import type {
  MfaError,
  RegisterByPhoneCodeOptions,
  RegisterByPhoneCodeProfile,
  RegisterByUsernameProfile,
  RegisterOptions,
  RegisterProfile,
  RegisterResult,
  User,
} from '@mfa-kit/client'
import { useAccountRequest } from '../login/use-login'
import type { SignInAnswer } from '../login/use-login'
import { mfaMutationOptions } from '../query-options'
import type { RegisterVariables } from '../query-options'
import { signUpInitialState, signUpReducer } from './sign-up.reducer'
import type { SignUpStatus } from './sign-up.reducer'

export interface UseSignUpOptions {
  /** Called with every successful answer: signed in, MFA required, or sign in to continue. */
  onSuccess?: (result: RegisterResult) => void
}

/**
 * The registration in one status: `authenticated` has the user (the server signed them in),
 * `mfa_required` the trigger for `useMfaChallenge`, `sign_in_required` the new account's user (no
 * token: send them to sign in).
 */
export type SignUpSnapshot =
  | SignInAnswer
  | { status: 'sign_in_required'; error: null; data: { user: User; trigger: null } }
  | { status: Exclude<SignUpStatus, RegisterResult['status']>; error: MfaError | null; data: { user: null; trigger: null } }

export type UseSignUpResult = SignUpSnapshot & {
  /** A password shorter than the client's `minPasswordLength` ends `idle` with `weak_password`, unsent. */
  registerByEmail: (email: string, password: string, profile?: RegisterProfile, options?: RegisterOptions) => Promise<SignUpSnapshot>
  registerByUsername: (
    username: string,
    password: string,
    profile?: RegisterByUsernameProfile,
    options?: RegisterOptions,
  ) => Promise<SignUpSnapshot>
  /** With a code sent by `sendSmsCode(phone, { scene: 'register' })`; the password is optional. */
  registerByPhoneCode: (
    phone: string,
    code: string,
    password?: string,
    profile?: RegisterByPhoneCodeProfile,
    options?: RegisterByPhoneCodeOptions,
  ) => Promise<SignUpSnapshot>
  /** Back to `idle`. */
  reset: () => void
  /** Seconds until registrations are accepted again, while `rate_limited`. */
  secondsLeft: number
}

/**
 * Registers with `client.auth.register*`, the way `useLogin` signs in: the server may sign the
 * user in right away (`authenticated`), ask for a second factor (`mfa_required` with the trigger),
 * or leave signing in to the user (`sign_in_required`).
 */
export function useSignUp(options: UseSignUpOptions = {}): UseSignUpResult {
  const { snapshot, submit, reset, secondsLeft } = useAccountRequest<RegisterResult, RegisterVariables, SignUpSnapshot>(
    signUpReducer,
    signUpInitialState,
    (client) => mfaMutationOptions(client, 'register'),
    options.onSuccess,
  )
  return {
    ...snapshot,
    registerByEmail: (email, password, profile, o) =>
      submit({ method: 'registerByEmail', account: email, secret: password, profile, options: o }),
    registerByUsername: (username, password, profile, o) =>
      submit({ method: 'registerByUsername', account: username, secret: password, profile, options: o }),
    registerByPhoneCode: (phone, code, password, profile, o) =>
      submit({ method: 'registerByPhoneCode', account: phone, secret: code, password, profile, options: o }),
    reset,
    secondsLeft,
  }
}
