/**
 * Cleans text that is typed, pasted or autofilled into a code input: spaces (including
 * non-breaking ones) and dashes are removed, leading zeros are kept, and the result is cut to
 * `length`. Returns `null` when anything other than digits remains, so the change is refused.
 */
export function sanitizeCode(text: string, length: number): string | null {
  const cleaned = text.replace(/[\s\u00a0\u2010-\u2015-]/g, '')
  return /^\d*$/.test(cleaned) ? cleaned.slice(0, length) : null
}
