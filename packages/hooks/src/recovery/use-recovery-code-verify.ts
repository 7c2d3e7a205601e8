import { useState } from '../peer'
import type { ChangeEvent } from 'react'
import type { MfaError, User } from '@mfa-kit/client'
import { mfaMutationOptions } from '../query-options'
import { mergeProps } from '../utils/compose'
import { codeTextInput } from '../utils/text-input'
import { acknowledgeParts } from '../utils/getters'
import type { AcknowledgeParts, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { recoveryCodeVerifyInitialState, recoveryCodeVerifyReducer } from './recovery-verify.reducer'
import type { RecoveryCodeVerifyStatus } from './recovery-verify.reducer'

export interface UseRecoveryCodeVerifyOptions extends FlowCallbacks {
  /** The mfaToken of the login in progress. */
  mfaToken: string
  /** Called once with the signed-in user, after the new recovery code was acknowledged. */
  onVerified?: (user: User) => void
}

export interface RecoveryCodeInputProps {
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

export interface UseRecoveryCodeVerifyResult extends AcknowledgeParts {
  status: RecoveryCodeVerifyStatus
  error: MfaError | null
  data: RecoveryCodeVerifyData
  /** What is typed in the recovery-code input. */
  value: string
  setValue: (value: string) => void
  /** Verifies `code`, or the typed value. Resolves to true when accepted. */
  verify: (code?: string) => Promise<boolean>
  reset: () => void
  /** Seconds until codes are accepted again, while `rate_limited`. */
  secondsLeft: number
  getCodeInputProps: PropGetter<RecoveryCodeInputProps>
}

/**
 * Finishes a login with a recovery code: idle → verifying → showing_recovery_code → done. The
 * server replaces the used code; the new one must be acknowledged before the flow ends.
 */
export function useRecoveryCodeVerify(options: UseRecoveryCodeVerifyOptions): UseRecoveryCodeVerifyResult {
  const flow = useFlow(recoveryCodeVerifyReducer, () => recoveryCodeVerifyInitialState, options)
  const { state, send } = flow
  const [value, setValue] = useState('')

  async function verify(code = value) {
    const user = await flow.call({ type: 'verify' }, mfaMutationOptions(flow.client, 'verifyTotpRecoveryCode'), {
      recoveryCode: code.trim(),
      mfaToken: options.mfaToken,
    })
    if (!user) return false
    setValue('')
    // Spreading drops the non-enumerable recovery code from the user object we keep.
    send({ type: 'verified', user: { ...user }, recoveryCode: user.recoveryCode })
    return true
  }


  return {
    ...flow.base,
    data: { user: state.user, recoveryCode: state.recoveryCode, acknowledged: state.acknowledged },
    value,
    setValue,
    verify,
    reset: () => flow.reset(() => setValue('')),
    getCodeInputProps: (props) =>
      mergeProps(
        {
          ...codeTextInput,
          autoComplete: 'off',
          autoCapitalize: 'none',
          value,
          disabled: state.status !== 'idle' && state.status !== 'verifying',
          onChange: (e: ChangeEvent<HTMLInputElement>) => setValue(e.currentTarget.value),
        } satisfies RecoveryCodeInputProps,
        props,
      ),
    ...acknowledgeParts(state, send, () => options.onVerified?.(flow.ref.current.user!)),
  }
}
