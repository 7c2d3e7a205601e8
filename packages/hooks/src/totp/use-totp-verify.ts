import type { MfaError, User } from '@mfa-kit/client'
import { useOneTimeCode } from '../one-time-code/use-one-time-code'
import type { UseOneTimeCodeResult } from '../one-time-code/use-one-time-code'
import { mfaMutationOptions } from '../query-options'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { totpVerifyInitialState, totpVerifyReducer } from './totp-verify.reducer'
import type { TotpVerifyStatus } from './totp-verify.reducer'

export interface UseTotpVerifyOptions extends FlowCallbacks {
  /** The mfaToken of the login in progress. */
  mfaToken: string
  /** Verify as soon as the sixth digit is in. @default true */
  autoSubmit?: boolean
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
}

export interface UseTotpVerifyResult {
  status: TotpVerifyStatus
  error: MfaError | null
  /** The signed-in user, once `verified`. */
  data: User | null
  /** Verifies a code; resolves to the user, or `null` when it was not accepted. */
  verify: (code: string) => Promise<User | null>
  /** Back to `idle`, with an empty input. */
  reset: () => void
  /** Seconds until codes are accepted again, while `rate_limited`. */
  secondsLeft: number
  /** The code input's state: value, slots, clear(). */
  code: UseOneTimeCodeResult
  /** Props for the code `<input>`; see `useOneTimeCode`. */
  getCodeInputProps: UseOneTimeCodeResult['getInputProps']
}

/** Finishes a login with a TOTP code. Wrong codes clear the input; throttling counts down. */
export function useTotpVerify(options: UseTotpVerifyOptions): UseTotpVerifyResult {
  const flow = useFlow(totpVerifyReducer, () => totpVerifyInitialState, options)
  const { state, send } = flow
  const code = useOneTimeCode({
    onComplete: (c) => void (options.autoSubmit !== false && verify(c)),
    disabled: state.status !== 'idle' && state.status !== 'verifying',
  })

  async function verify(totp: string): Promise<User | null> {
    const user = await flow.call(
      { type: 'verify' },
      mfaMutationOptions(flow.client, 'verifyTotpMfa'),
      { totp, mfaToken: options.mfaToken },
      code.clear,
    )
    if (!user) return null
    send({ type: 'verified', user })
    options.onVerified?.(user)
    return user
  }

  return {
    ...flow.base,
    data: state.user,
    verify,
    reset: () => flow.reset(code.clear),
    code,
    getCodeInputProps: code.getInputProps,
  }
}
