import { Suspense, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { ComponentType, ReactNode } from 'react'
import { MfaProvider, useMfaSession } from '@mfa-kit/hooks'
import type { MfaClient, MfaPolicy, TokenStore } from '@mfa-kit/hooks'
import { useMfaAuthenticators, useMfaUnbind, useRecoveryCodeRegenerate } from '@mfa-kit/hooks/account'
import type { MfaAuthenticator } from '@mfa-kit/hooks/account'
import { EmailBindingRoot, SmsBindingRoot } from '../code-challenge/code-binding'
import type { EmailBindingRootProps, SmsBindingRootProps } from '../code-challenge/code-binding'
import { errorMessage, formatMessage, MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaLocale, MfaMessages, MfaMessagesOverride } from '../i18n/types'
import type { FaceEnrollmentSlotProps } from '../mfa-guard/components'
import { AnnounceProvider, useAnnounce, useAnnouncer } from '../primitives/announcer'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { RecoveryCodeContext, recoveryCodeContextOf, SaveRecoveryCode } from '../recovery-code/recovery-code'
import { Reverification } from '../reverification/reverification'
import type { ReverificationProps } from '../reverification/reverification'
import { FactorIcon } from '../shared/icons'
import { TotpEnrollmentRoot } from '../totp-enrollment/totp-enrollment'
import type { TotpEnrollmentRootProps } from '../totp-enrollment/totp-enrollment'

/** Every part `<MfaSettings>` renders, by slot; override any with `components`. */
export interface MfaSettingsComponents {
  /** Adding an authenticator app (source SELF, re-verifying in place). Default: `TotpEnrollment.Root`. */
  TotpEnrollment: ComponentType<TotpEnrollmentRootProps>
  /** Adding a phone. Default: `SmsBinding.Root`. */
  SmsBinding: ComponentType<SmsBindingRootProps>
  /** Adding an email. Default: `EmailBinding.Root`. */
  EmailBinding: ComponentType<EmailBindingRootProps>
  /**
   * Adding a face, offered only beside a factor that proves possession (face never stands alone).
   * Default: `null`: pass `LazyFaceEnrollment` from `@mfa-kit/ui`; it renders inside a `<Suspense>`.
   */
  FaceEnrollment: ComponentType<FaceEnrollmentSlotProps> | null
  /** The fresh proof asked for before removing a factor or replacing the recovery code. Default: `Reverification`. */
  Reverification: ComponentType<ReverificationProps>
}

export type MfaSettingsComponentOverrides = Partial<MfaSettingsComponents>

const defaults: MfaSettingsComponents = {
  TotpEnrollment: TotpEnrollmentRoot,
  SmsBinding: SmsBindingRoot,
  EmailBinding: EmailBindingRoot,
  FaceEnrollment: null,
  Reverification,
}

/** The default settings components with `overrides` laid over them, slot by slot. */
export function getMfaSettingsComponents(overrides: MfaSettingsComponentOverrides = {}): MfaSettingsComponents {
  const merged = { ...defaults }
  for (const key of Object.keys(overrides) as (keyof MfaSettingsComponents)[]) {
    const value = overrides[key]
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value
  }
  return merged
}

export interface MfaSettingsProps extends PrimitiveProps<'section'> {
  /** The client, when there is no `<MfaProvider>` (or `<MfaGuard>`) above. */
  client?: MfaClient
  /** With `client`: where the access token is kept between page loads. */
  tokenStore?: TokenStore
  /** Replacements for any part, by slot (see {@link MfaSettingsComponents}). */
  components?: MfaSettingsComponentOverrides
  /** The factors the user may add. @default ['OTP', 'SMS', 'EMAIL'], and 'FACE' with a `FaceEnrollment` */
  factors?: readonly MfaPolicy[]
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

/**
 * The signed-in user's own security page (source SELF): the bound factors, each removable behind
 * a confirmation; adding an authenticator app, a phone, an email (and a face, with its slot);
 * a new recovery code. Wherever the server wants a recent sign-in, it asks for a fresh proof in
 * place and then finishes the change.
 *
 * `data-state`: `signed_out` | `loading` | `ready` | `error`.
 */
export function MfaSettings({ client, tokenStore, locale, messages, ...props }: MfaSettingsProps): ReactNode {
  const settings = (
    <MfaLocaleProvider locale={locale} messages={messages}>
      <Settings {...props} />
    </MfaLocaleProvider>
  )
  return client ? (
    <MfaProvider client={client} tokenStore={tokenStore}>
      {settings}
    </MfaProvider>
  ) : (
    settings
  )
}

/** The name of a listed factor: its kind, and the masked phone or email. */
function authenticatorName(messages: MfaMessages, a: MfaAuthenticator): string {
  const kind =
    a.authenticatorType === 'sms' ? 'SMS' : a.authenticatorType === 'email' ? 'EMAIL' : a.authenticatorType === 'face' ? 'FACE' : 'OTP'
  const name = messages.factors[kind]
  return a.destination ? `${name} (${a.destination})` : name
}

const kindOf = (a: MfaAuthenticator): MfaPolicy =>
  a.authenticatorType === 'sms' ? 'SMS' : a.authenticatorType === 'email' ? 'EMAIL' : a.authenticatorType === 'face' ? 'FACE' : 'OTP'

function Settings({
  components: overrides,
  factors: factorsProp,
  children,
  ...props
}: Omit<MfaSettingsProps, 'client' | 'tokenStore' | 'locale' | 'messages'>) {
  const { messages, locale } = useMfaLocale()
  const m = messages.settings
  const { announce, region } = useAnnouncer()
  const C = useMemo(() => getMfaSettingsComponents(overrides), [overrides])
  const session = useMfaSession()
  const signedIn = session.status === 'signed_in'
  const list = useMfaAuthenticators({ type: 'all', enabled: signedIn })
  const [adding, setAdding] = useState<MfaPolicy | null>(null)
  const headingId = useId()
  const heading = useRef<HTMLHeadingElement | null>(null)

  /** A change is over: say so, and bring focus back to the top of the page. */
  const finished = (text: string | null) => {
    setAdding(null)
    if (text) announce(text)
    heading.current?.focus()
  }

  const authenticators = list.data.authenticators
  const has = (kind: MfaPolicy) => authenticators.some((a) => kindOf(a) === kind)
  const possession = has('OTP') || has('SMS') || has('EMAIL')
  const factors = factorsProp ?? (C.FaceEnrollment ? ['OTP', 'SMS', 'EMAIL', 'FACE'] : ['OTP', 'SMS', 'EMAIL'])
  const addable = factors.filter((f) => !has(f) && (f !== 'FACE' || (possession && C.FaceEnrollment)) && f !== 'PASSKEY')
  const state = !signedIn ? 'signed_out' : list.status === 'success' ? 'ready' : list.status === 'loading' ? 'loading' : 'error'
  const addLabel: Record<MfaPolicy, string> = { OTP: m.addTotp, SMS: m.addPhone, EMAIL: m.addEmail, FACE: m.addFace, PASSKEY: '' }

  return (
    <AnnounceProvider value={announce}>
      <Primitive.section data-mfa="" data-part="mfa-settings" data-state={state} aria-labelledby={headingId} lang={locale} {...props}>
        <h2 data-part="heading" id={headingId} tabIndex={-1} ref={heading}>
          {m.title}
        </h2>
        <p data-part="description">{m.intro}</p>
        {state === 'signed_out' ? (
          <p data-part="notice">{session.status === 'restoring' ? messages.common.loading : m.signedOut}</p>
        ) : state === 'loading' ? (
          <p aria-busy="true">{messages.common.loading}</p>
        ) : state === 'error' ? (
          <p data-part="field-error">{list.error && errorMessage(messages, list.error.code)}</p>
        ) : (
          <>
            {authenticators.length === 0 ? (
              <p data-part="notice">{m.none}</p>
            ) : (
              <ul data-part="factor-list" aria-label={m.listLabel}>
                {authenticators.map((a) => (
                  <FactorItem
                    key={a.id}
                    authenticator={a}
                    Reverify={C.Reverification}
                    onRemoved={() => finished(formatMessage(m.removed, { name: authenticatorName(messages, a) }))}
                  />
                ))}
              </ul>
            )}
            {adding ? (
              <div data-part="adding">
                {adding === 'OTP' ? (
                  <C.TotpEnrollment onDone={() => finished(null)} />
                ) : adding === 'SMS' ? (
                  <C.SmsBinding onDone={() => finished(null)} />
                ) : adding === 'EMAIL' ? (
                  <C.EmailBinding onDone={() => finished(null)} />
                ) : C.FaceEnrollment ? (
                  <Suspense fallback={<p aria-busy="true">{messages.common.loading}</p>}>
                    <C.FaceEnrollment
                      onDone={() => finished(null)}
                      onExpired={() => setAdding(null)}
                      onUnavailable={() => setAdding(null)}
                    />
                  </Suspense>
                ) : null}
                <button type="button" data-part="cancel" data-variant="link" onClick={() => finished(null)}>
                  {m.cancel}
                </button>
              </div>
            ) : (
              addable.length > 0 && (
                <fieldset data-part="add-choice">
                  <legend data-part="legend">{m.addTitle}</legend>
                  {addable.map((f) => (
                    <button key={f} type="button" data-part="add" data-variant="secondary" onClick={() => setAdding(f)}>
                      <FactorIcon factor={f} />
                      <span>{addLabel[f]}</span>
                    </button>
                  ))}
                </fieldset>
              )
            )}
            {has('OTP') && !adding && <RecoverySection Reverify={C.Reverification} onSaved={() => finished(m.recoverySaved)} />}
          </>
        )}
        {children}
      </Primitive.section>
      {region}
    </AnnounceProvider>
  )
}

function FactorItem({
  authenticator,
  Reverify,
  onRemoved,
}: {
  authenticator: MfaAuthenticator
  Reverify: ComponentType<ReverificationProps>
  onRemoved: () => void
}) {
  const { messages } = useMfaLocale()
  const m = messages.settings
  const announce = useAnnounce()
  const unbind = useMfaUnbind({ authenticatorId: authenticator.id, authenticatorType: authenticator.authenticatorType, onDone: onRemoved })
  const name = authenticatorName(messages, authenticator)
  const id = useId()
  const confirmRef = useRef<HTMLParagraphElement | null>(null)
  const removeRef = useRef<HTMLButtonElement | null>(null)
  const request = () => {
    unbind.request()
    // The question takes focus, so it is read before the choice.
    queueMicrotask(() => confirmRef.current?.focus())
  }
  const keep = () => {
    unbind.cancel()
    queueMicrotask(() => removeRef.current?.focus())
  }
  const error = unbind.error && unbind.status !== 'reverifying' ? errorMessage(messages, unbind.error.code) : null
  useEffect(() => {
    if (error) announce(error)
  }, [error, announce])
  return (
    <li data-part="factor-item" data-state={unbind.status}>
      <div data-part="factor-row">
        <FactorIcon factor={kindOf(authenticator)} />
        <span data-part="factor-name">{name}</span>
        {unbind.status === 'idle' && (
          <button
            type="button"
            data-part="remove"
            data-variant="secondary"
            aria-describedby={error ? `${id}error` : undefined}
            onClick={request}
            ref={removeRef}
          >
            {m.remove} <span data-part="visually-hidden">{name}</span>
          </button>
        )}
      </div>
      {(unbind.status === 'confirming' || unbind.status === 'unbinding') && (
        <div data-part="confirm">
          <p id={`${id}question`} data-part="confirm-question" tabIndex={-1} ref={confirmRef}>
            {formatMessage(m.removeTitle, { name })}
          </p>
          <p data-part="description">{m.removeBody}</p>
          <div data-part="actions">
            <button
              data-part="confirm-remove"
              data-variant="danger"
              {...unbind.getConfirmProps()}
              aria-busy={unbind.status === 'unbinding' || undefined}
            >
              {m.removeConfirm}
            </button>
            <button type="button" data-variant="secondary" onClick={keep} disabled={unbind.status === 'unbinding'}>
              {m.keep}
            </button>
          </div>
        </div>
      )}
      {unbind.status === 'reverifying' && <Reverify reverification={unbind.reverification} />}
      {error && (
        <p data-part="field-error" id={`${id}error`}>
          {error}
        </p>
      )}
    </li>
  )
}

function RecoverySection({ Reverify, onSaved }: { Reverify: ComponentType<ReverificationProps>; onSaved: () => void }) {
  const { messages } = useMfaLocale()
  const m = messages.settings
  const regenerate = useRecoveryCodeRegenerate({ onDone: onSaved })
  const headingId = useId()
  const shown = regenerate.status === 'showing_recovery_code'
  const codeHeading = useRef<HTMLHeadingElement | null>(null)
  useEffect(() => {
    if (shown) codeHeading.current?.focus()
  }, [shown])
  return (
    <Primitive.section data-part="recovery" data-state={regenerate.status} aria-labelledby={headingId}>
      <h3 data-part="subheading" id={headingId}>
        {m.recoveryTitle}
      </h3>
      {regenerate.status === 'reverifying' ? (
        <Reverify reverification={regenerate.reverification} />
      ) : shown ? (
        <RecoveryCodeContext.Provider value={recoveryCodeContextOf(regenerate)}>
          <h4 data-part="heading" tabIndex={-1} ref={codeHeading}>
            {m.newRecoveryTitle}
          </h4>
          <SaveRecoveryCode />
        </RecoveryCodeContext.Provider>
      ) : (
        <>
          <p data-part="description">{m.recoveryIntro}</p>
          <button
            data-part="regenerate"
            data-variant="secondary"
            {...regenerate.getRegenerateProps()}
            aria-busy={regenerate.status === 'regenerating' || undefined}
          >
            {m.regenerate}
          </button>
          {regenerate.error && <p data-part="field-error">{errorMessage(messages, regenerate.error.code)}</p>}
        </>
      )}
    </Primitive.section>
  )
}
