import { createRef, useState } from 'react'
import { flushSync } from 'react-dom'
import { act, fireEvent, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { MfaLocaleProvider } from '../i18n/provider'
import { expectAccessibleAndCspSafe, failOnConsole } from '../harness.testing'
import { OneTimeCodeInput } from './one-time-code-input'

failOnConsole()

const input = () => screen.getByRole<HTMLInputElement>('textbox', { name: 'Verification code' })
const slots = () => [...document.querySelectorAll<HTMLElement>('[data-part="otp-slot"]')]
const drawn = () =>
  slots()
    .map((s) => s.textContent || '_')
    .join('')
const caret = () => slots().findIndex((s) => s.dataset.caret !== undefined)
const paste = (text: string) => fireEvent.paste(input(), { clipboardData: { getData: () => text } })

describe('OneTimeCodeInput', () => {
  it('is one labelled text input with the one-time-code attributes, drawn as hidden boxes', async () => {
    render(<OneTimeCodeInput.Root />)
    const el = input()
    expect(el).toHaveAttribute('type', 'text')
    expect(el).toHaveAttribute('autocomplete', 'one-time-code')
    expect(el).toHaveAttribute('inputmode', 'numeric')
    expect(el).toHaveAttribute('pattern', '\\d{6}')
    expect(el).toHaveAttribute('maxlength', '6')
    expect(el).toHaveAttribute('spellcheck', 'false')
    expect(screen.getAllByRole('textbox')).toHaveLength(1)
    expect(slots()).toHaveLength(6)
    for (const slot of slots()) expect(slot).toHaveAttribute('aria-hidden', 'true')
    await expectAccessibleAndCspSafe()
  })

  it('draws typed digits in the boxes with the caret in the next empty box', async () => {
    const user = userEvent.setup()
    render(<OneTimeCodeInput.Root />)
    expect(caret()).toBe(-1)
    await user.click(input())
    expect(caret()).toBe(0)
    expect(slots()[0]).toHaveAttribute('data-caret', 'center')
    await user.keyboard('123')
    expect(input()).toHaveValue('123')
    expect(drawn()).toBe('123___')
    expect(caret()).toBe(3)
    expect(slots()[3]).toHaveAttribute('data-active')
    await user.tab()
    expect(caret()).toBe(-1)
  })

  it('keeps each typed digit in a real browser, which runs pending renders between the listeners of one input event', async () => {
    const user = userEvent.setup()
    render(<OneTimeCodeInput.Root />)
    const el = input()
    await user.click(el)
    // A browser runs microtasks after each event listener, so React renders what was scheduled in
    // a listener before its own change handler sees the event. Emulate that checkpoint after the
    // listeners the component added to the input itself.
    el.addEventListener('input', () => flushSync(() => {}))
    await user.keyboard('12')
    expect(el).toHaveValue('12')
    expect(drawn()).toBe('12____')
    expect(caret()).toBe(2)
  })

  it('moves the caret, selects and deletes as one text field does', async () => {
    const user = userEvent.setup()
    render(<OneTimeCodeInput.Root />)
    await user.click(input())
    await user.keyboard('123456')
    // Caret after the last digit: drawn at the end of the last box.
    expect(slots()[5]).toHaveAttribute('data-caret', 'end')
    await user.keyboard('{ArrowLeft}{ArrowLeft}')
    expect(caret()).toBe(4)
    expect(slots()[4]).toHaveAttribute('data-caret', 'start')
    await user.keyboard('{Backspace}')
    expect(input()).toHaveValue('12356')
    expect(caret()).toBe(3)
    // A selection marks every selected box; typing replaces it.
    act(() => input().setSelectionRange(1, 3))
    fireEvent.select(input())
    expect(slots().map((s) => s.dataset.active !== undefined)).toEqual([false, true, true, false, false, false])
    await user.keyboard('9')
    expect(input()).toHaveValue('1956')
    await user.keyboard('{Control>}a{/Control}{Backspace}')
    expect(input()).toHaveValue('')
    expect(drawn()).toBe('______')
  })

  it('takes a pasted code with spaces or dashes and completes once, keeping leading zeros', async () => {
    const onComplete = vi.fn()
    render(<OneTimeCodeInput.Root onComplete={onComplete} />)
    paste('012 345')
    expect(input()).toHaveValue('012345')
    expect(drawn()).toBe('012345')
    paste('012-345')
    expect(onComplete).toHaveBeenCalledExactlyOnceWith('012345')
  })

  it('takes an autofilled code in one change, as iOS and password managers fill it', () => {
    const onComplete = vi.fn()
    render(<OneTimeCodeInput.Root onComplete={onComplete} />)
    fireEvent.change(input(), { target: { value: '654321' } })
    expect(drawn()).toBe('654321')
    expect(onComplete).toHaveBeenCalledWith('654321')
  })

  it('refuses letters', async () => {
    const user = userEvent.setup()
    render(<OneTimeCodeInput.Root />)
    await user.click(input())
    await user.keyboard('1a2')
    expect(input()).toHaveValue('12')
  })

  it('links its error to the input and marks it invalid', async () => {
    render(<OneTimeCodeInput.Root error="That code is not right." />)
    expect(input()).toHaveAccessibleDescription('That code is not right.')
    expect(input()).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByText('That code is not right.')).toHaveAttribute('data-part', 'otp-error')
    await expectAccessibleAndCspSafe()
  })

  it('keeps the code left to right on a right-to-left page', async () => {
    render(
      <div dir="rtl" lang="ar">
        <OneTimeCodeInput.Root label="رمز التحقق" defaultValue="123" />
      </div>,
    )
    const group = document.querySelector('[data-part="otp-group"]')
    expect(group).toHaveAttribute('dir', 'ltr')
    expect(group).toContainElement(screen.getByRole('textbox', { name: 'رمز التحقق' }))
    expect(drawn()).toBe('123___')
    await expectAccessibleAndCspSafe()
  })

  it('keeps focus while locked, and refuses typing and pasting until unlocked', async () => {
    const user = userEvent.setup()
    function Locked() {
      const [locked, setLocked] = useState(true)
      return (
        <>
          <OneTimeCodeInput.Root locked={locked} error={locked ? 'Wait 30 seconds.' : null} invalid={false} />
          <button type="button" onClick={() => setLocked(false)}>
            Unlock
          </button>
        </>
      )
    }
    render(<Locked />)
    act(() => input().focus())
    expect(input()).toHaveAttribute('readonly')
    expect(input()).toHaveAttribute('aria-disabled', 'true')
    expect(input()).not.toBeDisabled()
    expect(input()).not.toHaveAttribute('aria-invalid')
    expect(input()).toHaveAccessibleDescription('Wait 30 seconds.')
    await user.keyboard('12')
    paste('123456')
    expect(input()).toHaveValue('')
    expect(input()).toHaveFocus()
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await user.click(input())
    await user.keyboard('12')
    expect(input()).toHaveValue('12')
  })

  it('can be controlled', async () => {
    const user = userEvent.setup()
    function Controlled() {
      const [value, setValue] = useState('9')
      return (
        <>
          <OneTimeCodeInput.Root value={value} onValueChange={setValue} length={4} />
          <output>{value}</output>
        </>
      )
    }
    render(<Controlled />)
    await user.click(input())
    await user.keyboard('87')
    expect(screen.getByRole('status')).toHaveTextContent('987')
    expect(slots()).toHaveLength(4)
  })

  it('composes from parts that forward refs, pass props through and accept asChild', async () => {
    const inputRef = createRef<HTMLInputElement>()
    const rootRef = createRef<HTMLDivElement>()
    const onFocus = vi.fn()
    render(
      <OneTimeCodeInput.Root ref={rootRef} className="otp" data-testid="root" length={4} error="Wrong">
        <OneTimeCodeInput.Label asChild>
          <label className="mine">Code</label>
        </OneTimeCodeInput.Label>
        <OneTimeCodeInput.Group>
          <OneTimeCodeInput.Slot index={0} />
          <OneTimeCodeInput.Slot index={1} />
          <OneTimeCodeInput.Separator />
          <OneTimeCodeInput.Slot index={2} />
          <OneTimeCodeInput.Slot index={3} />
          <OneTimeCodeInput.Input ref={inputRef} name="otp" onFocus={onFocus} aria-describedby="hint" />
        </OneTimeCodeInput.Group>
        <p id="hint">Four digits</p>
        <OneTimeCodeInput.Error />
      </OneTimeCodeInput.Root>,
    )
    const el = screen.getByRole('textbox', { name: 'Code' })
    expect(inputRef.current).toBe(el)
    expect(rootRef.current).toBe(screen.getByTestId('root'))
    expect(rootRef.current).toHaveClass('otp')
    expect(screen.getByText('Code')).toHaveClass('mine')
    expect(screen.getByText('Code')).toHaveAttribute('data-part', 'otp-label')
    expect(el).toHaveAttribute('name', 'otp')
    expect(el).toHaveAccessibleDescription('Wrong Four digits')
    fireEvent.focus(el)
    expect(onFocus).toHaveBeenCalledOnce()
    await expectAccessibleAndCspSafe()
  })

  it('uses the label of the current language', async () => {
    render(
      <MfaLocaleProvider locale="ja-JP">
        <OneTimeCodeInput.Root />
      </MfaLocaleProvider>,
    )
    expect(await screen.findByRole('textbox', { name: '確認コード' })).toBeInTheDocument()
  })
})
