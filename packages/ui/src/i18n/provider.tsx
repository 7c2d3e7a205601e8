import { createContext, useContext, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { enUS } from './locales/en-US'
import type { MfaErrorCode, MfaLocale, MfaMessages, MfaMessagesOverride } from './types'

export interface MfaLocaleContextValue {
  locale: MfaLocale
  messages: MfaMessages
}

const LocaleContext = createContext<MfaLocaleContextValue>({ locale: 'en-US', messages: enUS })

// Each locale is its own module, fetched the first time it is used.
const loaders: Record<Exclude<MfaLocale, 'en-US'>, () => Promise<{ default: MfaMessages }>> = {
  'zh-CN': () => import('./locales/zh-CN'),
  'zh-TW': () => import('./locales/zh-TW'),
  'ja-JP': () => import('./locales/ja-JP'),
}
const loaded: Partial<Record<MfaLocale, MfaMessages>> = { 'en-US': enUS }

/**
 * Loads a locale's messages (once). Call it before rendering to show that language from the
 * first frame; otherwise the provider loads it and renders its `fallback` meanwhile.
 */
export function loadMfaLocale(locale: MfaLocale): Promise<MfaMessages> {
  const ready = loaded[locale]
  if (ready) return Promise.resolve(ready)
  return loaders[locale as Exclude<MfaLocale, 'en-US'>]().then((m) => (loaded[locale] = m.default))
}

/** `base` with each section of `override` laid over it. */
export function mergeMessages(base: MfaMessages, override?: MfaMessagesOverride): MfaMessages {
  if (!override) return base
  const out = { ...base } as Record<string, object>
  for (const [section, strings] of Object.entries(override)) if (strings) out[section] = { ...out[section], ...strings }
  return out as unknown as MfaMessages
}

export interface MfaLocaleProviderProps {
  /** The language. @default the surrounding provider's, else 'en-US' */
  locale?: MfaLocale | undefined
  /** Replacements for any strings; they apply on top of the locale's. */
  messages?: MfaMessagesOverride | undefined
  /** Rendered while a locale loads. @default null */
  fallback?: ReactNode
  children?: ReactNode
}

/**
 * Sets the language and any replacement strings for the components below. Nested providers
 * inherit the language and the replacements of the one above, unless they switch language.
 */
export function MfaLocaleProvider({ locale, messages, fallback = null, children }: MfaLocaleProviderProps): ReactNode {
  const parent = useContext(LocaleContext)
  const target = locale ?? parent.locale
  const [failed, setFailed] = useState<MfaLocale | null>(null)
  const [, setLoaded] = useState<MfaLocale | null>(null)
  const base = target === parent.locale ? parent.messages : (loaded[target] ?? (failed === target ? enUS : undefined))

  useEffect(() => {
    if (base) return
    let live = true
    loadMfaLocale(target).then(
      () => live && setLoaded(target),
      () => live && setFailed(target),
    )
    return () => {
      live = false
    }
  }, [base, target])

  const value = useMemo(() => base && { locale: target, messages: mergeMessages(base, messages) }, [base, target, messages])
  if (!value) return fallback
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>
}

/** The language and strings in effect. Works outside any provider (en-US). */
export function useMfaLocale(): MfaLocaleContextValue {
  return useContext(LocaleContext)
}

/** Fills `{name}` placeholders. */
export function formatMessage(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all))
}

/** "45 seconds", "3 minutes", … in the locale's words (minutes from two minutes up). */
export function formatDuration(seconds: number, locale: MfaLocale): string {
  const minutes = seconds >= 120
  return new Intl.NumberFormat(locale, { style: 'unit', unit: minutes ? 'minute' : 'second', unitDisplay: 'long' }).format(
    minutes ? Math.ceil(seconds / 60) : seconds,
  )
}

/** The text for an error code, in the current language. */
export function errorMessage(messages: MfaMessages, code: MfaErrorCode): string {
  return messages.errors[code] ?? messages.errors.unknown
}
