import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MfaClient } from '@mfa-kit/hooks'
import { createKit, expectAccessibleAndCspSafe, failOnConsole, PASSWORD, totpCode } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { loadMfaLocale } from '../i18n/provider'
import { MfaSettings } from './mfa-settings'

failOnConsole()

const HOUR = 60 * 60_000
let kit: Kit
beforeAll(() => {
  kit = createKit({ factors: ['OTP'] })
})

const announcer = () => document.querySelector('[data-part="announcer"]')!
const list = () => screen.getByRole('list', { name: 'Your methods' })
/** The names of the listed factors. */
const listed = () => [...document.querySelectorAll('[data-part="factor-name"]')].map((node) => node.textContent)

/** An account with an authenticator app, signed in with it just now. */
async function signedIn(): Promise<{ client: MfaClient; secret: string }> {
  const session = await kit.signInWithTotp()
  await session.client.mfa.verifyTotpMfa({ mfaToken: session.mfaToken, totp: totpCode(session.secret, kit.clock.now()) })
  return session
}

describe('MfaSettings', () => {
  it('lists the bound factors and replaces the recovery code, which must be saved', async () => {
    const user = userEvent.setup()
    const { client } = await signedIn()
    kit.render(client, <MfaSettings />)
    expect(screen.getByRole('heading', { name: 'Two-step verification' })).toBeInTheDocument()
    await waitFor(() => expect(listed()).toEqual(['Authenticator app']))
    expect(within(list()).getByRole('button', { name: 'Remove Authenticator app' })).toBeInTheDocument()
    expect(screen.getByRole('group', { name: 'Add a method' })).toHaveTextContent('Add a phone number')
    expect(screen.queryByRole('button', { name: 'Set up an authenticator app' })).not.toBeInTheDocument()
    await expectAccessibleAndCspSafe()

    await user.click(screen.getByRole('button', { name: 'Get a new recovery code' }))
    const heading = await screen.findByRole('heading', { name: 'Save your new recovery code' })
    await waitFor(() => expect(heading).toHaveFocus())
    const code = document.querySelector('[data-part="recovery-code-value"]')!.textContent!
    expect(code).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){5}$/)
    expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('checkbox', { name: 'I have saved my recovery code' }))
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    await waitFor(() => expect(announcer()).toHaveTextContent('New recovery code saved.'))
    expect(screen.getByRole('heading', { name: 'Two-step verification' })).toHaveFocus()
    expect(document.body.innerHTML).not.toContain(code)
  })

  it('adds a phone, then removes it behind a confirmation, confirming it is the user in place once the sign-in is old', async () => {
    const user = userEvent.setup()
    const { client, secret } = await signedIn()
    kit.render(client, <MfaSettings />)
    await user.click(await screen.findByRole('button', { name: 'Add a phone number' }))
    await user.type(screen.getByRole('textbox', { name: 'Phone number' }), '13912345678')
    await user.click(screen.getByRole('button', { name: 'Send code' }))
    await screen.findByRole('heading', { name: 'Enter the code we texted you' })
    await user.click(screen.getByRole('textbox', { name: 'Verification code' }))
    await user.keyboard(await kit.lastCode('13912345678'))
    await waitFor(() => expect(listed()).toContain('Text message (+86 139****5678)'))
    expect(screen.getByRole('heading', { name: 'Two-step verification' })).toHaveFocus()

    // An hour later: removing asks first, then for a fresh proof, then removes.
    await act(async () => kit.clock.advance(HOUR))
    await user.click(within(list()).getByRole('button', { name: 'Remove Text message (+86 139****5678)' }))
    const question = screen.getByText('Remove Text message (+86 139****5678)?')
    await waitFor(() => expect(question).toHaveFocus())
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('button', { name: 'Keep it' }))
    expect(screen.queryByText('Remove Text message (+86 139****5678)?')).not.toBeInTheDocument()
    await user.click(within(list()).getByRole('button', { name: 'Remove Text message (+86 139****5678)' }))
    await user.click(screen.getByRole('button', { name: 'Remove' }))
    const confirm = await screen.findByRole('heading', { name: 'Confirm it is you' })
    await waitFor(() => expect(confirm).toHaveFocus())
    await expectAccessibleAndCspSafe()
    await user.click(screen.getByRole('textbox', { name: 'Verification code' }))
    await user.keyboard(totpCode(secret, kit.clock.now()))
    await waitFor(() => expect(announcer()).toHaveTextContent('Text message (+86 139****5678) removed.'))
    await waitFor(() => expect(listed()).toEqual(['Authenticator app']))
    expect(screen.getByRole('heading', { name: 'Two-step verification' })).toHaveFocus()
  })

  it('sets up an authenticator app for an account without one, with its password as the fresh proof', async () => {
    const user = userEvent.setup()
    const plain = createKit({ factors: [] })
    const client = plain.newClient()
    const email = `plain.${Date.now()}@example.com`
    await client.auth.registerByEmail(email, PASSWORD)
    await client.auth.loginByEmail(email, PASSWORD)
    plain.clock.advance(HOUR)
    plain.render(client, <MfaSettings />)
    expect(await screen.findByText('No method is set up yet.')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Set up an authenticator app' }))
    const confirm = await screen.findByRole('heading', { name: 'Confirm it is you' })
    await waitFor(() => expect(confirm).toHaveFocus())
    await user.type(screen.getByLabelText('Your password'), `${PASSWORD}{Enter}`)
    await screen.findByRole('heading', { name: 'Set up your authenticator app' })
    const secret = (await screen.findByText((_, node) => node?.getAttribute('data-part') === 'totp-secret-value')).textContent!
    await user.click(screen.getByRole('textbox', { name: 'Code from the app' }))
    await user.keyboard(totpCode(secret, plain.clock.now()))
    await user.click(await screen.findByRole('checkbox', { name: 'I have saved my recovery code' }))
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    await waitFor(() => expect(listed()).toEqual(['Authenticator app']))
    expect(screen.getByRole('button', { name: 'Get a new recovery code' })).toBeInTheDocument()
  })

  it('asks to sign in when nobody is, and speaks the chosen language', async () => {
    await loadMfaLocale('zh-TW')
    kit.render(kit.newClient(), <MfaSettings locale="zh-TW" />)
    expect(screen.getByRole('heading', { name: '兩步驟驗證' })).toBeInTheDocument()
    expect(screen.getByText('登入後即可管理帳號安全設定。')).toBeInTheDocument()
    await expectAccessibleAndCspSafe()
  })
})
