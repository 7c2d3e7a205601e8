import { forwardRef } from 'react'
import type { ComponentPropsWithoutRef, ComponentRef, ForwardRefExoticComponent, RefAttributes } from 'react'
import { Slot } from './slot'

const tags = ['a', 'button', 'code', 'div', 'form', 'h2', 'input', 'label', 'li', 'p', 'section', 'select', 'span', 'ul'] as const
type Tag = (typeof tags)[number]

/** Props of a part rendered as `T`: the element's own props plus `asChild`. */
export type PrimitiveProps<T extends Tag> = ComponentPropsWithoutRef<T> & {
  /** Render the only child instead, with this part's props and ref merged into it. */
  asChild?: boolean
}

type ElementOf<T extends Tag> = ComponentRef<T>

export type PrimitiveComponent<T extends Tag> = ForwardRefExoticComponent<PrimitiveProps<T> & RefAttributes<ElementOf<T>>>

function create<T extends Tag>(tag: T): PrimitiveComponent<T> {
  // biome-ignore lint/correctness/noComponentHookFactories: made once per tag at module load, never during a render
  const Component = forwardRef<ElementOf<T>, PrimitiveProps<T>>(({ asChild, ...props }, ref) => {
    const Element = (asChild ? Slot : tag) as 'div'
    return <Element {...(props as ComponentPropsWithoutRef<'div'>)} ref={ref as never} />
  })
  Component.displayName = `Primitive.${tag}`
  return Component as unknown as PrimitiveComponent<T>
}

/** One element each, with `asChild` support: `Primitive.button`, `Primitive.div`, … */
export const Primitive = Object.fromEntries(tags.map((tag) => [tag, create(tag)])) as {
  [T in Tag]: PrimitiveComponent<T>
}
