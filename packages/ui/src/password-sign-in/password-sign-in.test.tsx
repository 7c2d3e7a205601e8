import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createKit, expectAccessibleAndCspSafe, failOnConsole, PASSWORD } from '../harness.testing'
import type { Kit } from '../harness.testing'
import { PasswordSignIn } from './password-sign-in'

failOnConsole()

let kit: Kit
let plain: Kit
let n = 0
const newEmail = () => `form${++n}.${Date.now()}@example.com`
beforeAll(() => {
  kit = createKit({ factors: ['OTP'] })
  plain = createKit({ factors: [] })
})

const announcer = () => document.querySelector('[data-part="announcer"]')!
const account = () => screen.getByRole('textbox', { name: 'Email, phone or username' })
const password = () => screen.getByLabelText('Password')

describe('PasswordSignIn', () => {
  it('points out empty fields before sending anything, and can be used with the keyboard alone', async () => {
    const user = userEvent.setup()
    const client = kit.newClient()
    const login = vi.spyOn(client.auth, 'loginByEmail')
    kit.render(client, <PasswordSignIn.Root />)
    expect(account()).toHaveAttribute('autocomplete', 'username')
    expect(password()).toHaveAttribute('autocomplete', 'current-password')
    await user.tab()
    expect(account()).toHaveFocus()
    await user.tab()
    await user.tab()
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveFocus()
    await user.keyboard('{Enter}')
    expect(account()).toHaveAccessibleDescription('Fill in this field.')
    expect(password()).toHaveAccessibleDescription('Fill in this field.')
    expect(account()).toHaveAttribute('aria-invalid', 'true')
    expect(account()).toHaveFocus()
    await waitFor(() => expect(announcer()).toHaveTextContent('Fill in this field.'))
    expect(login).not.toHaveBeenCalled()
    await expectAccessibleAndCspSafe()
  })

  it('says a wrong password is wrong, on the password, announced', async () => {
    const user = userEvent.setup()
    const email = newEmail()
    const client = kit.newClient()
    await client.auth.registerByEmail(email, PASSWORD)
    kit.render(client, <PasswordSignIn.Root />)
    await user.type(account(), email)
    await user.type(password(), 'wrong password here{Enter}')
    const message = 'The account or the password is not right.'
    await waitFor(() => expect(password()).toHaveAccessibleDescription(message))
    expect(password()).toHaveAttribute('aria-invalid', 'true')
    expect(password()).toHaveFocus()
    await waitFor(() => expect(announcer()).toHaveTextContent(message))
    await expectAccessibleAndCspSafe()
  })

  it('hands over the trigger when a second factor is needed, whatever the account is (email, username)', async () => {
    const user = userEvent.setup()
    const { client, username } = await kit.signInToBind()
    const onMfaRequired = vi.fn()
    kit.render(client, <PasswordSignIn.Root onMfaRequired={onMfaRequired} />)
    await user.type(account(), username)
    await user.type(password(), `${PASSWORD}{Enter}`)
    await waitFor(() =>
      expect(onMfaRequired).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ username, mfaToken: expect.any(String) })),
    )
  })

  it('creates an account and signs in where the application asks for no second factor', async () => {
    const user = userEvent.setup()
    const client = plain.newClient()
    const onSignedIn = vi.fn()
    plain.render(client, <PasswordSignIn.Root onSignedIn={onSignedIn} />)
    await user.click(screen.getByRole('button', { name: 'Create an account' }))
    const heading = screen.getByRole('heading', { name: 'Create your account' })
    await waitFor(() => expect(heading).toHaveFocus())
    const email = screen.getByRole('textbox', { name: 'Email' })
    expect(email).toHaveAttribute('autocomplete', 'email')
    expect(password()).toHaveAttribute('autocomplete', 'new-password')
    expect(password()).toHaveAccessibleDescription('At least 8 characters.')
    await expectAccessibleAndCspSafe()

    // Too short: refused before anything is sent.
    await user.type(email, newEmail())
    await user.type(password(), 'short{Enter}')
    await waitFor(() => expect(password()).toHaveAccessibleDescription('At least 8 characters. Choose a stronger password.'))

    await user.clear(password())
    await user.type(password(), `${PASSWORD}{Enter}`)
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce())
    expect(client.getToken()).toBeTruthy()
  })

  it('says an email that is taken is taken, on the email', async () => {
    const user = userEvent.setup()
    const email = newEmail()
    await plain.newClient().auth.registerByEmail(email, PASSWORD)
    plain.render(plain.newClient(), <PasswordSignIn.Root defaultMode="sign-up" />)
    const input = screen.getByRole('textbox', { name: 'Email' })
    await user.type(input, email)
    await user.type(password(), `${PASSWORD}{Enter}`)
    await waitFor(() => expect(input).toHaveAccessibleDescription('An account with these details already exists.'))
    expect(input).toHaveFocus()
  })

  it('shows a notice above the form, and leaves sign-up out when asked', () => {
    kit.render(kit.newClient(), <PasswordSignIn.Root notice="Your sign-in has expired. Sign in again." signUp={false} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Your sign-in has expired. Sign in again.')
    expect(screen.queryByRole('button', { name: 'Create an account' })).not.toBeInTheDocument()
  })
})
