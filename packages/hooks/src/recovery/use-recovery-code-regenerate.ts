import type { MfaError } from '@mfa-kit/client'
import { mfaMutationOptions } from '../query-options'
import { useReverifiable } from '../reverification/use-reverifiable'
import type { EmbeddedReverification } from '../reverification/use-reverifiable'
import { acknowledgeParts, buttonGetter } from '../utils/getters'
import type { AcknowledgeParts, ActionButtonProps, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { recoveryCodeRegenerateInitialState, recoveryCodeRegenerateReducer } from './recovery-regenerate.reducer'
import type { RecoveryCodeRegenerateState, RecoveryCodeRegenerateStatus } from './recovery-regenerate.reducer'

export interface UseRecoveryCodeRegenerateOptions extends FlowCallbacks {
  /** Called once the new code was acknowledged (`done`). */
  onDone?: () => void
}

/** The flow in one status, with `data` narrowed to match: the new code exists only while it is shown. */
export type RecoveryCodeRegenerateSnapshot =
  | { status: 'showing_recovery_code'; error: null; data: { recoveryCode: string; acknowledged: boolean } }
  | {
      status: Exclude<RecoveryCodeRegenerateStatus, 'showing_recovery_code'>
      error: MfaError | null
      data: { recoveryCode: null; acknowledged: boolean }
    }

export type UseRecoveryCodeRegenerateResult = RecoveryCodeRegenerateSnapshot &
  AcknowledgeParts & {
    /** Asks the server for a new recovery code (from `idle` or `done`); the old one stops working at once. */
    regenerate: () => Promise<RecoveryCodeRegenerateSnapshot>
    reset: () => void
    secondsLeft: number
    /** The button that regenerates; enabled in `idle` and `done`. */
    getRegenerateProps: PropGetter<ActionButtonProps>
    /** While `reverifying`: the fresh proof of a factor the server asks for first. */
    reverification: EmbeddedReverification
  }

const snapshotOf = ({ status, error, recoveryCode, acknowledged }: RecoveryCodeRegenerateState) =>
  ({
    status,
    error,
    data: { recoveryCode: status === 'showing_recovery_code' ? recoveryCode : null, acknowledged },
  }) as RecoveryCodeRegenerateSnapshot

/**
 * Replaces the signed-in user's recovery code: idle → regenerating → showing_recovery_code → done.
 * The server wants a recent sign-in; an old one passes through `reverifying` first. The new code is
 * shown once and must be acknowledged; it is dropped on `done`, on reset and on unmount.
 */
export function useRecoveryCodeRegenerate(options: UseRecoveryCodeRegenerateOptions = {}): UseRecoveryCodeRegenerateResult {
  const flow = useFlow(recoveryCodeRegenerateReducer, () => recoveryCodeRegenerateInitialState, options)
  const { state, send } = flow
  const { reverification, reverified } = useReverifiable(send)

  async function regenerate(): Promise<RecoveryCodeRegenerateSnapshot> {
    const result = await flow.call({ type: 'regenerate' }, reverified(mfaMutationOptions(flow.client, 'regenerateRecoveryCode')), {})
    if (result) send({ type: 'regenerated', recoveryCode: result.recoveryCode })
    return snapshotOf(flow.ref.current)
  }

  return {
    ...snapshotOf(state),
    regenerate,
    reset: () => flow.reset(reverification.reset),
    secondsLeft: flow.countdown.secondsLeft,
    getRegenerateProps: buttonGetter(state.status !== 'idle' && state.status !== 'done', regenerate),
    reverification,
    ...acknowledgeParts(state, send, () => options.onDone?.()),
  }
}
