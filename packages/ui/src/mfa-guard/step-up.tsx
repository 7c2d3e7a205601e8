import { useEffect, useRef } from 'react'
import type { KeyboardEvent } from 'react'
import { useReverification } from '@mfa-kit/hooks/account'
import { useMfaLocale } from '../i18n/provider'
import { AnnounceProvider, useAnnouncer } from '../primitives/announcer'
import { Reverification } from '../reverification/reverification'
import type { MfaStepUpProps } from './components'

const noAction = async () => undefined

/**
 * A modal dialog that asks the signed-in user for a fresh proof of a factor (a code, or the
 * password of an account with none), whatever the age of the sign-in: the default step-up of
 * `<MfaGuard>`. Escape or Cancel gives up. Focus goes to its heading; the guard brings it back.
 */
export function StepUpDialog({ onDone, onCancel }: MfaStepUpProps) {
  const { messages, locale } = useMfaLocale()
  const { announce, region } = useAnnouncer()
  const reverification = useReverification(noAction)
  const started = useRef(false)
  const latest = useRef({ onDone, onCancel })
  latest.current = { onDone, onCancel }

  useEffect(() => {
    if (started.current) return
    started.current = true
    void reverification.challenge().then((outcome) => {
      if (outcome.status === 'done') latest.current.onDone()
      else latest.current.onCancel(outcome.error)
    })
  }, [reverification.challenge])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      reverification.cancel()
    }
  }
  return (
    <AnnounceProvider value={announce}>
      <div data-part="dialog-backdrop">
        <div
          role="dialog"
          aria-modal="true"
          aria-label={messages.reverification.title}
          data-mfa=""
          data-part="step-up"
          lang={locale}
          onKeyDown={onKeyDown}
        >
          <Reverification reverification={reverification} />
        </div>
      </div>
      {region}
    </AnnounceProvider>
  )
}
