import type { MfaError, User } from '@mfa-kit/client'
import { mfaMutationOptions } from '../query-options'
import { useCodeField } from '../utils/code-field'
import type { CodeFieldParts } from '../utils/code-field'
import { useField } from '../utils/field'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { totpVerifyInitialState, totpVerifyReducer } from './totp-verify.reducer'
import type { TotpVerifyState, TotpVerifyStatus } from './totp-verify.reducer'

export interface UseTotpVerifyOptions extends FlowCallbacks {
  /** The mfaToken of the login in progress. */
  mfaToken: string
  /** Verify as soon as the sixth digit is in. @default true */
  autoSubmit?: boolean
  /** Called once with the signed-in user. */
  onVerified?: (user: User) => void
}

/** The flow in one status, with `data` narrowed to match: `verified` has the user. */
export type TotpVerifySnapshot =
  | { status: 'verified'; error: null; data: { user: User } }
  | { status: Exclude<TotpVerifyStatus, 'verified'>; error: MfaError | null; data: { user: null } }

export type UseTotpVerifyResult = TotpVerifySnapshot &
  CodeFieldParts & {
    /** Verifies a code; resolves to the snapshot once the server answered. */
    verify: (code: string) => Promise<TotpVerifySnapshot>
    /** Back to `idle`, with an empty input. */
    reset: () => void
    /** Seconds until codes are accepted again, while `rate_limited`. */
    secondsLeft: number
  }

const snapshotOf = ({ status, error, user }: TotpVerifyState) => ({ status, error, data: { user } }) as TotpVerifySnapshot

/** Finishes a login with a TOTP code. Wrong codes clear the input; throttling counts down. */
export function useTotpVerify(options: UseTotpVerifyOptions): UseTotpVerifyResult {
  const flow = useFlow(totpVerifyReducer, () => totpVerifyInitialState, options)
  const { state, send } = flow
  const field = useCodeField(
    {
      onComplete: (code) => void (options.autoSubmit !== false && verify(code)),
      disabled: state.status !== 'idle' && state.status !== 'verifying',
    },
    useField(state.error),
  )

  async function verify(totp: string): Promise<TotpVerifySnapshot> {
    const user = await flow.call(
      { type: 'verify' },
      mfaMutationOptions(flow.client, 'verifyTotpMfa'),
      { totp, mfaToken: options.mfaToken },
      field.code.clear,
    )
    if (user && send({ type: 'verified', user })) flow.signedIn(user, options.onVerified)
    return snapshotOf(flow.ref.current)
  }

  return {
    ...snapshotOf(state),
    ...field,
    verify,
    reset: () => flow.reset(field.code.clear),
    secondsLeft: flow.countdown.secondsLeft,
  }
}
