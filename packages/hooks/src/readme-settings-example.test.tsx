import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import readme from '../README.md?raw'
import self from './readme-settings-example.test.tsx?raw'
import { createKit, failOnConsole, PASSWORD, totpCode } from './harness.testing'
import type { Kit } from './harness.testing'

// README example: start
import { useMfaSession } from './index'
import type { AcknowledgeParts } from './index'
import { useMfaAuthenticators, useMfaUnbind, useRecoveryCodeRegenerate, useSelfTotpBinding } from './account'
import type { EmbeddedReverification, MfaAuthenticator } from './account'

export function SecuritySettings() {
  const session = useMfaSession()
  const list = useMfaAuthenticators({ type: 'all', enabled: session.status === 'signed_in' })
  if (session.status !== 'signed_in') return <p>{session.status === 'restoring' ? 'Loading…' : 'Sign in to manage your security.'}</p>
  if (list.status !== 'success') return <p>Loading…</p>
  const totp = list.data.authenticators.find((a) => a.authenticatorType === 'totp')
  return (
    <section aria-label="Two-step verification">
      <ul>
        {list.data.authenticators.map((a) => (
          <Factor key={a.id} authenticator={a} />
        ))}
      </ul>
      {totp ? <NewRecoveryCode /> : <AddAuthenticatorApp />}
    </section>
  )
}

function Factor({ authenticator }: { authenticator: MfaAuthenticator }) {
  const name = authenticator.destination ?? 'Authenticator app'
  const unbind = useMfaUnbind({ authenticatorId: authenticator.id })
  if (unbind.status === 'reverifying') return <Reverify reverification={unbind.reverification} />
  return (
    <li data-state={unbind.status}>
      {name}{' '}
      {unbind.status === 'confirming' ? (
        <>
          <button {...unbind.getConfirmProps()}>Remove {name}</button> <button onClick={unbind.cancel}>Keep it</button>
        </>
      ) : (
        <button onClick={unbind.request}>Remove…</button>
      )}
      {unbind.error && <span role="alert"> Could not remove it ({unbind.error.code}).</span>}
    </li>
  )
}

function AddAuthenticatorApp() {
  const binding = useSelfTotpBinding({ autoStart: false })
  if (binding.status === 'reverifying') return <Reverify reverification={binding.reverification} />
  if (binding.status === 'showing_recovery_code') return <RecoveryCode code={binding.data.recoveryCode} step={binding} />
  if (binding.status !== 'awaiting_code' && binding.status !== 'confirming') {
    return <button onClick={() => void binding.start()}>Add an authenticator app</button>
  }
  return (
    <div>
      {binding.data.qrcodeDataUrl && <img src={binding.data.qrcodeDataUrl} alt="QR code for your authenticator app" />}
      <p>Or type this key: {binding.data.secretGroups.join(' ')}</p>
      <label {...binding.getLabelProps()}>Code from the app</label>
      <input {...binding.getCodeInputProps()} />
      <p {...binding.getErrorProps()}>{binding.error?.code === 'invalid_code' ? 'That code is not right.' : null}</p>
    </div>
  )
}

function NewRecoveryCode() {
  const regenerate = useRecoveryCodeRegenerate()
  if (regenerate.status === 'reverifying') return <Reverify reverification={regenerate.reverification} />
  if (regenerate.status === 'showing_recovery_code') return <RecoveryCode code={regenerate.data.recoveryCode} step={regenerate} />
  return <button {...regenerate.getRegenerateProps()}>Get a new recovery code</button>
}

function RecoveryCode({ code, step }: { code: string; step: AcknowledgeParts }) {
  return (
    <div>
      <p>Your recovery code, shown once: <output>{code}</output></p>
      <label>
        <input {...step.getAcknowledgeProps()} /> I have saved it
      </label>
      <button {...step.getFinishProps()}>Done</button>
    </div>
  )
}

