import { useId } from '../peer'
import type { MfaError, MfaErrorCode } from '@mfa-kit/client'
import { mergeProps } from './compose'
import type { PropGetter } from './getters'

/** Props of the `<label>` of a flow's input. */
export interface LabelProps {
  id: string
  htmlFor: string
}

/** Props of the element that shows a flow's error message. */
export interface ErrorProps {
  id: string
  /** Announced by screen readers when the message appears or changes; left out with `{ live: false }`. */
  'aria-live'?: 'polite'
}

/** What `getErrorProps` takes besides your props. */
export interface ErrorPropsOptions {
  /**
   * Make the element a polite live region. Pass `false` when your UI announces errors through a
   * live region of its own, so that nothing is read twice. @default true
   */
  live?: boolean
}

/** `getErrorProps`: your props merged over ours; `{ live: false }` leaves out `aria-live`. */
export type ErrorPropGetter = <P extends object = Record<never, never>>(props?: P & ErrorPropsOptions) => ErrorProps & Omit<P, 'live'>

/** What the input of a flow gets so that it is labelled and described without hand wiring. */
export interface FieldInputProps {
  id: string
  /** True when the last error is about what was typed (a wrong or expired code, a malformed address). */
  'aria-invalid': boolean
  /** The error element's id while there is an error to read. */
  'aria-describedby': string | undefined
}

/** Errors that say what was typed is wrong, so the input is marked invalid. */
const INPUT_ERRORS: readonly MfaErrorCode[] = [
  'invalid_code',
  'invalid_recovery_code',
  'code_expired',
  'invalid_credentials',
  'weak_password',
  'invalid_email',
  'invalid_phone',
]

export interface Field {
  inputProps: FieldInputProps
  getLabelProps: PropGetter<LabelProps>
  getErrorProps: ErrorPropGetter
}

/**
 * Ids and ARIA wiring for one input, its label and its error message. The ids come from `useId`,
 * so they match between the server render and hydration.
 */
export function useField(error: MfaError | null): Field {
  const id = useId()
  const inputId = `${id}input`
  const labelId = `${id}label`
  const errorId = `${id}error`
  return {
    inputProps: {
      id: inputId,
      'aria-invalid': !!error && INPUT_ERRORS.includes(error.code),
      'aria-describedby': error ? errorId : undefined,
    },
    getLabelProps: (props) => mergeProps<LabelProps, NonNullable<typeof props>>({ id: labelId, htmlFor: inputId }, props),
    getErrorProps: (props) => {
      const { live = true, ...rest } = props ?? {}
      return mergeProps<ErrorProps, object>(live ? { id: errorId, 'aria-live': 'polite' } : { id: errorId }, rest) as never
    },
  }
}
