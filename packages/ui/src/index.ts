// Primitives
export { Slot } from './primitives/slot'
export type { SlotProps } from './primitives/slot'
export { Primitive } from './primitives/primitive'
export type { PrimitiveComponent, PrimitiveProps } from './primitives/primitive'
export { composeRefs, useComposedRefs } from './primitives/compose-refs'
export { useAnnouncer } from './primitives/announcer'
export type { Announcer } from './primitives/announcer'

// Languages
export { MfaLocaleProvider, loadMfaLocale, mergeMessages, useMfaLocale } from './i18n/provider'
export type { MfaLocaleContextValue, MfaLocaleProviderProps } from './i18n/provider'
export { enUS } from './i18n/locales/en-US'
export type { MfaErrorCode, MfaLocale, MfaMessages, MfaMessagesOverride } from './i18n/types'

// One-time code input
export {
  OneTimeCodeInput,
  OneTimeCodeInputError,
  OneTimeCodeInputGroup,
  OneTimeCodeInputInput,
  OneTimeCodeInputLabel,
  OneTimeCodeInputRoot,
  OneTimeCodeInputSeparator,
  OneTimeCodeInputSlot,
} from './one-time-code-input/one-time-code-input'
export type { OneTimeCodeInputRootProps, OneTimeCodeInputSlotProps } from './one-time-code-input/one-time-code-input'
