import { createContext, forwardRef, useContext } from 'react'
import type { ReactNode } from 'react'
import { composeEventHandlers } from '@mfa-kit/hooks'
import type { AcknowledgeProps, ActionButtonProps, PropGetter } from '@mfa-kit/hooks'
import { useMfaLocale } from '../i18n/provider'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { useCopy } from '../shared/flow'

/** What a flow that shows a recovery code once gives its recovery-code parts. */
export interface RecoveryCodeContextValue {
  /** The code, while it is shown; `null` before and after. */
  code: string | null
  /** The account's issuer, named in the downloaded file. */
  issuer: string | null
  getAcknowledgeProps: PropGetter<AcknowledgeProps>
  getFinishProps: PropGetter<ActionButtonProps>
}

export const RecoveryCodeContext = createContext<RecoveryCodeContextValue | null>(null)

/** What a flow hook that shows a recovery code gives the recovery-code parts. */
export function recoveryCodeContextOf(
  flow: { data: { recoveryCode: string | null } } & Pick<RecoveryCodeContextValue, 'getAcknowledgeProps' | 'getFinishProps'>,
  issuer: string | null = null,
): RecoveryCodeContextValue {
  return { code: flow.data.recoveryCode, issuer, getAcknowledgeProps: flow.getAcknowledgeProps, getFinishProps: flow.getFinishProps }
}

function useRecoveryCodeContext(part: string): RecoveryCodeContextValue {
  const ctx = useContext(RecoveryCodeContext)
  if (!ctx) throw new Error(`<${part}> must be used inside <TotpEnrollment.Root> or <RecoveryCodeChallenge.Root>`)
  return ctx
}

/** How long a downloaded file's Blob URL lives, so that every browser has started the download. */
const REVOKE_AFTER_MS = 10_000

/** The attribute that marks what to print; the stylesheet prints only that while it is set. */
const PRINTING = 'data-mfa-printing'

/**
 * The recovery code with its label. This is also what `PrintRecoveryCode` prints.
 * Renders nothing once the code is gone.
 */
export const RecoveryCode = forwardRef<HTMLParagraphElement, PrimitiveProps<'p'>>(function RecoveryCode(props, ref) {
  const ctx = useRecoveryCodeContext('RecoveryCode')
  const { messages } = useMfaLocale()
  if (!ctx.code) return null
  return (
    <Primitive.p data-part="recovery-code" data-mfa-print="" {...props} ref={ref}>
      {props.children ?? (
        <>
          <span data-part="recovery-code-label">{messages.recoveryCode.label}</span>{' '}
          <code data-part="recovery-code-value" translate="no">
            {ctx.code}
          </code>
        </>
      )}
    </Primitive.p>
  )
})

/** Copies the code to the clipboard when clicked (never by itself) and announces it. */
export const CopyRecoveryCode = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function CopyRecoveryCode(props, ref) {
  const ctx = useRecoveryCodeContext('CopyRecoveryCode')
  const { messages } = useMfaLocale()
  const copy = useCopy()
  const { code } = ctx
  if (!code) return null
  return (
    <Primitive.button
      type="button"
      data-part="copy-recovery-code"
      data-variant="secondary"
      {...props}
      onClick={composeEventHandlers(props.onClick, () => void copy(code, messages.recoveryCode.copied))}
      ref={ref}
    >
      {props.children ?? messages.recoveryCode.copy}
    </Primitive.button>
  )
})

/** Downloads the code as a `.txt` file, through a Blob URL that is revoked afterwards. */
export const DownloadRecoveryCode = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function DownloadRecoveryCode(props, ref) {
  const ctx = useRecoveryCodeContext('DownloadRecoveryCode')
  const { messages } = useMfaLocale()
  const { code, issuer } = ctx
  if (!code) return null
  const download = () => {
    const m = messages.recoveryCode
    const text = `${m.fileTitle}${issuer ? ` (${issuer})` : ''}\n\n${code}\n\n${m.fileNote}\n`
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
    const link = document.createElement('a')
    link.href = url
    link.download = m.fileName
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS)
  }
  return (
    <Primitive.button
      type="button"
      data-part="download-recovery-code"
      data-variant="secondary"
      {...props}
      onClick={composeEventHandlers(props.onClick, download)}
      ref={ref}
    >
      {props.children ?? messages.recoveryCode.download}
    </Primitive.button>
  )
})

/** Prints the recovery code alone (the rest of the page is hidden while printing). */
export const PrintRecoveryCode = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function PrintRecoveryCode(props, ref) {
  const ctx = useRecoveryCodeContext('PrintRecoveryCode')
  const { messages } = useMfaLocale()
  if (!ctx.code) return null
  const print = () => {
    const root = document.documentElement
    root.setAttribute(PRINTING, '')
    window.addEventListener('afterprint', () => root.removeAttribute(PRINTING), { once: true })
    window.print()
  }
  return (
    <Primitive.button
      type="button"
      data-part="print-recovery-code"
      data-variant="secondary"
      {...props}
      onClick={composeEventHandlers(props.onClick, print)}
      ref={ref}
    >
      {props.children ?? messages.recoveryCode.print}
    </Primitive.button>
  )
})

/**
 * The required "I have saved it" checkbox, inside its label. Props and ref go to the label;
 * the checkbox is `[data-part="acknowledge-checkbox"]`.
 */
export const AcknowledgeRecoveryCode = forwardRef<HTMLLabelElement, PrimitiveProps<'label'>>(function AcknowledgeRecoveryCode(
  { children, ...props },
  ref,
) {
  const ctx = useRecoveryCodeContext('AcknowledgeRecoveryCode')
  const { messages } = useMfaLocale()
  if (!ctx.code) return null
  return (
    <Primitive.label data-part="acknowledge" {...props} ref={ref}>
      <input data-part="acknowledge-checkbox" {...ctx.getAcknowledgeProps()} />
      <span>{children ?? messages.recoveryCode.acknowledge}</span>
    </Primitive.label>
  )
})

/** Ends the step; disabled until the code is acknowledged. */
export const FinishRecoveryCode = forwardRef<HTMLButtonElement, PrimitiveProps<'button'>>(function FinishRecoveryCode(props, ref) {
  const ctx = useRecoveryCodeContext('FinishRecoveryCode')
  const { messages } = useMfaLocale()
  if (!ctx.code) return null
  return (
    <Primitive.button data-part="finish" data-variant="primary" {...ctx.getFinishProps(props)} ref={ref}>
      {props.children ?? messages.recoveryCode.finish}
    </Primitive.button>
  )
})

/**
 * Every part of saving a recovery code, in order: the code, its copy, download and print actions,
 * the required acknowledgement, and the button that finishes.
 */
export function SaveRecoveryCode(): ReactNode {
  return (
    <>
      <RecoveryCode />
      <div data-part="actions">
        <CopyRecoveryCode />
        <DownloadRecoveryCode />
        <PrintRecoveryCode />
      </div>
      <AcknowledgeRecoveryCode />
      <FinishRecoveryCode />
    </>
  )
}
