import { forwardRef, useRef } from 'react'
import type { ForwardedRef, ForwardRefExoticComponent, PropsWithoutRef, ReactNode, RefAttributes, RefObject } from 'react'
import { MfaLocaleProvider, useMfaLocale } from '../i18n/provider'
import type { MfaLocale, MfaMessagesOverride } from '../i18n/types'
import { AnnounceProvider, useAnnouncer } from '../primitives/announcer'
import { useComposedRefs } from '../primitives/compose-refs'
import { Primitive } from '../primitives/primitive'
import type { PrimitiveProps } from '../primitives/primitive'
import { FlowContext, useStepFocus } from './flow'
import type { FlowContextValue } from './flow'

/** The language props of a component's Root. */
export interface LocaleProps {
  /** The language. @default the surrounding MfaLocaleProvider's, else 'en-US' */
  locale?: MfaLocale
  /** Replacements for any strings. */
  messages?: MfaMessagesOverride
}

/** The props every flow component's Root takes besides its hook's options. */
export interface FlowRootProps extends LocaleProps {
  /** Called from the expired step's "Sign in again" button; without it the button is not shown. */
  onRestart?: () => void
}

/**
 * A Root that sets up its language (`locale`, `messages`) around `Inner`, which then reads it
 * with `useMfaLocale`. `name` is the Root's name in React's developer tools.
 */
export function withLocale<P extends LocaleProps>(
  name: string,
  Inner: ForwardRefExoticComponent<Omit<P, keyof LocaleProps> & RefAttributes<HTMLDivElement>>,
): ForwardRefExoticComponent<PropsWithoutRef<P> & RefAttributes<HTMLDivElement>> {
  const Root = forwardRef<HTMLDivElement, P>(({ locale, messages, ...props }, ref) => (
    <MfaLocaleProvider locale={locale} messages={messages}>
      <Inner {...(props as Omit<P, keyof LocaleProps>)} ref={ref} />
    </MfaLocaleProvider>
  ))
  Root.displayName = name
  return Root
}

/** What a flow's Root sets up for its root element: see {@link useFlowRoot}. */
export interface FlowRootFrame {
  locale: MfaLocale
  announce: (message: string) => void
  /** The live region that speaks the announcements; rendered beside the root element. */
  region: ReactNode
  /** The root element, for focus and for finding parts inside it. */
  root: RefObject<HTMLDivElement | null>
  /** The root's ref composed with the caller's. */
  ref: (node: HTMLDivElement | null) => void
}

/**
 * What every flow Root sets up: an announcer, the root element (its ref composed with the
 * caller's), and focus on the heading of each new `step`.
 */
export function useFlowRoot(step: string, forwardedRef: ForwardedRef<HTMLDivElement>): FlowRootFrame {
  const { locale } = useMfaLocale()
  const { announce, region } = useAnnouncer()
  const root = useRef<HTMLDivElement | null>(null)
  const ref = useComposedRefs(root, forwardedRef)
  useStepFocus(step, root)
  return { locale, announce, region, root, ref }
}

export interface FlowRootElementProps extends PrimitiveProps<'div'> {
  /** The root's `data-part`. */
  part: string
  /** The root's `data-state`: the hook's status. */
  state: string
  flow: FlowContextValue
  frame: FlowRootFrame
  /**
   * Puts the component's own context providers around the root element. They sit inside the
   * announcer and the flow context, so they may use both.
   */
  provide: (rootElement: ReactNode) => ReactNode
}

/** The root element of a flow (`data-mfa`, `data-part`, `data-state`, `data-step`, `lang`) inside the flow's contexts. */
export function FlowRootElement({ part, state, flow, frame, provide, ...props }: FlowRootElementProps): ReactNode {
  return (
    <AnnounceProvider value={frame.announce}>
      <FlowContext.Provider value={flow}>
        {provide(
          <Primitive.div
            data-mfa=""
            data-part={part}
            data-state={state}
            data-step={flow.step}
            lang={frame.locale}
            {...props}
            ref={frame.ref}
          />,
        )}
        {frame.region}
      </FlowContext.Provider>
    </AnnounceProvider>
  )
}
