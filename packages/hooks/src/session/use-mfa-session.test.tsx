import { act, renderHook } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MfaClient } from '@mfa-kit/client'
import { useLogin } from '../login/use-login'
import { useRecoveryCodeVerify } from '../recovery/use-recovery-code-verify'
import { createKit, failOnConsole, PASSWORD, settle } from '../harness.testing'
import type { Kit } from '../harness.testing'
import type { TokenStore } from './session-store'
import { useMfaSession } from './use-mfa-session'

failOnConsole()

let kit: Kit
let plain: Kit
let n = 0
beforeAll(() => {
  kit = createKit()
  plain = createKit({ factors: [] })
})

/** A store the way an app would write one, recording what it was given. */
function recordingStore(initial: string | null = null) {
  let token = initial
  const written: (string | null)[] = []
  const store: TokenStore = {
    get: () => token,
    set: (next) => {
      written.push(next)
      token = next
    },
  }
  return { store, written, current: () => token }
}

/** A registered account of the app without factors, signed in: its client holds the token. */
async function signedIn(): Promise<{ client: MfaClient; email: string }> {
  const email = `session${++n}.${Date.now()}@example.com`
  const client = plain.newClient()
  await client.auth.registerByEmail(email, PASSWORD)
  await client.auth.loginByEmail(email, PASSWORD)
  return { client, email }
}

describe('useMfaSession', () => {
  it('is signed out without a token, and signed in once useLogin authenticates', async () => {
    const email = `session${++n}.${Date.now()}@example.com`
    await plain.newClient().auth.registerByEmail(email, PASSWORD)
    const { result } = renderHook(() => ({ session: useMfaSession(), login: useLogin() }), { wrapper: plain.wrapper(plain.newClient()) })
    expect(result.current.session).toMatchObject({ status: 'signed_out', error: null, data: { user: null } })
    await act(() => result.current.login.loginByEmail(email, PASSWORD))
    expect(result.current.session).toMatchObject({ status: 'signed_in', data: { user: { email } } })
  })

  it('restores the user of a stored token through the current-user query after a reload', async () => {
    const { client, email } = await signedIn()
    const { store } = recordingStore(client.getToken())
    // A reload: a new client without a token, and the app's store.
    const reloaded = plain.newClient()
    const { result } = renderHook(() => useMfaSession(), { wrapper: plain.wrapper(reloaded, { tokenStore: store }) })
    expect(result.current.status).toBe('restoring')
    await settle(() => expect(result.current.status).toBe('signed_in'))
    expect(result.current.data.user).toMatchObject({ email })
    expect(reloaded.getToken()).toBe(client.getToken())
  })

  it('checks a stored token once, under StrictMode too', async () => {
    const { client } = await signedIn()
    const { store } = recordingStore(client.getToken())
    const reloaded = plain.newClient()
    let reads = 0
    const read = reloaded.auth.getCurrentUser
    reloaded.auth.getCurrentUser = (call) => {
      reads++
      return read(call)
    }
    const { result } = renderHook(() => useMfaSession(), { wrapper: plain.wrapper(reloaded, { tokenStore: store, strict: true }) })
    await settle(() => expect(result.current.status).toBe('signed_in'))
    expect(reads).toBe(1)
  })

  it('forgets a stored token the server no longer accepts', async () => {
    const { store, current } = recordingStore('a-token-the-server-never-issued')
    const { result } = renderHook(() => useMfaSession(), { wrapper: plain.wrapper(plain.newClient(), { tokenStore: store }) })
    await settle(() => expect(result.current.status).toBe('signed_out'))
    expect(current()).toBeNull()
  })

  it('is signed out at once with an empty store', async () => {
    const { store } = recordingStore()
    const before = plain.requests()
    const { result } = renderHook(() => useMfaSession(), { wrapper: plain.wrapper(plain.newClient(), { tokenStore: store }) })
    await settle(() => expect(result.current.status).toBe('signed_out'))
    expect(plain.requests()).toBe(before)
  })

  it('signs out: revokes the token on the server, forgets it here and in the store', async () => {
    const { client } = await signedIn()
    const token = client.getToken()
    const { store, current } = recordingStore(token)
    const { result } = renderHook(() => useMfaSession(), { wrapper: plain.wrapper(client, { tokenStore: store }) })
    await settle(() => expect(result.current.status).toBe('signed_in'))
    expect(await act(() => result.current.signOut())).toMatchObject({ status: 'signed_out', error: null })
    expect(client.getToken()).toBeNull()
    expect(current()).toBeNull()
    expect(await plain.newClient().auth.getCurrentUser()).toBeNull()
    const again = plain.newClient()
    again.setToken(token)
    expect(await again.auth.getCurrentUser()).toBeNull()
  })

  it('stores the access token, and never the mfaToken of a login in progress', async () => {
    const { email } = await kit.signIn()
    const { store, written } = recordingStore()
    const client = kit.newClient()
    const { result } = renderHook(() => useLogin(), { wrapper: kit.wrapper(client, { tokenStore: store }) })
    const answer = await act(() => result.current.loginByEmail(email, PASSWORD))
    if (answer.status !== 'mfa_required') throw new Error('expected MFA')
    expect(written).toEqual([])
    await client.auth.sendEmailCode(email)
    await client.mfa.verifyAppEmailMfa({ email, code: await kit.lastCode(email), mfaToken: answer.data.trigger.mfaToken })
    expect(written).toEqual([client.getToken()])
    expect(written).not.toContain(answer.data.trigger.mfaToken)
  })

  it('reports a user signed in only once the flow is finished: after the new recovery code is acknowledged', async () => {
    const { client, mfaToken, recoveryCode } = await kit.signInWithTotp()
    const { result } = renderHook(() => ({ session: useMfaSession(), recovery: useRecoveryCodeVerify({ mfaToken }) }), {
      wrapper: kit.wrapper(client),
    })
    await act(() => result.current.recovery.verify(recoveryCode))
    // The client already holds the token, but the page must not move on before the code is saved.
    expect(client.getToken()).toBeTruthy()
    expect(result.current.recovery.status).toBe('showing_recovery_code')
    expect(result.current.session.status).toBe('signed_out')
    act(() => result.current.recovery.acknowledge(true))
    act(() => result.current.recovery.finish())
    expect(result.current.session).toMatchObject({ status: 'signed_in', data: { user: { token: client.getToken() } } })
  })
})
