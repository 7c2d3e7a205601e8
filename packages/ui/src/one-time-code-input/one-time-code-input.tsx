import { createContext, forwardRef, useContext, useEffect, useId, useRef, useState } from 'react'
import type { Dispatch, ReactNode, RefObject, SetStateAction } from 'react'
import { composeEventHandlers, useOneTimeCode } from '@mfa-kit/hooks'
import type { UseOneTimeCodeOptions, UseOneTimeCodeResult } from '@mfa-kit/hooks'
import { useMfaLocale } from '../i18n/provider'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'

/** A code input's state without its prop getter, as flow hooks hold it (`useTotpVerify().code`). */
export type OneTimeCodeInputState = Omit<UseOneTimeCodeResult, 'getInputProps'>

/** The input's selection, `[start, end]`, while it has focus; `null` otherwise. */
type Selection = readonly [number, number] | null

interface OneTimeCodeContextValue {
  code: OneTimeCodeInputState
  getInputProps: UseOneTimeCodeResult['getInputProps']
  length: number
  inputId: string
  errorId: string
  label: ReactNode
  error: ReactNode
  invalid: boolean
  locked: boolean
  selection: Selection
  setSelection: Dispatch<SetStateAction<Selection>>
  inputRef: RefObject<HTMLInputElement | null>
}

const OneTimeCodeContext = createContext<OneTimeCodeContextValue | null>(null)

function useOneTimeCodeContext(part: string): OneTimeCodeContextValue {
  const ctx = useContext(OneTimeCodeContext)
  if (!ctx) throw new Error(`<OneTimeCodeInput.${part}> must be used inside <OneTimeCodeInput.Root>`)
  return ctx
}

export interface OneTimeCodeInputRootProps extends Omit<PrimitiveProps<'div'>, 'defaultValue' | 'onChange'>, UseOneTimeCodeOptions {
  /**
   * The state of a code input that a flow hook already holds (`useTotpVerify().code`). Without it
   * the root keeps its own, from the `useOneTimeCode` options (`length`, `value`, `onComplete`, …).
   */
  code?: OneTimeCodeInputState
  /** The flow hook's prop getter for the input (`getCodeInputProps`); needed with `code`. */
  getInputProps?: UseOneTimeCodeResult['getInputProps']
  /** The label. @default messages.oneTimeCode.label */
  label?: ReactNode
  /** A message shown under the boxes and linked to the input with `aria-describedby`. */
  error?: ReactNode
  /** Marks the input `aria-invalid`. @default true when there is an `error` */
  invalid?: boolean
  /**
   * Keeps the input focusable but refuses typing and pasting (`readonly`, `aria-disabled`), for
   * waits such as a lock: focus is not lost the way it is when an input turns `disabled`.
   */
  locked?: boolean
}

/**
 * A one-time-code field: one real `<input>` (so autofill, paste, password managers and screen
 * readers see one field with one value) drawn as boxes.
 *
 * `data-state`: `complete` | `incomplete`; `data-invalid`, `data-locked` when so.
 */
export const OneTimeCodeInputRoot = forwardRef<HTMLDivElement, OneTimeCodeInputRootProps>(function OneTimeCodeInputRoot(props, ref) {
  const {
    code: external,
    getInputProps,
    label,
    error,
    invalid = Boolean(error),
    locked = false,
    length = 6,
    value,
    defaultValue,
    onValueChange,
    onComplete,
    webOtp,
    disabled,
    children,
    ...rest
  } = props
  const own = useOneTimeCode({ length, value, defaultValue, onValueChange, onComplete, webOtp, disabled })
  const code = external ?? own
  const id = useId()
  const [selection, setSelection] = useState<Selection>(null)
  const inputRef = useRef<HTMLInputElement | null>(null)
  const ctx: OneTimeCodeContextValue = {
    code,
    getInputProps: getInputProps ?? (code as Partial<UseOneTimeCodeResult>).getInputProps ?? own.getInputProps,
    length: code.slots.length,
    inputId: `${id}input`,
    errorId: `${id}error`,
    label,
    error,
    invalid,
    locked,
    selection,
    setSelection,
    inputRef,
  }
  return (
    <OneTimeCodeContext.Provider value={ctx}>
      <Primitive.div
        data-part="otp"
        data-state={code.isComplete ? 'complete' : 'incomplete'}
        data-invalid={invalid ? '' : undefined}
        data-locked={locked ? '' : undefined}
        {...rest}
        ref={ref}
      >
        {children ?? (
          <>
            <OneTimeCodeInputLabel />
            <OneTimeCodeInputGroup />
            <OneTimeCodeInputError />
          </>
        )}
      </Primitive.div>
    </OneTimeCodeContext.Provider>
  )
})

