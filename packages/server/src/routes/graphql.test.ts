import { constants, publicEncrypt } from 'node:crypto'
import { AuthingCode, paths } from '@mfa-kit/protocol'
import { describe, expect, it } from 'vitest'
import { createHarness, PASSWORD } from '../harness.testing'
import { operationName } from './graphql'

/** What JSEncrypt does in the SDK: RSA PKCS#1 v1.5 with the served key, base64. */
function encrypt(publicKeyPem: string, text: string): string {
  return publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text)).toString('base64')
}

describe('operationName', () => {
  it('reads the name after mutation or query, then operationName, then the first field', () => {
    expect(operationName('mutation loginByEmail($input: LoginByEmailInput!) { loginByEmail(input: $input) { id } }', undefined)).toBe(
      'loginByEmail',
    )
    expect(operationName('  # comment\n query user($id: String) { user(id: $id) { id } }', undefined)).toBe('user')
    expect(operationName('{ user { id } }', 'user')).toBe('user')
    expect(operationName('{ user { id } }', undefined)).toBe('user')
    expect(operationName('mutation { sendEmail(email: $e) { code } }', undefined)).toBe('sendEmail')
    expect(operationName('nonsense', undefined)).toBeNull()
  })
})

describe('GraphQL /graphql/v2', () => {
  it('registers by email and by username, and refuses a taken email with 2026', async () => {
    const h = createHarness()
    const byEmail = await h.gql('registerByEmail', {
      input: { email: 'Alice@Example.com', password: PASSWORD, profile: { nickname: 'Al' } },
    })
    expect(byEmail.data?.registerByEmail).toMatchObject({ email: 'alice@example.com', nickname: 'Al', token: null })
    const byName = await h.gql('registerByUsername', { input: { username: 'Bob', password: PASSWORD, forceLogin: true } })
    expect(byName.data?.registerByUsername).toMatchObject({ username: 'bob' })
    expect(byName.data?.registerByUsername.token).toBeTruthy()
    const taken = await h.gql('registerByEmail', { input: { email: 'alice@example.com', password: PASSWORD } })
    expect(taken.errors?.[0]?.message).toMatchObject({ code: AuthingCode.USER_EXISTS })
    expect(taken.data).toEqual({ registerByEmail: null })
  })

  it('answers a registration that asks to sign in under an MFA policy like a login: the 1636 trigger, no session', async () => {
    const h = createHarness({ factors: ['OTP'] })
    const result = await h.gql('registerByEmail', { input: { email: 'carla@example.com', password: PASSWORD, forceLogin: true } })
    expect(result.data).toEqual({ registerByEmail: null })
    expect(result.errors?.[0]?.message).toMatchObject({
      code: AuthingCode.MFA_APP_REQUIRED,
      data: { email: 'carla@example.com', mfaToken: expect.any(String) },
    })
    const plain = await h.gql('registerByEmail', { input: { email: 'dora@example.com', password: PASSWORD } })
    expect(plain.data?.registerByEmail).toMatchObject({ email: 'dora@example.com', token: null })
  })

  it('refuses short passwords with the one registration error, and malformed identifiers with their own codes', async () => {
    const h = createHarness()
    expect((await h.gql('registerByEmail', { input: { email: 'a@example.com', password: 'short' } })).errors?.[0]?.message.code).toBe(
      AuthingCode.REGISTRATION_FAILED,
    )
    expect((await h.gql('registerByEmail', { input: { email: 'not-an-email', password: PASSWORD } })).errors?.[0]?.message.code).toBe(
      AuthingCode.INVALID_EMAIL,
    )
    expect((await h.gql('registerByUsername', { input: { username: 'has space', password: PASSWORD } })).errors?.[0]?.message.code).toBe(
      400,
    )
  })

  it('logs in by email, username and phone password and returns the user with a token', async () => {
    const h = createHarness()
    await h.gql('registerByUsername', { input: { username: 'carol', password: PASSWORD } })
    await h.register('dave@example.com')
    const byName = await h.gql('loginByUsername', { input: { username: 'CAROL', password: PASSWORD } })
    expect(byName.data?.loginByUsername).toMatchObject({ username: 'carol', loginsCount: 1 })
    expect(byName.data?.loginByUsername.token).toBeTruthy()
    const byEmail = await h.gql('loginByEmail', { input: { email: 'dave@example.com', password: PASSWORD } })
    expect(byEmail.data?.loginByEmail.token).toBeTruthy()
    const byPhone = await h.gql('loginByPhonePassword', { input: { phone: '13800000000', password: PASSWORD } })
    expect(byPhone.errors?.[0]?.message.code).toBe(AuthingCode.INVALID_CREDENTIALS)
  })

  it('answers a wrong password and an unknown account identically with 2333', async () => {
    const h = createHarness()
    await h.register('erin@example.com')
    const wrong = await h.gql('loginByEmail', { input: { email: 'erin@example.com', password: 'wrong password' } })
    const unknown = await h.gql('loginByEmail', { input: { email: 'nobody@example.com', password: 'wrong password' } })
    expect(wrong).toEqual(unknown)
    expect(wrong.errors?.[0]?.message).toEqual({ code: AuthingCode.INVALID_CREDENTIALS, message: 'Wrong account or password', data: null })
  })

  it('answers 1636 with the trigger data of the application policy', async () => {
    const h = createHarness({ factors: ['EMAIL', 'OTP', 'SMS'] })
    await h.register('frank@example.com')
    const result = await h.gql('loginByEmail', { input: { email: 'frank@example.com', password: PASSWORD } })
    expect(result.data).toEqual({ loginByEmail: null })
    const error = result.errors![0]!
    expect(error.message.code).toBe(1636)
    expect(error.message.data).toEqual({
      mfaToken: expect.any(String),
      nickname: null,
      username: null,
      email: 'frank@example.com',
      phone: null,
      phoneCountryCode: null,
      avatar: null,
      mfaPhone: null,
      mfaPhoneCountryCode: null,
      mfaEmail: 'frank@example.com',
      faceMfaEnabled: false,
      totpMfaEnabled: false,
      applicationMfa: [
        { mfaPolicy: 'EMAIL', status: 1, sort: 1 },
        { mfaPolicy: 'OTP', status: 1, sort: 2 },
        { mfaPolicy: 'SMS', status: 1, sort: 3 },
      ],
      current: 'EMAIL',
      passkeyEnabled: false,
    })
  })

  it('decrypts RSA PKCS#1 v1.5 passwords encrypted with the /.well-known key', async () => {
    const h = createHarness({ allowPlainPasswords: false })
    const { body } = await h.call('GET', paths.wellKnown)
    const pem = body.data.publicKey as string
    const registered = await h.gql('registerByEmail', { input: { email: 'gina@example.com', password: encrypt(pem, PASSWORD) } })
    expect(registered.data?.registerByEmail.email).toBe('gina@example.com')
    const login = await h.gql('loginByEmail', { input: { email: 'gina@example.com', password: encrypt(pem, PASSWORD) } })
    expect(login.data?.loginByEmail.token).toBeTruthy()
    const plain = await h.gql('loginByEmail', { input: { email: 'gina@example.com', password: PASSWORD } })
    expect(plain.errors?.[0]?.message.code).toBe(AuthingCode.INVALID_CREDENTIALS)
    const plainRegister = await h.gql('registerByEmail', { input: { email: 'hank@example.com', password: PASSWORD } })
    expect(plainRegister.errors?.[0]?.message.code).toBe(AuthingCode.REGISTRATION_FAILED)
  }, 20_000)

  it('logs in by phone code sent with the login scene', async () => {
    const h = createHarness()
    await h.server.store.createUser({
      id: 'phone-user',
      username: null,
      email: null,
      phone: '+8613800001234',
      passwordHash: null,
      createdAt: h.clock.now(),
    })
    await h.server.store.bindContact('phone-user', {
      channel: 'sms',
      value: '+8613800001234',
      countryCode: '+86',
      now: h.clock.now(),
      useForLogin: true,
    })
    await h.call('POST', paths.smsSend, { body: { phone: '13800001234', scene: 'login' } })
    const login = await h.gql('loginByPhoneCode', { input: { phone: '13800001234', code: h.lastCode('13800001234') } })
    expect(login.data?.loginByPhoneCode).toMatchObject({ id: 'phone-user', phone: '+8613800001234', phoneCountryCode: '+86' })
    expect(login.data?.loginByPhoneCode.token).toBeTruthy()
  })

  it('does not send login codes to unknown phones but answers the same', async () => {
    const h = createHarness()
    const result = await h.call('POST', paths.smsSend, { body: { phone: '13800009999', scene: 'login' } })
    expect(result.body).toEqual({ code: 200, message: 'OK', data: { resendAfterMs: 60_000, expiresInMs: 300_000 } })
    expect(h.server.outbox()).toEqual([])
  })

  it('returns the current user for an access token', async () => {
    const h = createHarness()
    await h.register('judy@example.com')
    const token = (await h.login('judy@example.com')).user!.token!
    const result = await h.call('POST', paths.graphql, {
      body: { query: 'query user($id: String) { user(id: $id) { id email } }', variables: {} },
      token,
    })
    expect(result.body.data.user).toMatchObject({ email: 'judy@example.com', token })
    const anonymous = await h.call('POST', paths.graphql, { body: { query: 'query user { user { id } }' } })
    expect(anonymous.body.errors[0].message.code).toBe(AuthingCode.UNAUTHENTICATED)
  })

  it('refuses unknown operations, missing variables and malformed requests with 400', async () => {
    const h = createHarness()
    const unknown = await h.call('POST', paths.graphql, { body: { query: 'mutation deleteUser($id: String!) { deleteUser(id: $id) }' } })
    expect(unknown.body).toMatchObject({ data: null, errors: [{ message: { code: 400 } }] })
    const noInput = await h.call('POST', paths.graphql, { body: { query: 'mutation loginByEmail { loginByEmail { id } }' } })
    expect(noInput.body.errors[0].message).toMatchObject({ code: 400, message: 'Missing variable: input' })
    const noQuery = await h.call('POST', paths.graphql, { body: { variables: {} } })
    expect(noQuery.body.errors[0].message.code).toBe(400)
    const badJson = await h.call('POST', paths.graphql, { rawBody: '{', headers: { 'content-type': 'application/json' } })
    expect(badJson.status).toBe(200)
    expect(badJson.body.errors[0].message.code).toBe(400)
  })
})
