import { createRef, forwardRef, useRef } from 'react'
import type { ComponentPropsWithoutRef } from 'react'
import { act, fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { expectAccessibleAndCspSafe, failOnConsole } from '../harness.testing'
import { useAnnouncer } from './announcer'
import { composeRefs } from './compose-refs'
import { Primitive } from './primitive'
import { Slot } from './slot'

failOnConsole()

const Fancy = forwardRef<HTMLAnchorElement, ComponentPropsWithoutRef<'a'>>(function Fancy(props, ref) {
  return <a {...props} ref={ref} data-fancy="" />
})

describe('Slot and Primitive', () => {
  it('renders its own element, forwarding the ref and every prop', () => {
    const ref = createRef<HTMLButtonElement>()
    render(
      <Primitive.button ref={ref} type="button" className="a" data-x="1" aria-label="Go">
        Go
      </Primitive.button>,
    )
    const button = screen.getByRole('button', { name: 'Go' })
    expect(ref.current).toBe(button)
    expect(button).toHaveClass('a')
    expect(button).toHaveAttribute('data-x', '1')
  })

  it('with asChild, renders the child instead, merging props, classes, handlers and both refs', () => {
    const partRef = createRef<HTMLElement>()
    const childRef = createRef<HTMLAnchorElement>()
    const order: string[] = []
    render(
      <Primitive.button
        asChild
        ref={partRef as never}
        className="part"
        data-part="submit"
        title="from part"
        onClick={() => order.push('part')}
      >
        <Fancy href="/next" ref={childRef} className="child" title="from child" onClick={() => order.push('child')}>
          Next
        </Fancy>
      </Primitive.button>,
    )
    const link = screen.getByRole('link', { name: 'Next' })
    expect(link.tagName).toBe('A')
    expect(partRef.current).toBe(link)
    expect(childRef.current).toBe(link)
    expect(link).toHaveClass('part', 'child')
    expect(link).toHaveAttribute('data-part', 'submit')
    expect(link).toHaveAttribute('data-fancy')
    expect(link).toHaveAttribute('title', 'from child')
    fireEvent.click(link)
    expect(order).toEqual(['child', 'part'])
  })

  it("skips the part's handler when the child's handler prevents the default", () => {
    const part = vi.fn()
    render(
      <Slot onClick={part}>
        <button type="button" onClick={(e) => e.preventDefault()}>
          Stop
        </button>
      </Slot>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }))
    expect(part).not.toHaveBeenCalled()
  })

  it('keeps a callback ref of the child working', () => {
    const seen: (HTMLElement | null)[] = []
    const { unmount } = render(
      <Slot>
        <span ref={(node) => void seen.push(node)}>x</span>
      </Slot>,
    )
    expect(seen[0]).toBe(screen.getByText('x'))
    unmount()
    expect(seen.at(-1)).toBeNull()
  })

  it('composes refs', () => {
    const a = createRef<HTMLElement>()
    const b = vi.fn()
    const node = document.createElement('div')
    composeRefs(a, b, undefined)(node)
    expect(a.current).toBe(node)
    expect(b).toHaveBeenCalledWith(node)
  })
})

describe('useAnnouncer', () => {
  function Announcing() {
    const { announce, region } = useAnnouncer()
    const count = useRef(0)
    return (
      <>
        <button type="button" onClick={() => announce(`Saved ${++count.current > 1 ? 'again' : ''}`.trim())}>
          Save
        </button>
        <button type="button" onClick={() => announce('Same')}>
          Same
        </button>
        {region}
      </>
    )
  }

  it('is a polite, atomic, empty live region until something is announced', async () => {
    render(<Announcing />)
    const region = screen.getByRole('status')
    expect(region).toHaveAttribute('aria-live', 'polite')
    expect(region).toHaveAttribute('aria-atomic', 'true')
    expect(region).toBeEmptyDOMElement()
    await expectAccessibleAndCspSafe()
  })

  it('puts each announcement in a new node, so a repeated message is read again', () => {
    render(<Announcing />)
    const region = screen.getByRole('status')
    act(() => screen.getByRole('button', { name: 'Same' }).click())
    const first = region.firstChild
    expect(region).toHaveTextContent('Same')
    act(() => screen.getByRole('button', { name: 'Same' }).click())
    expect(region).toHaveTextContent('Same')
    expect(region.firstChild).not.toBe(first)
    expect(region.childNodes).toHaveLength(1)
  })
})
