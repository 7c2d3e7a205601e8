/**
 * Password handling shared by sign-in, registration and re-verification: the local strength
 * check and RSA encryption with the server's key. The RSA code is a further chunk of its own.
 */
import { paths, type WellKnown } from '@mfa-kit/protocol'
import type { ClientContext } from './context'
import { MfaError } from './errors'
import type { CallOptions } from './types'

/** The default of `minPasswordLength`. */
const DEFAULT_MIN_PASSWORD_LENGTH = 8

/**
 * Refuses a password shorter than the client's `minPasswordLength` with `weak_password`. The server
 * cannot say so itself: it gives one answer for every password problem, so that it never tells a
 * bad encryption padding apart from a short password.
 */
export function checkPasswordStrength(context: ClientContext, password: string): void {
  const minLength = context.options.minPasswordLength ?? DEFAULT_MIN_PASSWORD_LENGTH
  // Characters, not UTF-16 units, as the server counts them.
  if ([...password].length < minLength) {
    throw new MfaError('weak_password', `The password must have at least ${minLength} characters`, { data: { minLength } })
  }
}

const publicKeys = new WeakMap<ClientContext, Promise<string>>()

/** Fetches (once per client) the public key and encrypts the password with RSA PKCS#1 v1.5. */
export async function encryptPassword(context: ClientContext, password: string, call: CallOptions | undefined): Promise<string> {
  let publicKey = publicKeys.get(context)
  if (!publicKey) {
    publicKey = context.options.publicKey
      ? Promise.resolve(context.options.publicKey)
      : context.transport.rest<WellKnown>({ method: 'GET', path: paths.wellKnown, call }).then((reply) => reply.data.publicKey)
    publicKeys.set(context, publicKey)
  }
  const rsa = import('./rsa').catch((cause: unknown) => {
    throw new MfaError('network', 'Could not load password encryption', { cause })
  })
  let pem: string
  try {
    pem = await publicKey
  } catch (error) {
    // A failed fetch is not cached: the next call asks again.
    if (publicKeys.get(context) === publicKey) publicKeys.delete(context)
    throw error
  }
  const { encryptPassword: rsaEncrypt } = await rsa
  try {
    return rsaEncrypt(password, pem)
  } catch (cause) {
    if (cause instanceof RangeError) throw new MfaError('invalid_request', 'The password is too long', { cause })
    throw new MfaError('bad_response', 'The server sent an unusable password-encryption key', { cause })
  }
}
