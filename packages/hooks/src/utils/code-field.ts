import { useOneTimeCode } from '../one-time-code/use-one-time-code'
import type { OneTimeCodeInputProps, OneTimeCodeState, UseOneTimeCodeOptions } from '../one-time-code/use-one-time-code'
import { mergeProps } from './compose'
import type { ErrorPropGetter, Field, FieldInputProps, LabelProps } from './field'
import type { PropGetter } from './getters'

/** Props of a flow's one-time-code `<input>`: the code input's, labelled and described. */
export type CodeInputProps = OneTimeCodeInputProps & FieldInputProps

/** What a flow with a one-time code adds to its result. */
export interface CodeFieldParts {
  /** The code typed so far, its slots for drawing boxes, and `setValue` / `clear`. */
  code: OneTimeCodeState
  /** The one real `<input>`: your props win, your handlers run first. */
  getCodeInputProps: PropGetter<CodeInputProps>
  /** The `<label>` of the input. */
  getLabelProps: PropGetter<LabelProps>
  /** The element that shows the error message; the input points to it while there is one. */
  getErrorProps: ErrorPropGetter
}

/** A one-time-code input wired to a flow's field (`useField(error)`): ids, `aria-invalid` and `aria-describedby`. */
export function useCodeField(options: UseOneTimeCodeOptions, { inputProps, getLabelProps, getErrorProps }: Field): CodeFieldParts {
  const { getInputProps, ...code } = useOneTimeCode(options)
  return {
    code,
    getCodeInputProps: (props) => getInputProps(mergeProps(inputProps, props)),
    getLabelProps,
    getErrorProps,
  }
}
