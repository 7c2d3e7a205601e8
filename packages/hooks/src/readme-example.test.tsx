import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import readme from '../README.md?raw'
import self from './readme-example.test.tsx?raw'
import { createKit, failOnConsole, totpCode, wrongTotpCode } from './harness.testing'
import type { Kit } from './harness.testing'

// README example: start
import type { User } from '@mfa-kit/client'
import { useTotpVerify } from './index'

export function TotpVerification(props: { mfaToken: string; onSignedIn: (user: User) => void; onRestart: () => void }) {
  const totp = useTotpVerify({ mfaToken: props.mfaToken, onVerified: props.onSignedIn })
  if (totp.status === 'expired') {
    return (
      <p role="alert">
        {totp.error?.code === 'too_many_attempts' ? 'Too many wrong codes.' : 'This sign-in has expired.'}{' '}
        <button onClick={props.onRestart}>Sign in again</button>
      </p>
    )
  }
  const message =
    totp.status === 'rate_limited'
      ? `Too many attempts. Try again in ${totp.secondsLeft} s.`
      : totp.error?.code === 'invalid_code'
        ? 'That code is not right. Try the next one.'
        : totp.error && 'Something went wrong. Try again.'
  return (
    <form data-state={totp.status} onSubmit={(e) => (e.preventDefault(), void totp.verify(totp.code.value))}>
      <label {...totp.getLabelProps()}>Code from your authenticator app</label>
      <div className="otp">
        <input className="otp-input" {...totp.getCodeInputProps()} />
        {totp.code.slots.map((slot, i) => (
          <span key={i} aria-hidden className="otp-slot" data-active={slot.isActive}>
            {slot.char ?? (slot.hasFakeCaret ? '|' : '')}
          </span>
        ))}
      </div>
      <p {...totp.getErrorProps()}>{message}</p>
      <button type="submit" disabled={!totp.code.isComplete || totp.status !== 'idle'}>
        {totp.status === 'verifying' ? 'Checking…' : 'Verify'}
      </button>
    </form>
  )
}
// README example: end

failOnConsole()

let kit: Kit
beforeAll(() => {
  kit = createKit()
})

async function setup() {
  const user = await kit.signInWithTotp()
  const onSignedIn = vi.fn()
  const onRestart = vi.fn()
  const Wrapper = kit.wrapper(user.client)
  render(
    <Wrapper>
      <TotpVerification mfaToken={user.mfaToken} onSignedIn={onSignedIn} onRestart={onRestart} />
    </Wrapper>,
  )
  return { ...user, onSignedIn, onRestart, input: screen.getByLabelText<HTMLInputElement>('Code from your authenticator app') }
}

describe('the README TOTP example', () => {
  it('is the README code, word for word, in under 40 lines', () => {
    const example = self.split('// README example: start\n')[1]!.split('// README example: end')[0]!
    expect(readme).toContain(example.replace("from './index'", "from '@mfa-kit/hooks'"))
    expect(example.trimEnd().split('\n').length).toBeLessThan(40)
  })

  it('signs in when a correct code is pasted', async () => {
    const { input, secret, onSignedIn, client } = await setup()
    expect(input.getAttribute('autocomplete')).toBe('one-time-code')
    expect(input.getAttribute('aria-invalid')).toBe('false')
    fireEvent.paste(input, { clipboardData: { getData: () => totpCode(secret, kit.clock.now()) } })
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce())
    expect(onSignedIn.mock.calls[0]![0].token).toBe(client.getToken())
    expect(screen.getByRole('button', { name: 'Verify' }).closest('form')?.dataset.state).toBe('verified')
  })

  it('says so when the code is wrong, and submits with the button', async () => {
    const { input, secret, onSignedIn } = await setup()
    fireEvent.change(input, { target: { value: wrongTotpCode(secret, kit.clock.now()) } })
    const message = await screen.findByText('That code is not right. Try the next one.')
    // The input is marked invalid and described by the message, with no id written by hand.
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(input.getAttribute('aria-describedby')).toBe(message.id)
    expect(input.value).toBe('')
    fireEvent.change(input, { target: { value: totpCode(secret, kit.clock.now() + 30_000) } })
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce())
  })

  it('says so when the sign-in used up its attempts, and offers a restart', async () => {
    const strict = createKit({ limits: { failureThreshold: 100, mfaTokenMaxAttempts: 1 } })
    const user = await strict.signInWithTotp()
    const Wrapper = strict.wrapper(user.client)
    render(
      <Wrapper>
        <TotpVerification mfaToken={user.mfaToken} onSignedIn={() => {}} onRestart={() => {}} />
      </Wrapper>,
    )
    const input = screen.getByLabelText<HTMLInputElement>('Code from your authenticator app')
    fireEvent.change(input, { target: { value: wrongTotpCode(user.secret, strict.clock.now()) } })
    await screen.findByText('That code is not right. Try the next one.')
    fireEvent.change(input, { target: { value: totpCode(user.secret, strict.clock.now()) } })
    expect((await screen.findByRole('alert')).textContent).toContain('Too many wrong codes.')
  })

  it('offers a restart once the sign-in has expired', async () => {
    const { input, secret, onRestart } = await setup()
    kit.clock.advance(10 * 60_000 + 1)
    fireEvent.change(input, { target: { value: totpCode(secret, kit.clock.now()) } })
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in again' }))
    expect(onRestart).toHaveBeenCalledOnce()
  })
})
