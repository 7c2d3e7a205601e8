/**
 * Canonical forms of what people type: one form per email, username and phone number, computed
 * once, before any lookup, limit or decision (TOK-10). Two spellings of one handset or mailbox
 * can then never count as two.
 */

import { parsePhoneNumberFromString } from 'libphonenumber-js/min'
import type { LoginIdentifier } from '../store/types'
import { errors } from '../http/errors'

export function canonicalEmail(input: string): string | null {
  const value = input.normalize('NFKC').trim().toLowerCase()
  if (value.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return null
  return value
}

export function canonicalUsername(input: string): string | null {
  const value = input.normalize('NFKC').trim().toLowerCase()
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to find control characters
  if (value.length < 1 || value.length > 64 || /[\s\u0000-\u001f\u007f]/.test(value)) return null
  return value
}

/** A phone number in E.164 form, with its country calling code. */
export interface PhoneNumber {
  /** `+8613800138000` */
  e164: string
  /** `+86` */
  countryCode: string
}

/**
 * A valid phone number in E.164 form, or null. A number typed with `+` (or the international
 * prefix `00`) carries its own country code; otherwise `countryCode` (`+86`, `86`) applies, then
 * `defaultCallingCode`. Validity is checked against libphonenumber's metadata for the country.
 */
export function canonicalPhone(input: string, countryCode: string | null, defaultCallingCode: string): PhoneNumber | null {
  const typed = input.normalize('NFKC').trim().replace(/^00/, '+')
  if (typed.length > 32) return null
  const callingCode = (countryCode ?? defaultCallingCode).replace(/^\+/, '')
  const parsed = parsePhoneNumberFromString(typed, typed.startsWith('+') ? undefined : { defaultCallingCode: callingCode })
  if (!parsed?.isValid()) return null
  return { e164: parsed.number, countryCode: `+${parsed.countryCallingCode}` }
}

/** A `phoneCountryCode` field (`+86` or `86`) as `+86`; undefined stays null. */
export function canonicalCountryCode(input: string | undefined): string | null {
  if (input === undefined) return null
  const value = input.trim()
  if (!/^\+?[1-9][0-9]{0,3}$/.test(value)) throw errors.badRequest('Field phoneCountryCode must look like +86')
  return value.startsWith('+') ? value : `+${value}`
}

/** A login identifier in canonical form (a phone as E.164), or null when it cannot be one. */
export function canonicalIdentifier(
  kind: LoginIdentifier,
  input: string,
  countryCode: string | null,
  defaultCallingCode: string,
): string | null {
  if (kind === 'email') return canonicalEmail(input)
  if (kind === 'phone') return canonicalPhone(input, countryCode, defaultCallingCode)?.e164 ?? null
  return canonicalUsername(input)
}
