/** Attributes of a text input that holds a code: no spell check, autocorrection or page translation. */
export const codeTextInput = { type: 'text', spellCheck: false, translate: 'no', autoCorrect: 'off' } as const
