import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
// The error codes as the wire protocol defines them, to check every one has a message.
import { mfaErrorCodes } from '@mfa-kit/protocol'
import { failOnConsole } from '../harness.testing'
import { enUS } from './locales/en-US'
import jaJP from './locales/ja-JP'
import zhCN from './locales/zh-CN'
import zhTW from './locales/zh-TW'
import { formatDuration, formatMessage, loadMfaLocale, MfaLocaleProvider, useMfaLocale } from './provider'
import type { MfaLocale, MfaMessages } from './types'

failOnConsole()

const locales: Record<MfaLocale, MfaMessages> = { 'en-US': enUS, 'zh-CN': zhCN, 'zh-TW': zhTW, 'ja-JP': jaJP }

const keys = (messages: MfaMessages) =>
  Object.entries(messages)
    .flatMap(([section, strings]) => Object.keys(strings).map((key) => `${section}.${key}`))
    .sort()
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

function Probe({ path }: { path: [keyof MfaMessages, string] }) {
  const { locale, messages } = useMfaLocale()
  return (
    <p>
      {locale}: {(messages[path[0]] as Record<string, string>)[path[1]]}
    </p>
  )
}

describe('locales', () => {
  it.each(Object.keys(locales) as MfaLocale[])('%s has exactly the keys of en-US, each a non-empty string', (locale) => {
    const messages = locales[locale]
    expect(keys(messages)).toEqual(keys(enUS))
    for (const [section, strings] of Object.entries(messages))
      for (const [key, text] of Object.entries(strings as Record<string, string>)) {
        expect(typeof text, `${locale} ${section}.${key}`).toBe('string')
        expect(text.trim(), `${locale} ${section}.${key}`).not.toBe('')
        expect(placeholders(text), `${locale} ${section}.${key}`).toEqual(
          placeholders((enUS[section as keyof MfaMessages] as Record<string, string>)[key]!),
        )
      }
  })

  it('has a message for every error code of the protocol, in every language', () => {
    for (const messages of Object.values(locales)) expect(Object.keys(messages.errors).sort()).toEqual([...mfaErrorCodes].sort())
  })

  it('loads the other languages by dynamic import only, never with the main bundle', () => {
    const here = dirname(fileURLToPath(import.meta.url))
    const dir = join(here, '..')
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.tsx?$/.test(f) && !/\.(test|testing)\.tsx?$/.test(f) && !f.includes('locales/'),
    )
    for (const file of sources) {
      const code = readFileSync(join(dir, file), 'utf8')
      expect(code, file).not.toMatch(/^\s*import[^(]*from\s+['"][^'"]*locales\/(zh-CN|zh-TW|ja-JP)['"]/m)
    }
    const provider = readFileSync(join(here, 'provider.tsx'), 'utf8')
    for (const locale of ['zh-CN', 'zh-TW', 'ja-JP']) expect(provider).toContain(`import('./locales/${locale}')`)
  })

  it('renders the fallback while a language loads, then that language; a second use is immediate', async () => {
    render(
      <MfaLocaleProvider locale="zh-TW" fallback={<p>…</p>}>
        <Probe path={['common', 'restart']} />
      </MfaLocaleProvider>,
    )
    expect(screen.getByText('…')).toBeInTheDocument()
    expect(await screen.findByText('zh-TW: 重新登入')).toBeInTheDocument()
    expect(await loadMfaLocale('zh-TW')).toBe(zhTW)
  })

  it('lets any string be overridden, nested providers inheriting language and overrides', async () => {
    await loadMfaLocale('zh-CN')
    render(
      <MfaLocaleProvider locale="zh-CN" messages={{ common: { restart: '再来一次' } }}>
        <Probe path={['common', 'restart']} />
        <MfaLocaleProvider messages={{ errors: { invalid_code: '不对' } }}>
          <Probe path={['errors', 'invalid_code']} />
          <Probe path={['common', 'restart']} />
        </MfaLocaleProvider>
        <MfaLocaleProvider locale="en-US">
          <Probe path={['common', 'restart']} />
        </MfaLocaleProvider>
      </MfaLocaleProvider>,
    )
    expect(screen.getAllByText('zh-CN: 再来一次')).toHaveLength(2)
    expect(screen.getByText('zh-CN: 不对')).toBeInTheDocument()
    expect(screen.getByText('en-US: Sign in again')).toBeInTheDocument()
  })

  it('is en-US outside any provider', () => {
    render(<Probe path={['totpChallenge', 'submit']} />)
    expect(screen.getByText('en-US: Verify')).toBeInTheDocument()
  })

  it('fills placeholders and words durations in each language', () => {
    expect(formatMessage(enUS.common.retryIn, { duration: formatDuration(45, 'en-US') })).toBe(
      'Too many attempts. Try again in 45 seconds.',
    )
    expect(formatDuration(1, 'en-US')).toBe('1 second')
    expect(formatDuration(300, 'en-US')).toBe('5 minutes')
    expect(formatMessage(jaJP.common.retryIn, { duration: formatDuration(30, 'ja-JP') })).toContain('30 秒後')
    expect(formatMessage('{a} {b}', { a: 1 })).toBe('1 {b}')
  })
})