function Reverify({ reverification: r }: { reverification: EmbeddedReverification }) {
  if (r.status === 'loading_factors') return <p>Checking how you can confirm it is you…</p>
  const isPassword = r.data.factor?.type === 'password'
  return (
    <form aria-label="Confirm it is you" onSubmit={(e) => (e.preventDefault(), void r.verify())}>
      {r.data.factors.length > 1 &&
        r.data.factors.map((f) => (
          <button key={f.type} {...r.getFactorButtonProps(f.type)}>
            {f.type}
          </button>
        ))}
      <label {...r.getLabelProps()}>{isPassword ? 'Your password' : 'Your code'}</label>
      <input {...(isPassword ? r.getPasswordInputProps() : r.getCodeInputProps())} />
      {r.canSend && <button {...r.getSendButtonProps()}>Send a code</button>}
      <p {...r.getErrorProps()}>{r.error && `That did not work (${r.error.code}).`}</p>
      <button type="submit">Confirm</button> <button type="button" onClick={r.cancel}>Cancel</button>
    </form>
  )
}
// README example: end

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit({ factors: [] })
})

async function setup() {
  const client = kit.newClient()
  await client.auth.registerByEmail('settings.page@example.com', PASSWORD)
  await client.auth.loginByEmail('settings.page@example.com', PASSWORD)
  const Wrapper = kit.wrapper(client)
  render(
    <Wrapper>
      <SecuritySettings />
    </Wrapper>,
  )
  return client
}

const typeCode = (label: string, code: string) => fireEvent.change(screen.getByLabelText(label), { target: { value: code } })
const acknowledge = () => {
  fireEvent.click(screen.getByLabelText('I have saved it'))
  fireEvent.click(screen.getByRole('button', { name: 'Done' }))
}

describe('the README settings page', () => {
  it('is the README code, word for word', () => {
    const example = self.split('// README example: start\n')[1]!.split('// README example: end')[0]!
    expect(readme).toContain(example.replaceAll("from './index'", "from '@mfa-kit/hooks'").replaceAll("from './account'", "from '@mfa-kit/hooks/account'"))
  })

  it('binds an authenticator app, regenerates the recovery code, and unbinds after a fresh proof', async () => {
    const client = await setup()
    fireEvent.click(await screen.findByRole('button', { name: 'Add an authenticator app' }))
    const qr = await screen.findByRole('img', { name: 'QR code for your authenticator app' })
    expect(qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    const key = screen.getByText(/^Or type this key:/).textContent!.replace('Or type this key: ', '').replace(/ /g, '')

    // The list does not change under the recovery code: it is refreshed once the code is saved.
    typeCode('Code from the app', totpCode(key, kit.clock.now()))
    const first = (await screen.findByRole('status')).textContent
    expect(first).toBeTruthy()
    acknowledge()
    const settings = await screen.findByRole('region', { name: 'Two-step verification' })
    await waitFor(() => expect(within(settings).getByText(/Authenticator app/)).toBeTruthy())

    fireEvent.click(screen.getByRole('button', { name: 'Get a new recovery code' }))
    const second = (await screen.findByRole('status')).textContent
    expect(second).not.toBe(first)
    acknowledge()

    // An hour later the session is too old to remove a factor: the page asks for a code first.
    await act(async () => kit.clock.advance(60 * 60_000))
    fireEvent.click(screen.getByRole('button', { name: 'Remove…' }))
    fireEvent.click(screen.getByRole('button', { name: 'Remove Authenticator app' }))
    await screen.findByRole('form', { name: 'Confirm it is you' })
    typeCode('Your code', totpCode(key, kit.clock.now() + 30_000))
    await screen.findByRole('button', { name: 'Add an authenticator app' })
    expect(await client.mfa.getMfaAuthenticators({ type: 'all', source: 'SELF' })).toEqual([])
  })

  it('asks to sign in when nobody is', async () => {
    const Wrapper = kit.wrapper(kit.newClient())
    render(
      <Wrapper>
        <SecuritySettings />
      </Wrapper>,
    )
    expect(screen.getByText('Sign in to manage your security.')).toBeTruthy()
  })
})