/** The input's label. */
export const OneTimeCodeInputLabel = forwardRef<HTMLLabelElement, PrimitiveProps<'label'>>(function OneTimeCodeInputLabel(props, ref) {
  const ctx = useOneTimeCodeContext('Label')
  const { messages } = useMfaLocale()
  return (
    <Primitive.label data-part="otp-label" htmlFor={ctx.inputId} {...props} ref={ref}>
      {props.children ?? ctx.label ?? messages.oneTimeCode.label}
    </Primitive.label>
  )
})

/**
 * The boxes with the real input laid over them. Always left to right, also on right-to-left
 * pages, and with room after the last box for a password manager's badge. Without children it
 * renders one `Slot` per digit and the `Input`.
 */
export const OneTimeCodeInputGroup = forwardRef<HTMLDivElement, PrimitiveProps<'div'>>(function OneTimeCodeInputGroup(props, ref) {
  const ctx = useOneTimeCodeContext('Group')
  const disabled = ctx.getInputProps().disabled === true
  return (
    <Primitive.div
      data-part="otp-group"
      dir="ltr"
      translate="no"
      data-disabled={disabled || ctx.locked ? '' : undefined}
      data-focused={ctx.selection ? '' : undefined}
      {...props}
      ref={ref}
    >
      {props.children ?? (
        <>
          {ctx.code.slots.map((_, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a slot is its position
            <OneTimeCodeInputSlot key={index} index={index} />
          ))}
          <OneTimeCodeInputInput />
        </>
      )}
    </Primitive.div>
  )
})

export interface OneTimeCodeInputSlotProps extends PrimitiveProps<'div'> {
  /** Which digit this box draws, from 0. */
  index: number
}

/**
 * One box. Decoration only (`aria-hidden`): the input carries the name and the value.
 *
 * `data-active` when the caret or the selection is here; `data-caret`: `center` (empty box),
 * `start` (before the digit) or `end` (after the last digit); `data-filled` when it holds a digit.
 */
export const OneTimeCodeInputSlot = forwardRef<HTMLDivElement, OneTimeCodeInputSlotProps>(function OneTimeCodeInputSlot(
  { index, ...props },
  ref,
) {
  const { code, selection, length } = useOneTimeCodeContext('Slot')
  const char = code.slots[index]?.char ?? null
  let active = false
  let caret: 'center' | 'start' | 'end' | undefined
  if (selection) {
    const [start, end] = selection
    if (start !== end) active = index >= start && index < end
    else if (index === Math.min(start, length - 1)) {
      active = true
      caret = char === null ? 'center' : start >= length ? 'end' : 'start'
    }
  }
  return (
    <Primitive.div
      data-part="otp-slot"
      aria-hidden
      data-active={active ? '' : undefined}
      data-caret={caret}
      data-filled={char === null ? undefined : ''}
      {...props}
      ref={ref}
    >
      {props.children ?? char}
    </Primitive.div>
  )
})

/** A decorative separator between boxes (`aria-hidden`). */
export const OneTimeCodeInputSeparator = forwardRef<HTMLSpanElement, PrimitiveProps<'span'>>(
  function OneTimeCodeInputSeparator(props, ref) {
    return (
      <Primitive.span data-part="otp-separator" aria-hidden {...props} ref={ref}>
        {props.children ?? '-'}
      </Primitive.span>
    )
  },
)

