import { useCallback } from 'react'
import type { MutableRefObject, Ref } from 'react'

/** Assigns `value` to a callback ref or a ref object. */
function setRef<T>(ref: Ref<T> | undefined, value: T | null): void {
  if (typeof ref === 'function') ref(value)
  else if (ref) (ref as MutableRefObject<T | null>).current = value
}

/** One callback ref that sets every ref given. */
export function composeRefs<T>(...refs: (Ref<T> | undefined)[]): (node: T | null) => void {
  return (node) => {
    for (const ref of refs) setRef(ref, node)
  }
}

/** {@link composeRefs} as a stable callback while the refs stay the same. */
export function useComposedRefs<T>(...refs: (Ref<T> | undefined)[]): (node: T | null) => void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the refs are the dependencies
  return useCallback(composeRefs(...refs), refs)
}
