/**
 * Property-based fuzzing of every route: random bodies, content types, origins, headers and tokens
 * (some of them real) must always get a JSON answer and never a server error; a body that is not
 * declared as JSON is refused with 415, and only allowed origins ever get CORS headers.
 */

import { paths } from '@mfa-kit/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createHarness } from './harness.testing'

const ROUTES: Array<[string, string]> = [
  ['GET', paths.authenticators],
  ['POST', paths.totpAssociate],
  ['DELETE', paths.totpAssociate],
  ['POST', paths.totpAssociateConfirm],
  ['POST', paths.totpVerify],
  ['POST', paths.applicationTotpVerify],
  ['POST', paths.totpRecovery],
  ['POST', paths.applicationSmsVerify],
  ['POST', paths.applicationEmailVerify],
  ['POST', paths.applicationCheck],
  ['POST', paths.smsSend],
  ['POST', paths.emailSend],
  ['GET', paths.wellKnown],
  ['POST', paths.graphql],
  ['GET', paths.devOutbox],
  ['GET', paths.logout],
  ['GET', paths.reverification],
  ['POST', paths.reverification],
  ['POST', paths.reverificationSend],
  ['POST', paths.recoveryCodeRegenerate],
  ['POST', paths.smsAssociate],
  ['DELETE', paths.smsAssociate],
  ['POST', paths.emailAssociate],
  ['DELETE', paths.emailAssociate],
  ['POST', '/api/v2/unknown'],
]

const ALLOWED_ORIGIN = 'https://app.example.com'
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/jsonx',
  'json',
  '',
]

const FIELDS = [
  'totp',
  'recoveryCode',
  'phone',
  'email',
  'code',
  'phoneCountryCode',
  'scene',
  'source',
  'authenticator_type',
  'query',
  'variables',
  'input',
  'type',
  'password',
  'channel',
  'useForLogin',
]

describe('fuzzing every route', () => {
  it('always answers JSON and never with HTTP 5xx', async () => {
    const h = createHarness({ factors: ['OTP', 'SMS', 'EMAIL'], rsaPrivateKey: undefined, allowedOrigins: [ALLOWED_ORIGIN] })
    await h.register('fuzz@example.com')
    const { mfaToken } = await h.loginForMfa('fuzz@example.com')
    const second = await h.loginForMfa('fuzz@example.com')
    // A full session: a second account passes its email code as the second factor.
    await h.register('signed-in@example.com')
    const third = await h.loginForMfa('signed-in@example.com')
    await h.call('POST', paths.emailSend, { body: { email: 'signed-in@example.com', scene: 'MFA_VERIFY' }, token: third.mfaToken })
    const signedIn = await h.call('POST', paths.applicationEmailVerify, {
      body: { email: 'signed-in@example.com', code: h.lastCode('signed-in@example.com') },
      token: third.mfaToken,
    })
    const accessToken = signedIn.body.data?.token as string
    expect(accessToken).toEqual(expect.any(String))
    const tokens = [mfaToken, second.mfaToken, accessToken]

    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^[0-9]{6}$/),
      fc.stringMatching(/^1[0-9]{10}$/),
      fc.emailAddress(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...FIELDS, '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    )
    const objectBody = fc
      .dictionary(fc.constantFrom(...FIELDS, '__proto__', 'toString'), value, { maxKeys: 6 })
      .map((o) => JSON.stringify(o))
    const graphqlBody = fc
      .record({
        query: fc.oneof(
          fc
            .constantFrom(
              'registerByEmail',
              'registerByUsername',
              'loginByEmail',
              'loginByUsername',
              'loginByPhonePassword',
              'loginByPhoneCode',
              'sendEmail',
              'user',
              'nope',
            )
            .map((op) => `mutation ${op}($input: X) { ${op}(input: $input) { id } }`),
          fc.string({ maxLength: 60 }),
        ),
        variables: fc.oneof(value, fc.record({ input: value, email: value, scene: value })),
      })
      .map((o) => JSON.stringify(o))
    const body = fc.oneof(
      objectBody,
      graphqlBody,
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 80 }),
      fc.constant(''),
    )
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(...tokens).map((t) => `Bearer ${t}`),
      fc.constantFrom(...tokens),
      fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n\0]/g, '')),
      fc.constant('Bearer '),
    )

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        body,
        authorization,
        fc.option(fc.constantFrom(...CONTENT_TYPES)),
        fc.option(fc.constantFrom('Guard@5.3.9', 'sdk', 'Guard@')),
        fc.option(fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s))),
        fc.option(fc.oneof(fc.constantFrom(ALLOWED_ORIGIN, 'https://evil.example', 'null', `${ALLOWED_ORIGIN}.evil.example`), fc.webUrl())),
        fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('127.0.0.1'))),
        async ([method, path], text, auth, contentType, requestFrom, query, origin, clientAddress) => {
          const headers: Record<string, string> = {}
          if (auth !== undefined) headers.authorization = auth
          if (contentType !== null) headers['content-type'] = contentType
          if (requestFrom) headers['x-authing-request-from'] = requestFrom
          if (origin) headers.origin = origin
          const url = `http://mfa.test${path}${query ? `?type=${query}&source=${query}` : ''}`
          const request = new Request(url, { method, headers, ...(method === 'GET' ? {} : { body: text }) })
          const response = await h.server.fetch(request, clientAddress ? { clientAddress } : {})
          expect(response.status).toBeLessThan(500)
          expect(response.headers.get('access-control-allow-origin')).toBe(origin === ALLOWED_ORIGIN ? ALLOWED_ORIGIN : null)
          const declaredJson = contentType !== null && /^application\/(json|vnd\.api\+json)(;|$)/i.test(contentType)
          if (response.status === 415) expect(declaredJson).toBe(false)
          expect(response.headers.get('content-type')).toContain('application/json')
          const json = await response.json()
          if (path === paths.graphql) expect(json.data !== undefined || json.errors !== undefined).toBe(true)
          else expect(typeof json.code).toBe('number')
          if (typeof json.code === 'number') expect(json.code).not.toBe(500)
        },
      ),
      { numRuns: 400 },
    )
  }, 60_000)
})
