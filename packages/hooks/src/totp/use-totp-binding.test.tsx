import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { QueryClient } from '@tanstack/react-query'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { useMfaAuthenticators } from '../authenticators/use-mfa-authenticators'
import { createKit, failOnConsole, PASSWORD, renderWithStatuses, totpCode, wrongTotpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { useTotpBinding } from './use-totp-binding'
import type { UseTotpBindingOptions, UseTotpBindingResult } from './use-totp-binding'

const consoleOutput = failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit({ limits: { failureThreshold: 2, mfaTokenMaxAttempts: 10 } })
})
afterEach(() => {
  vi.useRealTimers()
})

const renderBinding = (options: UseTotpBindingOptions, wrapper: ReturnType<Kit['wrapper']>) =>
  renderWithStatuses<UseTotpBindingOptions, UseTotpBindingResult>(useTotpBinding, options, wrapper)

const secretOf = (r: UseTotpBindingResult) => {
  const { secret } = r.data
  if (!secret) throw new Error('no secret yet')
  return secret
}

describe('useTotpBinding', () => {
  it('walks idle → loading_secret → awaiting_code → confirming → showing_recovery_code → done during a login', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const onDone = vi.fn()
    const { result, statuses } = renderBinding({ mfaToken, onDone }, kit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    const { data } = result.current
    let pending!: Promise<unknown>
    expect(data.secret).toMatch(/^[A-Z2-7]{16,}$/)
    expect(data.secretGroups.join('')).toBe(data.secret)
    expect(data.secretGroups.every((g) => g.length <= 4)).toBe(true)
    expect(data.otpauthUri).toContain(`secret=${data.secret}`)
    expect(data.qrcodeDataUrl).toMatch(/^data:image\/png;base64,/)
    expect(data.recoveryCode).toBeNull()

    act(() => {
      pending = result.current.confirm(totpCode(secretOf(result.current), kit.clock.now()))
    })
    expect(result.current.status).toBe('confirming')
    expect(await act(() => pending)).toMatchObject({ status: 'showing_recovery_code', data: { recoveryCode: expect.any(String) } })
    expect(result.current.status).toBe('showing_recovery_code')
    expect(result.current.data.recoveryCode).toBeTruthy()
    expect(result.current.data.user?.token).toBeTruthy()
    expect(client.getToken()).toBe(result.current.data.user?.token)

    // The acknowledgement is required.
    expect(result.current.getFinishProps().disabled).toBe(true)
    act(() => result.current.finish())
    expect(result.current.status).toBe('showing_recovery_code')
    expect(result.current.getAcknowledgeProps()).toMatchObject({ type: 'checkbox', checked: false, required: true })
    act(() => result.current.getAcknowledgeProps().onChange({ currentTarget: { checked: true } } as never))
    expect(result.current.data.acknowledged).toBe(true)
    expect(result.current.getFinishProps().disabled).toBe(false)
    act(() => result.current.getFinishProps().onClick())

    expect(result.current.status).toBe('done')
    expect(result.current.data).toMatchObject({ secret: null, secretGroups: [], otpauthUri: null, qrcodeDataUrl: null, recoveryCode: null })
    expect(onDone).toHaveBeenCalledExactlyOnceWith(result.current.data.user)
    expect(statuses).toEqual(['idle', 'loading_secret', 'awaiting_code', 'confirming', 'showing_recovery_code', 'done'])
  })

  it('confirms by itself once six digits are typed', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderBinding({ mfaToken }, kit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    act(() => result.current.code.setValue(totpCode(secretOf(result.current), kit.clock.now())))
    await waitFor(() => expect(result.current.status).toBe('showing_recovery_code'))
  })

  it('waits in idle with autoStart off until start()', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const before = kit.requests()
    const { result } = renderBinding({ mfaToken, autoStart: false }, kit.wrapper(client))
    expect(result.current.status).toBe('idle')
    expect(kit.requests()).toBe(before)
    await act(() => result.current.start())
    expect(result.current.status).toBe('awaiting_code')
  })

  it('asks again after a wrong code, keeping the secret and clearing the input', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderBinding({ mfaToken }, kit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    const secret = secretOf(result.current)
    act(() => result.current.code.setValue(wrongTotpCode(secret, kit.clock.now())))
    await waitFor(() => expect(result.current.error?.code).toBe('invalid_code'))
    expect(result.current.status).toBe('awaiting_code')
    expect(result.current.data.secret).toBe(secret)
    expect(result.current.code.value).toBe('')
  })

  it('waits out rate_limited with a countdown, then goes back to awaiting_code', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderBinding({ mfaToken, autoStart: false }, kit.wrapper(client))
    await act(() => result.current.start())
    const secret = secretOf(result.current)
    for (let i = 0; i < 5 && result.current.status !== 'rate_limited'; i++) {
      await act(() => result.current.confirm(wrongTotpCode(secret, kit.clock.now())))
    }
    expect(result.current.status).toBe('rate_limited')
    const wait = result.current.error!.retryAfterMs!
    expect(result.current.secondsLeft).toBe(Math.ceil(wait / 1000))
    kit.clock.advance(wait)
    act(() => vi.advanceTimersByTime(1_000))
    expect(result.current.status).toBe('awaiting_code')
    expect(result.current.data.secret).toBe(secret)
    await act(() => result.current.confirm(totpCode(secret, kit.clock.now())))
    expect(result.current.status).toBe('showing_recovery_code')
  })

  it('ends expired and drops the secret when the mfaToken is older than 10 minutes', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const onExpired = vi.fn()
    const { result } = renderBinding({ mfaToken, onExpired }, kit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    const secret = secretOf(result.current)
    kit.clock.advance(10 * 60_000 + 1)
    await act(() => result.current.confirm(totpCode(secret, kit.clock.now())))
    expect(result.current.status).toBe('expired')
    expect(result.current.error?.code).toBe('unauthenticated')
    expect(result.current.data.secret).toBeNull()
    expect(onExpired).toHaveBeenCalledOnce()
  })

  it('ends expired at once for an mfaToken that is already dead', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    kit.clock.advance(10 * 60_000 + 1)
    const { result, statuses } = renderBinding({ mfaToken }, kit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('expired'))
    expect(statuses).toEqual(['idle', 'loading_secret', 'expired'])
  })

  it('goes back to idle with the error when the server refuses a binding', async () => {
    const { client, mfaToken } = await kit.signInWithTotp()
    const { result, statuses } = renderBinding({ mfaToken }, kit.wrapper(client))
    await waitFor(() => expect(result.current.error).not.toBeNull())
    expect(result.current.status).toBe('idle')
    expect(result.current.data.secret).toBeNull()
    expect(statuses).toEqual(['idle', 'loading_secret', 'idle'])
  })

  it('binds for a signed-in user with the SELF source', async () => {
    const selfKit = createKit({ factors: [] })
    const client = selfKit.newClient()
    await client.auth.registerByEmail('self@example.com', 'correct horse battery staple')
    const login = await client.auth.loginByEmail('self@example.com', 'correct horse battery staple')
    expect(login.status).toBe('authenticated')
    const { result } = renderBinding({}, selfKit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    await act(() => result.current.confirm(totpCode(secretOf(result.current), selfKit.clock.now())))
    expect(result.current.status).toBe('showing_recovery_code')
    expect(result.current.data.user).toBeNull()
    const list = await client.mfa.getMfaAuthenticators({ type: 'totp', source: 'SELF' })
    expect(list).toHaveLength(1)
  })

  it('asks for one secret only under StrictMode, and that secret confirms', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    let associations = 0
    const associate = client.mfa.associateMfaAuthenticator
    client.mfa.associateMfaAuthenticator = (o) => {
      associations++
      return associate(o)
    }
    const { result } = renderBinding({ mfaToken }, kit.wrapper(client, { strict: true }))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    expect(associations).toBe(1)
    await act(() => result.current.confirm(totpCode(secretOf(result.current), kit.clock.now())))
    expect(result.current.status).toBe('showing_recovery_code')
  })

  it('aborts the secret request on unmount', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const signals: (AbortSignal | undefined)[] = []
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const associate = client.mfa.associateMfaAuthenticator
    client.mfa.associateMfaAuthenticator = async (o) => {
      signals.push(o?.signal)
      await gate
      return associate(o)
    }
    const { result, unmount } = renderBinding({ mfaToken }, kit.wrapper(client))
    await vi.waitFor(() => expect(signals).toHaveLength(1))
    expect(result.current.status).toBe('loading_secret')
    unmount()
    await Promise.resolve()
    expect(signals[0]?.aborted).toBe(true)
    release()
    await expect(associate({ source: 'APPLICATION', mfaToken, signal: signals[0] })).rejects.toMatchObject({ code: 'aborted' })
  })

  it('keeps neither the secret nor the recovery code in the QueryClient', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const queryClient = new QueryClient()
    const { result, unmount } = renderBinding({ mfaToken }, kit.wrapper(client, { queryClient }))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    const secret = secretOf(result.current)
    await act(() => result.current.confirm(totpCode(secret, kit.clock.now())))
    const recoveryCode = result.current.data.recoveryCode!
    unmount()
    await waitFor(() => expect(queryClient.getMutationCache().getAll()).toHaveLength(0))
    const cached = JSON.stringify(
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state.data),
    )
    expect(cached).not.toContain(secret)
    expect(cached).not.toContain(recoveryCode)
  })

  it('resets to idle and forgets everything', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderBinding({ mfaToken }, kit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'idle', error: null })
    expect(result.current.data.secret).toBeNull()
  })

  it('keeps the recovery code on a page that hides the form once a factor is listed, and refreshes the list on done', async () => {
    const selfKit = createKit({ factors: [] })
    const client = selfKit.newClient()
    await client.auth.registerByEmail('settings@example.com', PASSWORD)
    await client.auth.loginByEmail('settings@example.com', PASSWORD)
    const queryClient = new QueryClient()
    let binding!: UseTotpBindingResult
    function Binding() {
      binding = useTotpBinding()
      return (
        <div>
          <output aria-label="Recovery code">{binding.data.recoveryCode}</output>
          <input aria-label="I have saved it" {...binding.getAcknowledgeProps()} />
          <button {...binding.getFinishProps()}>Done</button>
        </div>
      )
    }
    function SettingsPage() {
      const list = useMfaAuthenticators()
      if (list.status !== 'success') return <p>Loading</p>
      return list.data.authenticators.length > 0 ? <p>Authenticator app is on</p> : <Binding />
    }
    const Wrapper = selfKit.wrapper(client, { queryClient })
    render(
      <Wrapper>
        <SettingsPage />
      </Wrapper>,
    )
    await waitFor(() => expect(binding?.status).toBe('awaiting_code'))
    await act(() => binding.confirm(totpCode(binding.data.secret!, selfKit.clock.now())))
    const recoveryCode = binding.data.recoveryCode!
    expect(recoveryCode).toBeTruthy()
    await waitFor(() => expect(queryClient.isFetching()).toBe(0))
    expect(screen.getByLabelText('Recovery code').textContent).toBe(recoveryCode)

    fireEvent.click(screen.getByLabelText('I have saved it'))
    fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(await screen.findByText('Authenticator app is on')).toBeTruthy()
  })

  it('fails with reauthentication_required for a signed-in user whose sign-in is too old, pointing to useSelfTotpBinding', async () => {
    const selfKit = createKit({ factors: [] })
    const client = selfKit.newClient()
    await client.auth.registerByEmail('stale@example.com', PASSWORD)
    await client.auth.loginByEmail('stale@example.com', PASSWORD)
    selfKit.clock.advance(60 * 60_000)
    const { result } = renderBinding({}, selfKit.wrapper(client))
    await waitFor(() => expect(result.current.error?.code).toBe('reauthentication_required'))
    expect(result.current.status).toBe('idle')
    expect('reverification' in result.current).toBe(false)
    expect(consoleOutput.take()).toEqual([['warn', expect.stringContaining('useSelfTotpBinding')]])
  })

  it('labels and describes its code input', async () => {
    const { client, mfaToken } = await kit.signInToBind()
    const { result } = renderBinding({ mfaToken }, kit.wrapper(client))
    await waitFor(() => expect(result.current.status).toBe('awaiting_code'))
    const label = result.current.getLabelProps()
    expect(result.current.getCodeInputProps({ 'aria-describedby': 'hint' })).toMatchObject({
      id: label.htmlFor,
      'aria-invalid': false,
      'aria-describedby': 'hint',
    })
    await act(() => result.current.confirm(wrongTotpCode(secretOf(result.current), kit.clock.now())))
    const error = result.current.getErrorProps()
    expect(error).toMatchObject({ id: expect.any(String), 'aria-live': 'polite' })
    // A UI that announces errors through a live region of its own leaves this one out.
    expect(result.current.getErrorProps({ live: false, className: 'error' })).toEqual({ id: error.id, className: 'error' })
    expect(result.current.getCodeInputProps({ 'aria-describedby': 'hint' })).toMatchObject({
      'aria-invalid': true,
      'aria-describedby': `hint ${error.id}`,
    })
  })
})
