/**
 * Masks a phone number for display the way Guard does: the first 3 and last 4 digits stay
 * (`138****1234`). Numbers too short for that are returned as they are.
 */
export function maskPhone(phone: string): string {
  return phone.trim().replace(/^(\+?\d{3})\d+(\d{4})$/, '$1****$2')
}

/** Masks an email address for display the way Guard does: `a***@example.com`. */
export function maskEmail(email: string): string {
  return email.trim().replace(/^(.)[^@]*/, '$1***')
}
