import { describe, expect, it, vi } from 'vitest'
import { composeEventHandlers, mergeProps } from './compose'

const event = () => {
  let prevented = false
  return {
    preventDefault: () => {
      prevented = true
    },
    isDefaultPrevented: () => prevented,
  }
}

describe('composeEventHandlers', () => {
  it('runs the user handler first, then ours', () => {
    const order: string[] = []
    composeEventHandlers(
      () => order.push('user'),
      () => order.push('ours'),
    )(event())
    expect(order).toEqual(['user', 'ours'])
  })

  it('skips ours when the user prevents the default', () => {
    const ours = vi.fn()
    composeEventHandlers((e: ReturnType<typeof event>) => e.preventDefault(), ours)(event())
    expect(ours).not.toHaveBeenCalled()
  })

  it('honours a native defaultPrevented', () => {
    const ours = vi.fn()
    composeEventHandlers(undefined, ours)({ defaultPrevented: true })
    expect(ours).not.toHaveBeenCalled()
  })

  it('works with either side missing', () => {
    const ours = vi.fn()
    composeEventHandlers(undefined, ours)(event())
    expect(ours).toHaveBeenCalledOnce()
    expect(() => composeEventHandlers(undefined, undefined)(event())).not.toThrow()
  })
})

describe('mergeProps', () => {
  it('lets the user override plain props and keeps ours otherwise', () => {
    expect(mergeProps({ type: 'text', maxLength: 6 }, { maxLength: 8, id: 'code' })).toEqual({ type: 'text', maxLength: 8, id: 'code' })
  })

  it('ignores user props set to undefined', () => {
    expect(mergeProps({ value: '1' }, { value: undefined })).toEqual({ value: '1' })
  })

  it('chains handlers present on both sides', () => {
    const order: string[] = []
    const merged = mergeProps({ onChange: () => order.push('ours') }, { onChange: () => order.push('user') })
    merged.onChange()
    expect(order).toEqual(['user', 'ours'])
  })

  it('takes a user handler for an event we do not handle', () => {
    const onKeyDown = vi.fn()
    expect(mergeProps({}, { onKeyDown }).onKeyDown).toBe(onKeyDown)
  })

  it('returns a copy of ours without user props', () => {
    const ours = { a: 1 }
    expect(mergeProps(ours)).toEqual(ours)
    expect(mergeProps(ours)).not.toBe(ours)
  })
})
