/** A handler the way React calls it. */
type Handler<E> = ((event: E) => void) | undefined

/**
 * Runs the user's handler first, then ours unless the user called `event.preventDefault()`.
 * This is how every prop getter lets you opt out of the kit's behaviour for one event.
 */
export function composeEventHandlers<E>(theirs: Handler<E>, ours: Handler<E>): (event: E) => void {
  return (event) => {
    theirs?.(event)
    const e = event as { defaultPrevented?: boolean; isDefaultPrevented?: () => boolean } | undefined
    if (!(e?.isDefaultPrevented?.() ?? e?.defaultPrevented)) ours?.(event)
  }
}

/**
 * Merges the kit's props with the user's. The user's plain props win; event handlers
 * (`on[A-Z]…`) present on both sides are chained with {@link composeEventHandlers}, and
 * `aria-describedby` lists the ids of both (theirs first).
 */
export function mergeProps<O extends object, U extends object>(ours: O, theirs?: U): O & U {
  const out = { ...ours } as Record<string, unknown>
  for (const key in theirs) {
    const value: unknown = theirs[key]
    const mine = out[key]
    if (value === undefined) continue
    if (/^on[A-Z]/.test(key) && typeof mine === 'function' && typeof value === 'function') {
      out[key] = composeEventHandlers(value as Handler<unknown>, mine as Handler<unknown>)
    } else if (key === 'aria-describedby' && typeof mine === 'string' && typeof value === 'string' && mine !== value) {
      out[key] = `${value} ${mine}`
    } else {
      out[key] = value
    }
  }
  return out as O & U
}