/**
 * The one real input: `autocomplete="one-time-code"`, `inputmode="numeric"`, transparent over
 * the boxes. Props you pass win over the kit's; your handlers run first.
 */
export const OneTimeCodeInputInput = forwardRef<HTMLInputElement, PrimitiveProps<'input'>>(
  function OneTimeCodeInputInput(props, forwardedRef) {
    const ctx = useOneTimeCodeContext('Input')
    const { inputRef, setSelection, locked } = ctx
    const ref = useComposedRefs(inputRef, forwardedRef)

    // Mirror the real selection into the boxes: the caret, a selected range, nothing when blurred.
    useEffect(() => {
      const input = inputRef.current
      if (!input) return
      const sync = () => {
        const next: Selection = input.ownerDocument.activeElement === input ? [input.selectionStart ?? 0, input.selectionEnd ?? 0] : null
        setSelection((prev) => (prev?.[0] === next?.[0] && prev?.[1] === next?.[1] ? prev : next))
      }
      // Not 'input': a browser runs microtasks after each listener, so a state update here would
      // render the old value before React's change handler sees the new one, losing the digit.
      // The caret after typing is read back by the effect below, once the value has changed.
      const events = ['focus', 'blur', 'select', 'keyup', 'keydown', 'mouseup', 'selectionchange'] as const
      for (const type of events) input.addEventListener(type, sync)
      input.ownerDocument.addEventListener('selectionchange', sync)
      sync()
      return () => {
        for (const type of events) input.removeEventListener(type, sync)
        input.ownerDocument.removeEventListener('selectionchange', sync)
      }
    }, [inputRef, setSelection])

    // Setting the value (a paste, an autofill) moves the caret without any event; read it back.
    const { value } = ctx.code
    useEffect(() => {
      const input = inputRef.current
      if (input && input.ownerDocument.activeElement === input)
        setSelection([input.selectionStart ?? value.length, input.selectionEnd ?? value.length])
    }, [value, inputRef, setSelection])

    const describedBy = [ctx.error ? ctx.errorId : null, props['aria-describedby']].filter(Boolean).join(' ') || undefined
    const inputProps = ctx.getInputProps({
      id: ctx.inputId,
      'data-part': 'otp-input',
      ...(locked && { disabled: false, readOnly: true, 'aria-disabled': true }),
      ...props,
      // A lock refuses pastes too (the hook's paste handler would otherwise fill the boxes).
      onPaste: composeEventHandlers(props.onPaste, (event) => {
        if (locked) event.preventDefault()
      }),
    })
    // The message shown here is what describes the input, and only a wrong code makes it invalid
    // (not a lock): these two follow this component, whatever the hook's getter set.
    return (
      <Primitive.input
        {...inputProps}
        aria-describedby={describedBy}
        aria-invalid={(props['aria-invalid'] ?? ctx.invalid) || undefined}
        ref={ref}
      />
    )
  },
)

/** The error (or wait) message, linked to the input; renders nothing without one. */
export const OneTimeCodeInputError = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function OneTimeCodeInputError(props, ref) {
  const ctx = useOneTimeCodeContext('Error')
  if (!ctx.error) return null
  return (
    <Primitive.p data-part="otp-error" id={ctx.errorId} data-invalid={ctx.invalid ? '' : undefined} {...props} ref={ref}>
      {props.children ?? ctx.error}
    </Primitive.p>
  )
})

/** A one-time-code input: `<OneTimeCodeInput.Root>` alone, or composed from its parts. */
export const OneTimeCodeInput = {
  Root: OneTimeCodeInputRoot,
  Label: OneTimeCodeInputLabel,
  Group: OneTimeCodeInputGroup,
  Slot: OneTimeCodeInputSlot,
  Separator: OneTimeCodeInputSeparator,
  Input: OneTimeCodeInputInput,
  Error: OneTimeCodeInputError,
}
