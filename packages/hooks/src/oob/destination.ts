import { useState } from '../peer'
import type { ChangeEvent } from 'react'
import { mergeProps } from '../utils/compose'
import type { Field, FieldInputProps } from '../utils/field'
import type { PropGetter } from '../utils/getters'
import { maskEmail, maskPhone } from '../utils/mask'

/** The calling code a phone picker starts on, as the reference server assumes. */
export const DEFAULT_PHONE_COUNTRY_CODE = '+86'

/** Full-width digits (as Chinese and Japanese keyboards type them) as ASCII digits, trimmed. */
const asciiDigits = (text: string) => text.trim().replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))

/** A number typed with `+` or `00` carries its own calling code. */
const isInternational = (phone: string) => /^(\+|00)/.test(phone)

/**
 * True when `input` looks like a phone number: digits with spaces, dashes, dots or brackets, an
 * optional `+` or `00` prefix, 5 to 15 digits. The server decides whether the number exists.
 */
export function isPhoneNumber(input: string): boolean {
  const phone = asciiDigits(input)
  const digits = phone.replace(/\D/g, '').replace(/^00/, '').length
  return /^\+?[\d\s().-]+$/.test(phone) && digits > 4 && digits < 16
}

/** True when `input` looks like an email address (`name@domain.tld`, no spaces). */
export function isEmailAddress(input: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.trim())
}

/** The destination as shown: a phone with its calling code (unless it carries another), an email masked. */
export function maskDestination(type: 'sms' | 'email', destination: string, countryCode: string | null): string {
  if (type === 'email') return maskEmail(destination)
  const phone = asciiDigits(destination).replace(/[^\d+]/g, '')
  return maskPhone(phone, countryCode && (phone.startsWith(countryCode) || !isInternational(phone)) ? countryCode : null)
}

/** Props of the phone or email `<input>` of a binding form. */
export interface DestinationInputProps extends FieldInputProps {
  type: 'tel' | 'email'
  inputMode: 'tel' | 'email'
  autoComplete: 'tel' | 'email'
  value: string
  disabled: boolean
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
}

/** Props of the `<select>` of calling codes beside a phone input. */
export interface CountryCodeSelectProps {
  value: string
  autoComplete: 'tel-country-code'
  disabled: boolean
  onChange: (event: ChangeEvent<HTMLSelectElement>) => void
}

/** What a flow that binds a phone or an email adds to its result. */
export interface DestinationParts {
  /** The phone or email typed. */
  destinationInput: string
  setDestinationInput: (value: string) => void
  /** True when what is typed is a well-formed phone or email. */
  destinationValid: boolean
  /** Picks the calling code of the phone being bound (`'+65'`). */
  setPhoneCountryCode: (code: string) => void
  /** The phone or email `<input>`; enabled while the destination can be edited. */
  getDestinationInputProps: PropGetter<DestinationInputProps>
  /** The calling-code `<select>` of a phone; enabled while the phone can be edited. Its options are yours to list. */
  getCountryCodeProps: PropGetter<CountryCodeSelectProps>
}

/**
 * The phone or email a flow binds, as typed, with its calling code and whether it is well formed.
 * `editable` says whether the form accepts changes now.
 */
export function useDestination(type: 'sms' | 'email', field: Field, editable: boolean, initialCountryCode: string | null | undefined) {
  const [input, setInput] = useState('')
  const [countryCode, setCountryCode] = useState(initialCountryCode || DEFAULT_PHONE_COUNTRY_CODE)
  const typed = input.trim()
  const kind = type === 'sms' ? 'tel' : 'email'
  const valid = type === 'sms' ? isPhoneNumber(typed) : isEmailAddress(typed)
  const parts: DestinationParts = {
    destinationInput: input,
    setDestinationInput: setInput,
    destinationValid: valid,
    setPhoneCountryCode: setCountryCode,
    getDestinationInputProps: (props) =>
      mergeProps(
        {
          ...field.inputProps,
          type: kind,
          inputMode: kind,
          autoComplete: kind,
          value: input,
          disabled: !editable,
          onChange: (e: ChangeEvent<HTMLInputElement>) => setInput(e.currentTarget.value),
        } satisfies DestinationInputProps,
        props,
      ),
    getCountryCodeProps: (props) =>
      mergeProps(
        {
          value: countryCode,
          autoComplete: 'tel-country-code',
          disabled: !editable,
          onChange: (e: ChangeEvent<HTMLSelectElement>) => setCountryCode(e.currentTarget.value),
        } satisfies CountryCodeSelectProps,
        props,
      ),
  }
  return { typed, countryCode, valid, parts }
}
