import { forwardRef } from 'react'
import { useSelfEmailBinding, useSelfSmsBinding } from '@mfa-kit/hooks/account'
import type { UseSelfEmailBindingOptions, UseSelfSmsBindingOptions } from '@mfa-kit/hooks/account'
import { MfaLocaleProvider } from '../i18n/provider'
import { Reverification } from '../reverification/reverification'
import { CodeRoot, codeParts, splitProps, useCodeChallenge } from './code-challenge'
import type { CommonRootProps, FlowProps } from './code-challenge'

export type SmsBindingRootProps = CommonRootProps & UseSelfSmsBindingOptions
export type EmailBindingRootProps = CommonRootProps & UseSelfEmailBindingOptions

/**
 * Adds a phone as the signed-in user's SMS factor: the number with its calling code, a code sent
 * there, then the fresh proof the server asks for when the sign-in is too old, in place.
 *
 * `data-state`: the `useSelfSmsBinding` status; `data-step`: `bind` | `code` | `reverify` | `done` | `expired`.
 */
export const SmsBindingRoot = forwardRef<HTMLDivElement, SmsBindingRootProps>(function SmsBindingRoot(props, ref) {
  const [root, options] = splitProps(props)
  return (
    <MfaLocaleProvider locale={props.locale} messages={props.messages}>
      <SmsBindingFlow options={options} root={root} forwardedRef={ref} />
    </MfaLocaleProvider>
  )
})

/** Adds an email as the signed-in user's email factor; the same steps and parts as `SmsBinding`. */
export const EmailBindingRoot = forwardRef<HTMLDivElement, EmailBindingRootProps>(function EmailBindingRoot(props, ref) {
  const [root, options] = splitProps(props)
  return (
    <MfaLocaleProvider locale={props.locale} messages={props.messages}>
      <EmailBindingFlow options={options} root={root} forwardedRef={ref} />
    </MfaLocaleProvider>
  )
})

function SmsBindingFlow({ options, ...rest }: FlowProps<UseSelfSmsBindingOptions>) {
  return <CodeRoot type="sms" purpose="settings" flow={useSelfSmsBinding(options)} reverifyPart={<CodeReverification />} {...rest} />
}
function EmailBindingFlow({ options, ...rest }: FlowProps<UseSelfEmailBindingOptions>) {
  return <CodeRoot type="email" purpose="settings" flow={useSelfEmailBinding(options)} reverifyPart={<CodeReverification />} {...rest} />
}

/** The fresh proof the server asks for before adding the phone or email (settings only). */
export function CodeReverification() {
  const { flow } = useCodeChallenge()
  if (!('reverification' in flow)) return null
  return <Reverification reverification={flow.reverification} />
}

/** Adding a phone to the signed-in account, as a root with parts. */
export const SmsBinding = { Root: SmsBindingRoot, ...codeParts, Reverification: CodeReverification }
/** Adding an email to the signed-in account, as a root with parts. */
export const EmailBinding = { Root: EmailBindingRoot, ...codeParts, Reverification: CodeReverification }
