import { useCallback, useRef, useState } from '../peer'
import { warnOnce } from './dev'

export interface UseControllableStateOptions<T> {
  /** The controlled value. When it is not `undefined`, the state follows it. */
  prop?: T | undefined
  /** The initial value when uncontrolled. */
  defaultProp: T
  /** Called with every new value, controlled or not. */
  onChange?: ((value: T) => void) | undefined
  /** Who uses the state, for development warnings, e.g. `'useOneTimeCode'`. */
  caller?: string
}

/**
 * State that is either controlled (`prop` given) or owned by the hook (`defaultProp`), with one
 * setter for both. `onChange` fires only when the value actually changes.
 */
export function useControllableState<T>({
  prop,
  defaultProp,
  onChange,
  caller = 'useControllableState',
}: UseControllableStateOptions<T>): [T, (next: T | ((prev: T) => T)) => void] {
  const [own, setOwn] = useState(defaultProp)
  const controlled = prop !== undefined
  const wasControlled = useRef(controlled)
  if (process.env.NODE_ENV !== 'production' && wasControlled.current !== controlled) {
    warnOnce(
      `${caller} changed from ${wasControlled.current ? 'controlled' : 'uncontrolled'} to ${controlled ? 'controlled' : 'uncontrolled'}. ` +
        'Decide between a controlled value (always defined) and an uncontrolled one (`defaultValue`) for the lifetime of the component.',
    )
    wasControlled.current = controlled
  }
  const value = controlled ? prop : own
  const latest = useRef({ value, onChange, controlled })
  latest.current = { value, onChange, controlled }

  const setValue = useCallback((next: T | ((prev: T) => T)) => {
    const { value: prev, onChange: notify, controlled: isControlled } = latest.current
    const resolved = typeof next === 'function' ? (next as (p: T) => T)(prev) : next
    if (Object.is(resolved, prev)) return
    latest.current.value = resolved
    if (!isControlled) setOwn(resolved)
    notify?.(resolved)
  }, [])

  return [value, setValue]
}
