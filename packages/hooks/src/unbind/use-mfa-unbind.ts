import type { MfaAuthenticators, MfaClient, MfaDeleteAssociation, MfaError } from '@mfa-kit/client'
import type { QueryClient } from '@tanstack/react-query'
import { callOptions, mfaKeys } from '../query-options'
import type { MfaMutationOptions } from '../query-options'
import { useReverifiable } from '../reverification/use-reverifiable'
import type { EmbeddedReverification } from '../reverification/use-reverifiable'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { mfaUnbindInitialState, mfaUnbindReducer } from './unbind.reducer'
import type { MfaUnbindState, MfaUnbindStatus } from './unbind.reducer'

export interface UseMfaUnbindOptions extends FlowCallbacks {
  /**
   * The `id` of the entry of `useMfaAuthenticators({ type: 'all' })` to remove: `'sms'` or
   * `'email'` for the bound phone or email, the TOTP entry's id for TOTP.
   */
  authenticatorId: string
  /**
   * The entry's `authenticatorType` (`'totp'`, `'sms'`, `'email'`, `'face'`). Left out, it is
   * read from the authenticator lists in the cache, else from the id (`'sms'`, `'email'`, else TOTP).
   */
  authenticatorType?: string
  /** Called once the factor is unbound. */
  onDone?: () => void
}

/** The flow in one status; `data` names what it removes. */
export interface MfaUnbindSnapshot {
  status: MfaUnbindStatus
  error: MfaError | null
  data: { authenticatorId: string }
}

export type UseMfaUnbindResult = MfaUnbindSnapshot & {
  /** Step one: asks for confirmation (`confirming`). Nothing is sent yet. */
  request: () => void
  /** Step two: unbinds (from `confirming` only); resolves to the snapshot once it is over. */
  confirm: () => Promise<MfaUnbindSnapshot>
  /** Leaves `confirming` without unbinding. */
  cancel: () => void
  reset: () => void
  secondsLeft: number
  /** The button that confirms; enabled only in `confirming`. */
  getConfirmProps: PropGetter<ActionButtonProps>
  /** While `reverifying`: the fresh proof of a factor the server asks for before the change. */
  reverification: EmbeddedReverification
}

/** The type of the authenticator `id`, as the cached lists have it, else as its id says. */
function authenticatorTypeOf(queryClient: QueryClient, id: string): string {
  for (const [, list] of queryClient.getQueriesData<MfaAuthenticators>({ queryKey: mfaKeys.authenticatorLists })) {
    const entry = list?.find((a) => a.id === id)
    if (entry) return entry.authenticatorType
  }
  return id === 'sms' || id === 'email' ? id : 'totp'
}

/** The client call that removes an authenticator of that type. */
function unbindCall(client: MfaClient, type: string): MfaMutationOptions<MfaDeleteAssociation, object> {
  const name =
    type === 'sms' ? 'deleteSmsMfa' : type === 'email' ? 'deleteEmailMfa' : type === 'face' ? 'deleteFaceMfa' : 'deleteMfaAuthenticator'
  return callOptions(name, (call) => client.mfa[name](call))
}

/**
 * Unbinds one of the signed-in user's factors, never in one click: `request()` then `confirm()`.
 * When the server wants a more recent sign-in, the flow asks for a fresh proof in place
 * (`reverifying`, see `reverification`) and then completes the unbind. The authenticator lists
 * are refreshed once it is `done`.
 */
export function useMfaUnbind(options: UseMfaUnbindOptions): UseMfaUnbindResult {
  const flow = useFlow(mfaUnbindReducer, () => mfaUnbindInitialState, options)
  const { state, send } = flow
  const { reverification, reverified } = useReverifiable(send)
  const snapshotOf = ({ status, error }: MfaUnbindState): MfaUnbindSnapshot => ({
    status,
    error,
    data: { authenticatorId: options.authenticatorId },
  })

  async function confirm(): Promise<MfaUnbindSnapshot> {
    const { authenticatorId, authenticatorType = authenticatorTypeOf(flow.queryClient, authenticatorId) } = options
    const unbind = unbindCall(flow.client, authenticatorType)
    const result = await flow.call({ type: 'confirm' }, reverified(unbind), {})
    if (result && send({ type: 'done' })) {
      void flow.queryClient.invalidateQueries({ queryKey: mfaKeys.authenticatorLists })
      options.onDone?.()
    }
    return snapshotOf(flow.ref.current)
  }

  return {
    ...snapshotOf(state),
    request: () => void send({ type: 'request' }),
    confirm,
    cancel: () => void send({ type: 'cancel' }),
    reset: () => flow.reset(reverification.reset),
    secondsLeft: flow.countdown.secondsLeft,
    getConfirmProps: buttonGetter(state.status !== 'confirming', confirm),
    reverification,
  }
}
