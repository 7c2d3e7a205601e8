import { createContext, forwardRef, useContext } from 'react'
import type { MfaChallengeFactor, MfaPolicy, UseMfaChallengeResult } from '@mfa-kit/hooks'
import { formatMessage, useMfaLocale } from '../i18n/provider'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { FactorIcon } from '../shared/icons'

/** What the picker needs of a challenge: its factors and the buttons that switch between them. */
export type FactorPickerChallenge = Pick<UseMfaChallengeResult, 'data' | 'getFactorButtonProps'>

const FactorPickerContext = createContext<FactorPickerChallenge | null>(null)

export interface FactorPickerRootProps extends PrimitiveProps<'div'> {
  /** The `useMfaChallenge` result whose factors to offer. */
  challenge: FactorPickerChallenge
}

/**
 * The factors a sign-in can finish with, with an icon and a name each, in the server's order;
 * the one on screen carries `aria-current`, one still to set up says so. Renders nothing when
 * there is no other factor to pick.
 */
export const FactorPickerRoot = forwardRef<HTMLDivElement, FactorPickerRootProps>(function FactorPickerRoot(
  { challenge, children, ...props },
  ref,
) {
  const { messages } = useMfaLocale()
  const { factors } = challenge.data
  if (factors.length < 2) return null
  return (
    <FactorPickerContext.Provider value={challenge}>
      <Primitive.div data-part="factor-picker" role="group" aria-label={messages.factorPicker.label} {...props} ref={ref}>
        {children ?? factors.map((f) => <FactorPickerItem key={f.type} factor={f.type} />)}
      </Primitive.div>
    </FactorPickerContext.Provider>
  )
})

export interface FactorPickerItemProps extends PrimitiveProps<'button'> {
  /** The factor this button puts on screen: one of the challenge's `data.factors`. */
  factor: MfaPolicy
}

/** One factor: a button that switches the challenge to it. `data-state`: `current` | `bound` | `unbound`. */
export const FactorPickerItem = forwardRef<HTMLButtonElement, FactorPickerItemProps>(function FactorPickerItem(
  { factor, children, ...props },
  ref,
) {
  const challenge = useContext(FactorPickerContext)
  if (!challenge) throw new Error('<FactorPicker.Item> must be used inside <FactorPicker.Root>')
  const { messages } = useMfaLocale()
  const entry: MfaChallengeFactor | undefined = challenge.data.factors.find((f) => f.type === factor)
  const name = messages.factors[factor]
  const label = entry?.bound === false ? formatMessage(messages.factorPicker.setUp, { name }) : name
  return (
    <Primitive.button
      data-part="factor"
      data-state={entry?.current ? 'current' : entry?.bound ? 'bound' : 'unbound'}
      {...challenge.getFactorButtonProps(factor, props)}
      ref={ref}
    >
      {children ?? (
        <>
          <FactorIcon factor={factor} />
          <span>{label}</span>
        </>
      )}
    </Primitive.button>
  )
})

/** The factor choice of a sign-in, as a root with parts. */
export const FactorPicker = { Root: FactorPickerRoot, Item: FactorPickerItem }
