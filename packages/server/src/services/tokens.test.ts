/** mfaToken and session rules (SECURITY.md rows TOK-01..10). */

import { AuthingCode, paths } from '@mfa-kit/protocol'
import { describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../harness.testing'

async function totpUser(h: Harness, email = 'alice@example.com') {
  await h.register(email)
  const token = (await h.login(email)).user!.token!
  return { token, ...(await h.bindTotp(token)) }
}

const verify = async (h: Harness, mfaToken: string, totp: string, extra: Record<string, unknown> = {}) =>
  (await h.call('POST', paths.totpVerify, { body: { totp, ...extra }, token: mfaToken })).body

describe('mfaToken', () => {
  it('TOK-01: an mfaToken opens no other route, and MFA verification accepts nothing in its place', async () => {
    const h = createHarness()
    const { token: access, totp } = await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    expect((await h.call('DELETE', paths.totpAssociate, { token: mfaToken })).body.code).toBe(AuthingCode.UNAUTHENTICATED)
    const user = await h.call('POST', paths.graphql, { body: { query: 'query user { user { id } }' }, token: mfaToken })
    expect(user.body.errors[0].message.code).toBe(AuthingCode.UNAUTHENTICATED)
    for (const path of [
      paths.totpVerify,
      paths.applicationTotpVerify,
      paths.totpRecovery,
      paths.applicationSmsVerify,
      paths.applicationEmailVerify,
      paths.applicationCheck,
    ]) {
      const result = await h.call('POST', path, {
        body: { totp: h.code(totp), recoveryCode: 'x', phone: '13800000000', email: 'a@b.co', code: '123456' },
        token: access,
      })
      expect(result.body.code).toBe(AuthingCode.MFA_TOKEN_INVALID)
    }
  })

  it('TOK-02: sign-in with MFA due returns only an mfaToken, which is no session', async () => {
    const h = createHarness({ factors: ['OTP'] })
    await h.register('a@example.com')
    const result = await h.gql('loginByEmail', { input: { email: 'a@example.com', password: 'correct horse battery' } })
    expect(result.data).toEqual({ loginByEmail: null })
    const data = result.errors![0]!.message.data
    expect(data.token).toBeUndefined()
    const user = await h.call('POST', paths.graphql, { body: { query: 'query user { user { id } }' }, token: data.mfaToken })
    expect(user.body.errors[0].message.code).toBe(AuthingCode.UNAUTHENTICATED)
  })

  it('TOK-03: the user comes from the mfaToken, never from request fields', async () => {
    const h = createHarness()
    const victim = await totpUser(h, 'victim@example.com')
    h.clock.advance(30_000)
    const attacker = await totpUser(h, 'attacker@example.com')
    const victimId = (await h.server.store.findUserBy('email', 'victim@example.com'))!.id
    const { mfaToken } = await h.loginForMfa('attacker@example.com')
    const result = await verify(h, mfaToken, h.code(attacker.totp), {
      userId: victimId,
      id: victimId,
      email: 'victim@example.com',
      username: 'victim',
    })
    expect(result.code).toBe(200)
    expect(result.data.email).toBe('attacker@example.com')
    const withVictimCode = await h.loginForMfa('attacker@example.com')
    expect((await verify(h, withVictimCode.mfaToken, h.code(victim.totp), { userId: victimId })).code).toBe(AuthingCode.INVALID_TOTP)
  })

  it('TOK-04: an mfaToken dies after 10 minutes', async () => {
    const h = createHarness()
    const { totp } = await totpUser(h)
    const early = await h.loginForMfa('alice@example.com')
    const late = await h.loginForMfa('alice@example.com')
    h.clock.advance(10 * 60_000 - 1)
    expect((await verify(h, early.mfaToken, h.code(totp))).code).toBe(200)
    h.clock.advance(2)
    expect((await verify(h, late.mfaToken, h.code(totp, 1))).code).toBe(AuthingCode.MFA_TOKEN_INVALID)
  })

  it('TOK-05: an mfaToken is consumed on success, and parallel successes issue one session', async () => {
    const h = createHarness({ limits: { failureThreshold: 100, mfaTokenMaxAttempts: 20 } })
    const { totp } = await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const results = await Promise.all([-1, 0, 1, -1, 0, 1].map((offset) => verify(h, mfaToken, h.code(totp, offset))))
    expect(results.filter((r) => r.code === 200)).toHaveLength(1)
    h.clock.advance(90_000)
    expect((await verify(h, mfaToken, h.code(totp))).code).toBe(AuthingCode.MFA_TOKEN_INVALID)
  })

  it('TOK-06: tokens carry 256 CSPRNG bits and never repeat', async () => {
    const h = createHarness({ factors: ['OTP'] })
    await h.register('a@example.com')
    const seen = new Set<string>()
    for (let i = 0; i < 100; i++) {
      const { mfaToken } = await h.loginForMfa('a@example.com')
      expect(mfaToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
      seen.add(mfaToken)
    }
    expect(seen.size).toBe(100)
  })

  it('TOK-07: one mfaToken gets 5 attempts, then it is dead even for the right code, and says its attempts are used up', async () => {
    const h = createHarness({ limits: { failureThreshold: 20 } })
    const { totp } = await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    for (let i = 0; i < 5; i++) expect((await verify(h, mfaToken, '000000')).code).toBe(AuthingCode.INVALID_TOTP)
    expect((await verify(h, mfaToken, h.code(totp))).code).toBe(AuthingCode.MFA_TOKEN_EXHAUSTED)
    expect((await verify(h, mfaToken, h.code(totp))).code).toBe(AuthingCode.MFA_TOKEN_EXHAUSTED)
    h.clock.advance(10 * 60_000)
    expect((await verify(h, mfaToken, h.code(totp))).code).toBe(AuthingCode.MFA_TOKEN_INVALID)
    const next = await h.loginForMfa('alice@example.com')
    expect((await verify(h, next.mfaToken, h.code(totp))).code).toBe(200)
  })

  it('TOK-08: every sign-in gets a fresh session token', async () => {
    const h = createHarness()
    const { token, totp } = await totpUser(h)
    const { mfaToken } = await h.loginForMfa('alice@example.com')
    const after = (await verify(h, mfaToken, h.code(totp))).data.token
    expect(new Set([token, mfaToken, after]).size).toBe(3)
  })

  it('TOK-09: no client-supplied flag skips MFA', async () => {
    const h = createHarness()
    await totpUser(h)
    const result = await h.gql('loginByEmail', {
      input: { email: 'alice@example.com', password: 'correct horse battery', mfaRequired: false, skipMfa: true, context: '{"mfa":false}' },
    })
    expect(result.errors?.[0]?.message.code).toBe(AuthingCode.MFA_TOTP_REQUIRED)
  })

  it('TOK-10: "Alice", "alice" and " alice " are one identity and all need MFA', async () => {
    const h = createHarness()
    await h.gql('registerByUsername', { input: { username: 'Alice', password: 'correct horse battery', forceLogin: true } })
    const token = (await h.gql('loginByUsername', { input: { username: 'alice', password: 'correct horse battery' } })).data!
      .loginByUsername.token
    await h.bindTotp(token)
    for (const username of ['Alice', 'alice', ' alice ', 'ALICE']) {
      const result = await h.gql('loginByUsername', { input: { username, password: 'correct horse battery' } })
      expect(result.errors?.[0]?.message.code).toBe(AuthingCode.MFA_TOTP_REQUIRED)
    }
    expect(
      (await h.gql('registerByUsername', { input: { username: ' ALICE ', password: 'correct horse battery' } })).errors?.[0]?.message.code,
    ).toBe(AuthingCode.USER_EXISTS)
  })
})
