import { forwardRef } from 'react'
import type { InputHTMLAttributes, ReactNode } from 'react'

export interface TextFieldProps {
  /** The visible label. */
  label: ReactNode
  /** The input's props; `id` ties the label to it. */
  input: InputHTMLAttributes<HTMLInputElement> & { id: string }
  /** Shown under the input, linked with `aria-describedby`, and marks the input invalid when `invalid`. */
  error?: ReactNode
  /** A hint under the input, linked with `aria-describedby`. */
  hint?: ReactNode
  /** @default true when there is an `error` */
  invalid?: boolean
  /** Something before the input on the same row, such as the calling-code picker. */
  before?: ReactNode
}

/**
 * A labelled text input with its hint and error, described by both: the field of every form of
 * the kit (sign-in, adding a phone or email, a password).
 */
export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, input, error, hint, invalid = !!error, before },
  ref,
) {
  const hintId = `${input.id}-hint`
  const errorId = `${input.id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
  return (
    <div data-part="field" data-invalid={invalid ? '' : undefined}>
      <label data-part="field-label" htmlFor={input.id}>
        {label}
      </label>
      <div data-part="field-row">
        {before}
        <input data-part="field-input" {...input} aria-invalid={invalid || undefined} aria-describedby={describedBy} ref={ref} />
      </div>
      {hint && (
        <p data-part="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p data-part="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  )
})
