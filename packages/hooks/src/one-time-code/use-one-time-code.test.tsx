import { StrictMode } from 'react'
import { act, fireEvent, render, renderHook, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { failOnConsole, installWebOtp } from '../harness.testing'
import { useOneTimeCode } from './use-one-time-code'
import type { UseOneTimeCodeOptions } from './use-one-time-code'

failOnConsole()

function CodeField(props: UseOneTimeCodeOptions & { inputProps?: Record<string, unknown> }) {
  const { inputProps, ...options } = props
  const code = useOneTimeCode(options)
  return (
    <>
      <input aria-label="Code" {...code.getInputProps(inputProps)} />
      <output data-testid="slots">{code.slots.map((s) => (s.hasFakeCaret ? '|' : (s.char ?? '_'))).join('')}</output>
    </>
  )
}

const input = () => screen.getByLabelText<HTMLInputElement>('Code')
const paste = (text: string) => fireEvent.paste(input(), { clipboardData: { getData: () => text } })

describe('useOneTimeCode', () => {
  it('puts the one-time-code attributes on the input', () => {
    render(<CodeField length={6} />)
    const el = input()
    expect(el.getAttribute('type')).toBe('text')
    expect(el.getAttribute('autocomplete')).toBe('one-time-code')
    expect(el.getAttribute('inputmode')).toBe('numeric')
    expect(el.getAttribute('pattern')).toBe('\\d{6}')
    expect(el.maxLength).toBe(6)
    expect(el.getAttribute('spellcheck')).toBe('false')
    expect(el.getAttribute('translate')).toBe('no')
    expect(el.getAttribute('autocorrect')).toBe('off')
  })

  it('turns a pasted "012 345" into "012345" and completes once', () => {
    const onComplete = vi.fn()
    render(<CodeField onComplete={onComplete} />)
    paste('012 345')
    expect(input().value).toBe('012345')
    expect(onComplete).toHaveBeenCalledTimes(1)
    expect(onComplete).toHaveBeenCalledWith('012345')
  })

  it('keeps leading zeros of a typed code', () => {
    const onComplete = vi.fn()
    render(<CodeField length={4} onComplete={onComplete} />)
    fireEvent.change(input(), { target: { value: '0007' } })
    expect(input().value).toBe('0007')
    expect(onComplete).toHaveBeenCalledWith('0007')
  })

  it('refuses letters and keeps the previous value', () => {
    render(<CodeField />)
    fireEvent.change(input(), { target: { value: '12' } })
    fireEvent.change(input(), { target: { value: '12a' } })
    expect(input().value).toBe('12')
    paste('abc')
    expect(input().value).toBe('12')
  })

  it('inserts a partial paste at the caret', () => {
    render(<CodeField />)
    fireEvent.change(input(), { target: { value: '16' } })
    input().setSelectionRange(1, 1)
    paste('2-3')
    expect(input().value).toBe('1236')
  })

  it('fires onComplete exactly once per complete code, again after an edit', () => {
    const onComplete = vi.fn()
    render(<CodeField onComplete={onComplete} />)
    fireEvent.change(input(), { target: { value: '12345' } })
    expect(onComplete).not.toHaveBeenCalled()
    fireEvent.change(input(), { target: { value: '123456' } })
    fireEvent.focus(input())
    fireEvent.blur(input())
    expect(onComplete).toHaveBeenCalledTimes(1)
    fireEvent.change(input(), { target: { value: '12345' } })
    fireEvent.change(input(), { target: { value: '123456' } })
    expect(onComplete).toHaveBeenCalledTimes(2)
  })

  it('fires onComplete once for a complete default value under StrictMode', () => {
    const onComplete = vi.fn()
    render(
      <StrictMode>
        <CodeField defaultValue="654321" onComplete={onComplete} />
      </StrictMode>,
    )
    expect(onComplete).toHaveBeenCalledTimes(1)
  })

  it('describes each slot, with the caret in the next empty box while focused', () => {
    render(<CodeField length={4} />)
    const slots = screen.getByTestId('slots')
    expect(slots.textContent).toBe('____')
    fireEvent.focus(input())
    expect(slots.textContent).toBe('|___')
    fireEvent.change(input(), { target: { value: '12' } })
    expect(slots.textContent).toBe('12|_')
    fireEvent.blur(input())
    expect(slots.textContent).toBe('12__')
  })

  it('runs the user handler first and lets it prevent ours', () => {
    const order: string[] = []
    const { rerender } = render(<CodeField inputProps={{ onChange: () => order.push('user') }} />)
    fireEvent.change(input(), { target: { value: '1' } })
    expect(order).toEqual(['user'])
    expect(input().value).toBe('1')
    rerender(<CodeField inputProps={{ onPaste: (e: Event) => e.preventDefault() }} />)
    paste('123456')
    expect(input().value).toBe('1')
  })

  it('follows a controlled value and reports changes', () => {
    const onValueChange = vi.fn()
    const { result, rerender } = renderHook((p: { value: string }) => useOneTimeCode({ value: p.value, onValueChange }), {
      initialProps: { value: '1' },
    })
    act(() => result.current.setValue('12 3'))
    expect(onValueChange).toHaveBeenCalledWith('123')
    expect(result.current.value).toBe('1')
    rerender({ value: '123' })
    expect(result.current.value).toBe('123')
    act(() => result.current.clear())
    expect(onValueChange).toHaveBeenLastCalledWith('')
  })

  describe('WebOTP', () => {
    const original = Object.getOwnPropertyDescriptor(navigator, 'credentials')
    let webOtp: ReturnType<typeof installWebOtp> | null = null
    afterEach(() => {
      webOtp?.uninstall()
      webOtp = null
      if (original) Object.defineProperty(navigator, 'credentials', original)
    })
    const installWebOtpApi = () => {
      webOtp = installWebOtp()
      return webOtp.requests
    }

    it('fills and completes the code from an incoming SMS', async () => {
      const requests = installWebOtpApi()
      const onComplete = vi.fn()
      render(<CodeField webOtp onComplete={onComplete} />)
      expect(requests).toHaveLength(1)
      expect(requests[0]!.options.otp).toEqual({ transport: ['sms'] })
      await act(async () => requests[0]!.resolve({ type: 'otp', code: '024680' }))
      expect(input().value).toBe('024680')
      expect(onComplete).toHaveBeenCalledExactlyOnceWith('024680')
    })

    it('aborts the request on unmount', () => {
      const requests = installWebOtpApi()
      const { unmount } = render(<CodeField webOtp />)
      const signal = requests[0]!.options.signal!
      expect(signal.aborted).toBe(false)
      unmount()
      expect(signal.aborted).toBe(true)
    })

    it('does nothing when the browser has no WebOTP', () => {
      render(<CodeField webOtp />)
      expect(input().value).toBe('')
    })

    it('is not requested unless asked for', () => {
      const requests = installWebOtpApi()
      render(<CodeField />)
      expect(requests).toHaveLength(0)
    })
  })
})
