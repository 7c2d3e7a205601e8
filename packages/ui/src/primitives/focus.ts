import { useEffect, useRef } from 'react'

/**
 * A ref for a step's heading, focused whenever `step` changes after the first render, so that
 * keyboard and screen-reader users land at the top of each new step.
 */
export function useStepFocus<T extends HTMLElement = HTMLHeadingElement>(step: string) {
  const ref = useRef<T | null>(null)
  const previous = useRef(step)
  useEffect(() => {
    if (previous.current === step) return
    previous.current = step
    ref.current?.focus()
  }, [step])
  return ref
}
