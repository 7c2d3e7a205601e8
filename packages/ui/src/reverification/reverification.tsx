import { forwardRef, useEffect, useId, useRef } from 'react'
import type { FormEvent } from 'react'
import type { EmbeddedReverification, ReverificationFactorType } from '@mfa-kit/hooks/account'
import { formatDuration, formatMessage, useMfaLocale } from '../i18n/provider'
import type { MfaMessages } from '../i18n/types'
import { OneTimeCodeInputRoot } from '../one-time-code-input/one-time-code-input'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { submitProps, useFlowFeedback } from '../shared/flow'
import { TextField } from '../shared/text-field'

/** The name of a way to re-verify, in the current language. */
export function reverificationFactorName(messages: MfaMessages, type: ReverificationFactorType): string {
  return type === 'password'
    ? messages.reverification.password
    : messages.factors[type === 'totp' ? 'OTP' : type === 'sms' ? 'SMS' : 'EMAIL']
}

export interface ReverificationProps extends Omit<PrimitiveProps<'div'>, 'title'> {
  /**
   * The fresh proof to render: the `reverification` of a flow that is `reverifying`
   * (`useMfaUnbind`, `useSelfTotpBinding`, `useSelfSmsBinding`, …) or a `useReverification` result.
   */
  reverification: EmbeddedReverification
  /** The heading. @default messages.reverification.title */
  title?: string
  /** The text under the heading. @default messages.reverification.intro */
  description?: string | null
}

/**
 * Confirms it is the signed-in user before a change, in place: the factor to prove (when the
 * account has several), a code (with a send button for a phone or email) or the password, and
 * Confirm / Cancel. Its heading takes focus when it appears; errors are linked to the input and
 * announced by the surrounding component's live region.
 *
 * `data-state`: the re-verification's status.
 */
export const Reverification = forwardRef<HTMLDivElement, ReverificationProps>(function Reverification(
  { reverification: r, title, description, children, ...props },
  forwardedRef,
) {
  const { messages, locale } = useMfaLocale()
  const m = messages.reverification
  const root = useRef<HTMLDivElement | null>(null)
  const ref = useComposedRefs(root, forwardedRef)
  const heading = useRef<HTMLHeadingElement | null>(null)
  const feedback = useFlowFeedback(r, root)
  const id = useId()
  const { factor, factors, codeSent } = r.data

  useEffect(() => {
    heading.current?.focus()
  }, [])

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    void r.verify()
  }
  const isPassword = factor?.type === 'password'
  const isSent = factor?.type === 'sms' || factor?.type === 'email'
  const hint = !factor
    ? null
    : factor.type === 'totp'
      ? m.totpHint
      : isPassword
        ? m.passwordHint
        : isSent && codeSent
          ? formatMessage(m.codeHint, { destination: factor.destination })
          : null
  const busy = r.status === 'verifying'
  const sending = r.status === 'sending'
  return (
    <Primitive.div
      data-part="reverification"
      data-state={r.status}
      aria-busy={r.status === 'loading_factors' || undefined}
      {...props}
      ref={ref}
    >
      <h2 data-part="heading" tabIndex={-1} ref={heading}>
        {title ?? m.title}
      </h2>
      {(description === undefined ? m.intro : description) && <p data-part="description">{description ?? m.intro}</p>}
      {r.status === 'loading_factors' ? (
        <p data-part="description">{messages.common.loading}</p>
      ) : (
        <>
          {factors.length > 1 && (
            <fieldset data-part="factor-choice">
              <legend data-part="legend">{m.chooseLabel}</legend>
              {factors.map((f) => (
                <button key={f.type} data-part="factor" data-variant="secondary" {...r.getFactorButtonProps(f.type)}>
                  {reverificationFactorName(messages, f.type)}
                </button>
              ))}
            </fieldset>
          )}
          <form data-part="form" noValidate onSubmit={submit}>
            {isPassword ? (
              <TextField
                label={m.passwordLabel}
                input={r.getPasswordInputProps({ id: `${id}password` })}
                hint={hint}
                error={feedback.message}
                invalid={feedback.invalid}
              />
            ) : (
              <>
                {hint && <p data-part="description">{hint}</p>}
                <OneTimeCodeInputRoot
                  code={r.code}
                  getInputProps={r.getCodeInputProps}
                  error={feedback.message}
                  invalid={feedback.invalid}
                  locked={feedback.locked}
                />
              </>
            )}
            {isSent && (
              <button
                type="button"
                data-part="send"
                data-variant="secondary"
                aria-disabled={!r.canSend || undefined}
                onClick={() => void (r.canSend && r.sendCode())}
              >
                {sending
                  ? messages.codeDelivery.sending
                  : codeSent
                    ? r.secondsLeft > 0 && r.status !== 'rate_limited'
                      ? formatMessage(messages.codeDelivery.resendIn, { duration: formatDuration(r.secondsLeft, locale) })
                      : messages.codeDelivery.resend
                    : m.send}
              </button>
            )}
            <div data-part="actions">
              <button
                {...submitProps(
                  {
                    unavailable: r.status !== 'awaiting_proof' || (isPassword ? !r.password : !r.code.isComplete),
                    busy,
                  },
                  {},
                )}
              >
                {busy ? messages.common.verifying : m.submit}
              </button>
              <button type="button" data-part="cancel" data-variant="secondary" onClick={r.cancel}>
                {m.cancel}
              </button>
            </div>
          </form>
        </>
      )}
      {children}
    </Primitive.div>
  )
})
