import { useState } from '../peer'
import type { ChangeEvent } from 'react'
import type { MfaError, User } from '@mfa-kit/client'
import { mfaMutationOptions } from '../query-options'
import { mergeProps } from '../utils/compose'
import { useField } from '../utils/field'
import type { ErrorPropGetter, FieldInputProps, LabelProps } from '../utils/field'
import { acknowledgeParts } from '../utils/getters'
import type { AcknowledgeParts, PropGetter } from '../utils/getters'
import { codeTextInput } from '../utils/text-input'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { recoveryCodeVerifyInitialState, recoveryCodeVerifyReducer } from './recovery-verify.reducer'
import type { RecoveryCodeVerifyState, RecoveryCodeVerifyStatus } from './recovery-verify.reducer'

export interface UseRecoveryCodeVerifyOptions extends FlowCallbacks {
  /** The mfaToken of the login in progress. */
  mfaToken: string
  /** Called once with the signed-in user, after the new recovery code was acknowledged. */
  onVerified?: (user: User) => void
}

export interface RecoveryCodeInputProps extends FieldInputProps {
  type: 'text'
  autoComplete: 'off'
  autoCapitalize: 'none'
  autoCorrect: 'off'
  spellCheck: false
  translate: 'no'
  value: string
  disabled: boolean
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
}

export interface RecoveryCodeVerifyData {
  /** The signed-in user, from `showing_recovery_code` on. */
  user: User | null
  /** The new recovery code that replaces the one just used; shown once. */
  recoveryCode: string | null
  acknowledged: boolean
}

/** The flow in one status, with `data` narrowed to match. */
export type RecoveryCodeVerifySnapshot =
  | { status: 'showing_recovery_code'; error: null; data: { user: User; recoveryCode: string; acknowledged: boolean } }
  | { status: 'done'; error: null; data: { user: User; recoveryCode: null; acknowledged: true } }
  | {
      status: Exclude<RecoveryCodeVerifyStatus, 'showing_recovery_code' | 'done'>
      error: MfaError | null
      data: { user: null; recoveryCode: null; acknowledged: false }
    }

export type UseRecoveryCodeVerifyResult = RecoveryCodeVerifySnapshot &
  AcknowledgeParts & {
    /** What is typed in the recovery-code input. */
    value: string
    setValue: (value: string) => void
    /** Verifies `code`, or the typed value; resolves to the snapshot once the server answered. */
    verify: (code?: string) => Promise<RecoveryCodeVerifySnapshot>
    reset: () => void
    /** Seconds until codes are accepted again, while `rate_limited`. */
    secondsLeft: number
    getCodeInputProps: PropGetter<RecoveryCodeInputProps>
    getLabelProps: PropGetter<LabelProps>
    getErrorProps: ErrorPropGetter
  }

const snapshotOf = ({ status, error, user, recoveryCode, acknowledged }: RecoveryCodeVerifyState) =>
  ({ status, error, data: { user, recoveryCode, acknowledged } }) as RecoveryCodeVerifySnapshot

/**
 * Finishes a login with a recovery code: idle → verifying → showing_recovery_code → done. The
 * server replaces the used code; the new one must be acknowledged before the flow ends, and only
 * then is the user reported signed in.
 */
export function useRecoveryCodeVerify(options: UseRecoveryCodeVerifyOptions): UseRecoveryCodeVerifyResult {
  const flow = useFlow(recoveryCodeVerifyReducer, () => recoveryCodeVerifyInitialState, options)
  const { state, send } = flow
  const [value, setValue] = useState('')
  const { inputProps, getLabelProps, getErrorProps } = useField(state.error)

  async function verify(code = value): Promise<RecoveryCodeVerifySnapshot> {
    const user = await flow.call({ type: 'verify' }, mfaMutationOptions(flow.client, 'verifyTotpRecoveryCode'), {
      recoveryCode: code.trim(),
      mfaToken: options.mfaToken,
    })
    if (user) {
      setValue('')
      // Spreading drops the non-enumerable recovery code from the user object we keep.
      send({ type: 'verified', user: { ...user }, recoveryCode: user.recoveryCode })
    }
    return snapshotOf(flow.ref.current)
  }

  return {
    ...snapshotOf(state),
    value,
    setValue,
    verify,
    reset: () => flow.reset(() => setValue('')),
    secondsLeft: flow.countdown.secondsLeft,
    getCodeInputProps: (props) =>
      mergeProps(
        {
          ...codeTextInput,
          ...inputProps,
          autoComplete: 'off',
          autoCapitalize: 'none',
          value,
          disabled: state.status !== 'idle' && state.status !== 'verifying',
          onChange: (e: ChangeEvent<HTMLInputElement>) => setValue(e.currentTarget.value),
        } satisfies RecoveryCodeInputProps,
        props,
      ),
    getLabelProps,
    getErrorProps,
    ...acknowledgeParts(state, send, () => {
      const { user } = flow.ref.current
      if (user) flow.signedIn(user, options.onVerified)
    }),
  }
}
