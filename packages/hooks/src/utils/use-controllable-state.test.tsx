import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { failOnConsole } from '../harness.testing'
import { useControllableState } from './use-controllable-state'

const console = failOnConsole()

describe('useControllableState', () => {
  it('owns the value when uncontrolled and reports changes', () => {
    const onChange = vi.fn()
    const { result } = renderHook(() => useControllableState({ defaultProp: 1, onChange }))
    expect(result.current[0]).toBe(1)
    act(() => result.current[1](2))
    expect(result.current[0]).toBe(2)
    act(() => result.current[1]((n) => n + 1))
    expect(result.current[0]).toBe(3)
    expect(onChange.mock.calls).toEqual([[2], [3]])
  })

  it('follows the prop when controlled and only asks for changes', () => {
    const onChange = vi.fn()
    const { result, rerender } = renderHook((p: { value: number }) => useControllableState({ prop: p.value, defaultProp: 0, onChange }), {
      initialProps: { value: 5 },
    })
    act(() => result.current[1](6))
    expect(result.current[0]).toBe(5)
    expect(onChange).toHaveBeenCalledWith(6)
    rerender({ value: 6 })
    expect(result.current[0]).toBe(6)
  })

  it('does not report a value equal to the current one', () => {
    const onChange = vi.fn()
    const { result } = renderHook(() => useControllableState({ defaultProp: 'a', onChange }))
    act(() => result.current[1]('a'))
    expect(onChange).not.toHaveBeenCalled()
  })

  it('applies successive updates in one event to the latest value', () => {
    const { result } = renderHook(() => useControllableState({ defaultProp: 0 }))
    act(() => {
      result.current[1]((n) => n + 1)
      result.current[1]((n) => n + 1)
    })
    expect(result.current[0]).toBe(2)
  })

  it('keeps the setter identity across renders', () => {
    const { result, rerender } = renderHook(() => useControllableState({ defaultProp: 0 }))
    const set = result.current[1]
    rerender()
    expect(result.current[1]).toBe(set)
  })

  it('warns once, in development, when it switches between controlled and uncontrolled', () => {
    const { rerender } = renderHook(
      (p: { value?: number }) => useControllableState({ prop: p.value, defaultProp: 0, caller: 'useExample' }),
      {
        initialProps: {},
      },
    )
    expect(console.take()).toEqual([])
    rerender({ value: 1 })
    rerender({})
    rerender({ value: 2 })
    const warnings = console.take()
    expect(warnings).toEqual([
      ['warn', expect.stringMatching(/^@mfa-kit\/hooks: useExample changed from uncontrolled to controlled\./)],
      ['warn', expect.stringMatching(/^@mfa-kit\/hooks: useExample changed from controlled to uncontrolled\./)],
    ])
  })
})
