import { Children, cloneElement, forwardRef, isValidElement, version } from 'react'
import type { HTMLAttributes, ReactElement, ReactNode, Ref } from 'react'
import { mergeProps } from '@mfa-kit/hooks'
import { composeRefs } from './compose-refs'

export interface SlotProps extends HTMLAttributes<HTMLElement> {
  children?: ReactNode
}

const reactMajor = Number.parseInt(version, 10)

/**
 * The ref an element was created with. React 19 keeps it in `props.ref` (and warns when
 * `element.ref` is read); React 18 keeps it on the element.
 */
function elementRef(element: ReactElement): Ref<unknown> | undefined {
  return reactMajor >= 19 ? (element.props as { ref?: Ref<unknown> }).ref : (element as unknown as { ref?: Ref<unknown> }).ref
}

/**
 * Renders its only child with the Slot's props merged in, for `asChild`. The child's plain props
 * win, its handlers run first (calling `preventDefault()` in one skips the part's), class names
 * are joined and both refs are set.
 */
export const Slot = forwardRef<HTMLElement, SlotProps>(function Slot({ children, ...slotProps }, forwardedRef) {
  const child = Children.only(children)
  if (!isValidElement(child)) return null
  const childProps = child.props as Record<string, unknown>
  const merged = mergeProps(slotProps as Record<string, unknown>, childProps)
  const className = [slotProps.className, childProps.className].filter(Boolean).join(' ')
  if (className) merged.className = className
  const childRef = elementRef(child)
  merged.ref = forwardedRef ? composeRefs(forwardedRef, childRef) : childRef
  return cloneElement(child, merged)
})
