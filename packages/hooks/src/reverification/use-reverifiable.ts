import { MfaError } from '@mfa-kit/client'
import type { MfaMutationOptions } from '../query-options'
import { useReverification } from './use-reverification'
import type { UseReverificationResult } from './use-reverification'

/**
 * The re-verification a flow runs in place while it is `reverifying`: render its factor choice,
 * code or password input and buttons. Its `run` is the flow's own business.
 */
export type EmbeddedReverification = Omit<UseReverificationResult<[task: () => Promise<unknown>], unknown>, 'run'>

/**
 * For a flow whose calls may need a recent sign-in: `reverified(options)` wraps a call so that a
 * `reauthentication_required` answer asks for a fresh proof (the flow goes `reverifying`) and then
 * runs the call once more. The call then resolves with its result, or rejects with the last error.
 */
export function useReverifiable(send: (event: { type: 'reverify' } | { type: 'reverified' }) => boolean) {
  const reverification = useReverification((task: () => Promise<unknown>) => task(), {
    onChallenge: () => void send({ type: 'reverify' }),
    onReverified: () => void send({ type: 'reverified' }),
  })
  const reverified = <R, V>(options: MfaMutationOptions<R, V>): MfaMutationOptions<R, V> => ({
    ...options,
    mutationFn: async (variables) => {
      const outcome = await reverification.run(() => options.mutationFn(variables))
      if (outcome.status === 'done') return outcome.data.result as R
      throw outcome.error ?? new MfaError('unknown', 'The change was not made')
    },
  })
  return { reverification: reverification as EmbeddedReverification, reverified }
}
