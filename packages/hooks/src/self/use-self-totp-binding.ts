import { useReverifiable } from '../reverification/use-reverifiable'
import type { EmbeddedReverification } from '../reverification/use-reverifiable'
import { useTotpBindingFlow } from '../totp/use-totp-binding'
import type { UseTotpBindingOptions, UseTotpBindingResult } from '../totp/use-totp-binding'

export type UseSelfTotpBindingOptions = Omit<UseTotpBindingOptions, 'mfaToken' | 'source' | 'onVerified'>

export type UseSelfTotpBindingResult = UseTotpBindingResult & {
  /** While `reverifying` (the sign-in is too old for the change): the fresh proof the server asks for. */
  reverification: EmbeddedReverification
}

/**
 * `useTotpBinding` for the signed-in user (source `SELF`), from a settings page: when the server
 * wants a recent sign-in, `start` or `confirm` passes through `reverifying` (render
 * `reverification`) and then goes on by itself.
 */
export function useSelfTotpBinding(options: UseSelfTotpBindingOptions = {}): UseSelfTotpBindingResult {
  return useTotpBindingFlow({ ...options, source: 'SELF' }, useReverifiable) as UseSelfTotpBindingResult
}
