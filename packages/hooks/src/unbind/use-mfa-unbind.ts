import type { MfaError } from '@mfa-kit/client'
import { mfaKeys, mfaMutationOptions } from '../query-options'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { mfaUnbindInitialState, mfaUnbindReducer } from './unbind.reducer'
import type { MfaUnbindStatus } from './unbind.reducer'

export interface UseMfaUnbindOptions extends FlowCallbacks {
  /** Called once TOTP is unbound. */
  onDone?: () => void
}

export interface UseMfaUnbindResult {
  status: MfaUnbindStatus
  error: MfaError | null
  data: null
  /** Step one: asks for confirmation (`confirming`). Nothing is sent yet. */
  request: () => void
  /** Step two: unbinds (from `confirming` only). */
  confirm: () => Promise<boolean>
  /** Leaves `confirming` without unbinding. */
  cancel: () => void
  reset: () => void
  secondsLeft: number
  /** The button that confirms; enabled only in `confirming`. */
  getConfirmProps: PropGetter<ActionButtonProps>
}

/**
 * Unbinds the signed-in user's TOTP, never in one click: `request()` then `confirm()`. The server
 * also requires a recent sign-in; an old session ends `expired`.
 */
export function useMfaUnbind(options: UseMfaUnbindOptions = {}): UseMfaUnbindResult {
  const flow = useFlow(mfaUnbindReducer, () => mfaUnbindInitialState, options)
  const { state, send } = flow
  const { status } = state

  const request = () => void send({ type: 'request' })
  const cancel = () => void send({ type: 'cancel' })
  async function confirm() {
    const result = await flow.call({ type: 'confirm' }, mfaMutationOptions(flow.client, 'deleteMfaAuthenticator'), {})
    if (!result) return false
    send({ type: 'done' })
    void flow.queryClient.invalidateQueries({ queryKey: mfaKeys.all })
    options.onDone?.()
    return true
  }

  return {
    ...flow.base,
    data: null,
    request,
    confirm,
    cancel,
    reset: () => flow.reset(),
    getConfirmProps: buttonGetter(status !== 'confirming', confirm),
  }
}
