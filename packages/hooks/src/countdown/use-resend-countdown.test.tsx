import { StrictMode } from 'react'
import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { failOnConsole } from '../harness.testing'
import { useResendCountdown } from './use-resend-countdown'

failOnConsole()

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('useResendCountdown', () => {
  it('counts the server-given wait down second by second and ends once', () => {
    const onEnd = vi.fn()
    const { result } = renderHook(() => useResendCountdown({ onEnd }))
    expect(result.current).toMatchObject({ secondsLeft: 0, isActive: false })
    act(() => result.current.start(3_000))
    expect(result.current).toMatchObject({ secondsLeft: 3, isActive: true })
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.secondsLeft).toBe(2)
    act(() => vi.advanceTimersByTime(1_999))
    expect(result.current.secondsLeft).toBe(1)
    expect(onEnd).not.toHaveBeenCalled()
    act(() => vi.advanceTimersByTime(1))
    expect(result.current).toMatchObject({ secondsLeft: 0, isActive: false })
    expect(onEnd).toHaveBeenCalledTimes(1)
    act(() => vi.advanceTimersByTime(10_000))
    expect(onEnd).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rounds a partial second up', () => {
    const { result } = renderHook(() => useResendCountdown())
    act(() => result.current.start(1_500))
    expect(result.current.secondsLeft).toBe(2)
    act(() => vi.advanceTimersByTime(500))
    expect(result.current.secondsLeft).toBe(1)
  })

  it('reads an injected clock', () => {
    let t = 1_000_000
    const { result } = renderHook(() => useResendCountdown({ now: () => t }))
    act(() => result.current.start(60_000))
    expect(result.current.secondsLeft).toBe(60)
    t += 45_000
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.secondsLeft).toBe(15)
    t += 15_000
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.isActive).toBe(false)
  })

  it('restarts from a new value and stops without ending', () => {
    const onEnd = vi.fn()
    const { result } = renderHook(() => useResendCountdown({ onEnd }))
    act(() => result.current.start(5_000))
    act(() => vi.advanceTimersByTime(2_000))
    act(() => result.current.start(10_000))
    expect(result.current.secondsLeft).toBe(10)
    act(() => result.current.stop())
    expect(result.current.isActive).toBe(false)
    act(() => vi.advanceTimersByTime(20_000))
    expect(onEnd).not.toHaveBeenCalled()
  })

  it('ends at once for a zero wait', () => {
    const onEnd = vi.fn()
    const { result } = renderHook(() => useResendCountdown({ onEnd }))
    act(() => result.current.start(0))
    expect(result.current.isActive).toBe(false)
    expect(onEnd).toHaveBeenCalledTimes(1)
  })

  it('leaves no timer behind after unmount, also under StrictMode', () => {
    const { result, unmount } = renderHook(() => useResendCountdown(), { wrapper: StrictMode })
    act(() => result.current.start(60_000))
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.secondsLeft).toBe(59)
    expect(vi.getTimerCount()).toBe(1)
    unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
