/**
 * Masks a phone number for display the way Guard does: the first 3 and last 4 digits stay
 * (`138****1234`). Numbers too short for that are returned as they are. With a country code, an
 * E.164 number that starts with it is shown as `+86 138****1234`.
 */
export function maskPhone(phone: string, countryCode?: string | null): string {
  let local = phone.trim()
  if (countryCode && local.startsWith(countryCode)) local = local.slice(countryCode.length)
  const masked = local.replace(/^(\+?\d{3})\d+(\d{4})$/, '$1****$2')
  return countryCode ? `${countryCode} ${masked}` : masked
}

/** Masks an email address for display the way Guard does: `a***@example.com`. */
export function maskEmail(email: string): string {
  return email.trim().replace(/^(.)[^@]*/, '$1***')
}
