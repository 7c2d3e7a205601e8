import { useEffect, useRef, useState } from '../peer'
import type { ChangeEvent, ClipboardEvent, FocusEvent } from 'react'
import { mergeProps } from '../utils/compose'
import { codeTextInput } from '../utils/text-input'
import { useControllableState } from '../utils/use-controllable-state'
import { sanitizeCode } from './sanitize'

export interface UseOneTimeCodeOptions {
  /** Number of digits. @default 6 */
  length?: number
  /** The controlled value. */
  value?: string
  /** The initial value when uncontrolled. @default '' */
  defaultValue?: string
  /** Called with the new value on every change. */
  onValueChange?: (value: string) => void
  /** Called once each time the value becomes a complete code. */
  onComplete?: (code: string) => void
  /**
   * Ask the browser for the code of an incoming SMS with the WebOTP API, where it exists
   * (Chrome on Android). The request is aborted when this turns false or on unmount.
   * @default false
   */
  webOtp?: boolean
  /** Disables the input. */
  disabled?: boolean
}

/** One visual box. Slots are decoration: render them `aria-hidden`; only the input is labelled. */
export interface OneTimeCodeSlot {
  /** The digit in this box, or `null` when empty. */
  char: string | null
  /** The box the next digit goes into, while the input has focus. */
  isActive: boolean
  /** Active and empty: draw a caret here. */
  hasFakeCaret: boolean
}

/** The attributes and handlers `getInputProps` puts on the one real `<input>`. */
export interface OneTimeCodeInputProps {
  type: 'text'
  inputMode: 'numeric'
  autoComplete: 'one-time-code'
  pattern: string
  maxLength: number
  spellCheck: false
  translate: 'no'
  autoCorrect: 'off'
  value: string
  disabled: boolean | undefined
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
  onPaste: (event: ClipboardEvent<HTMLInputElement>) => void
  onFocus: (event: FocusEvent<HTMLInputElement>) => void
  onBlur: (event: FocusEvent<HTMLInputElement>) => void
}

/** A code input's state and commands, without its prop getter (flow hooks give their own). */
export type OneTimeCodeState = Omit<UseOneTimeCodeResult, 'getInputProps'>

export interface UseOneTimeCodeResult {
  /** The digits entered so far, always a string (leading zeros survive). */
  value: string
  /** True when `value` has `length` digits. */
  isComplete: boolean
  /** One entry per digit, for drawing boxes. */
  slots: OneTimeCodeSlot[]
  /** Replaces the value; it is cleaned like a paste first. */
  setValue: (value: string) => void
  /** Empties the input, so the same code can complete (and fire `onComplete`) again. */
  clear: () => void
  /**
   * Props for the one real `<input>`. Your props win over ours, and your handlers run first:
   * call `event.preventDefault()` in one to skip ours.
   */
  getInputProps: <P extends object = Record<never, never>>(props?: P) => OneTimeCodeInputProps & P
}

/**
 * A one-time-code input in the input-otp style: one real input (so autofill, paste, screen
 * readers and password managers see one field) plus `slots` for drawing boxes.
 */
export function useOneTimeCode(options: UseOneTimeCodeOptions = {}): UseOneTimeCodeResult {
  const { length = 6, onComplete, webOtp = false, disabled } = options
  const [value, set] = useControllableState({
    prop: options.value,
    defaultProp: options.defaultValue ?? '',
    onChange: options.onValueChange,
    caller: 'useOneTimeCode',
  })
  const [isFocused, setFocused] = useState(false)
  const latest = useRef(options)
  latest.current = options
  const completed = useRef<string | null>(null)
  const isComplete = value.length === length

  useEffect(() => {
    if (!isComplete) completed.current = null
    else if (completed.current !== value) {
      completed.current = value
      onComplete?.(value)
    }
  }, [value, isComplete])

  useEffect(() => {
    if (!webOtp || typeof window === 'undefined' || !('OTPCredential' in window)) return
    const controller = new AbortController()
    navigator.credentials
      .get({ otp: { transport: ['sms'] }, signal: controller.signal } as CredentialRequestOptions)
      .then((credential) => {
        const code = sanitizeCode((credential as { code?: string } | null)?.code ?? '', latest.current.length ?? 6)
        if (code && !controller.signal.aborted) set(code)
      })
      .catch(() => {})
    return () => controller.abort()
  }, [webOtp])

  const setValue = (text: string) => {
    const code = sanitizeCode(text, length)
    if (code !== null) set(code)
  }
  const active = isFocused ? Math.min(value.length, length - 1) : -1
  const slots = Array.from({ length }, (_, i): OneTimeCodeSlot => {
    const char = value[i] ?? null
    return { char, isActive: i === active, hasFakeCaret: i === active && char === null }
  })

  return {
    value,
    isComplete,
    slots,
    setValue,
    clear: () => set(''),
    getInputProps: (props) =>
      mergeProps(
        {
          ...codeTextInput,
          inputMode: 'numeric',
          autoComplete: 'one-time-code',
          pattern: `\\d{${length}}`,
          maxLength: length,
          value,
          disabled,
          onChange: (event: ChangeEvent<HTMLInputElement>) => setValue(event.currentTarget.value),
          onPaste: (event: ClipboardEvent<HTMLInputElement>) => {
            event.preventDefault()
            const pasted = sanitizeCode(event.clipboardData.getData('text'), length)
            if (pasted === null) return
            if (pasted.length === length) return set(pasted)
            const input = event.currentTarget
            const start = input.selectionStart ?? value.length
            setValue(value.slice(0, start) + pasted + value.slice(input.selectionEnd ?? start))
          },
          onFocus: () => setFocused(true),
          onBlur: () => setFocused(false),
        } satisfies OneTimeCodeInputProps,
        props,
      ),
  }
}
