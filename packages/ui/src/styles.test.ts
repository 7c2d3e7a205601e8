// @vitest-environment node
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { transform } from 'esbuild'
import { describe, expect, it } from 'vitest'

const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8')
const code = css.replace(/\/\*[\s\S]*?\*\//g, '')

/** The custom properties declared in the first block whose selector matches `selector`. */
function tokens(selector: RegExp): Record<string, string> {
  const match = selector.exec(code)
  if (!match) throw new Error(`no block for ${selector}`)
  const body = code.slice(match.index + match[0].length, code.indexOf('}', match.index + match[0].length))
  return Object.fromEntries([...body.matchAll(/(--mfa-[\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1], m[2]!.trim()]))
}

const light = tokens(/:root,\s*\[data-theme="light"\]\s*\{/)
const darkByPreference = tokens(/:root:not\(\[data-theme="light"\]\)\s*\{/)
const darkByAttribute = tokens(/\n\s*\[data-theme="dark"\]\s*\{/)

function luminance(hex: string): number {
  const full = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

describe('styles.css', () => {
  it('stays within its budget of 6 KB gzip, minified', async () => {
    const { code: minified } = await transform(css, { loader: 'css', minify: true })
    expect(gzipSync(minified, { level: 9 }).length).toBeLessThanOrEqual(6 * 1024)
  })

  it('themes through --mfa- custom properties, with the same set for light and both dark switches', () => {
    expect(Object.keys(light).length).toBeGreaterThan(10)
    const colours = Object.keys(light).filter((k) => k.startsWith('--mfa-color-'))
    expect(Object.keys(darkByPreference).sort()).toEqual(colours.sort())
    expect(darkByAttribute).toEqual(darkByPreference)
    for (const group of ['color', 'radius', 'space', 'font'])
      expect(Object.keys(light).some((k) => k.startsWith(`--mfa-${group}`))).toBe(true)
  })

  it('uses no custom property it does not declare', () => {
    const used = new Set([...code.matchAll(/var\((--mfa-[\w-]+)/g)].map((m) => m[1]))
    for (const name of used) expect(light, name).toHaveProperty(name!)
  })

  it.each([
    ['light', light],
    ['dark', darkByPreference],
  ])('meets WCAG AA contrast in the %s theme', (_, t) => {
    const text = (fg: string, bg: string) => expect(contrast(t[fg]!, t[bg]!), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5)
    const ui = (fg: string, bg: string) => expect(contrast(t[fg]!, t[bg]!), `${fg} against ${bg}`).toBeGreaterThanOrEqual(3)
    for (const bg of ['--mfa-color-bg', '--mfa-color-surface']) {
      text('--mfa-color-text', bg)
      text('--mfa-color-muted', bg)
      text('--mfa-color-danger', bg)
      ui('--mfa-color-border', bg)
      ui('--mfa-color-focus', bg)
    }
    text('--mfa-color-accent', '--mfa-color-bg')
    text('--mfa-color-on-accent', '--mfa-color-accent')
    ui('--mfa-color-danger', '--mfa-color-surface')
  })

  it('keeps the QR code dark on white, and its placeholder text readable, in every theme', () => {
    expect(contrast('#1b1f24', '#fff')).toBeGreaterThanOrEqual(4.5)
    expect(code).toMatch(/\[data-part="totp-qr"\]\)\s*\{[^}]*background:\s*#fff/)
  })

  it('lays out with logical properties only, so right-to-left pages mirror', () => {
    const declarations = [...code.matchAll(/([\w-]+)\s*:\s*([^;{}]+);/g)].map((m) => [m[1]!, m[2]!.trim()] as const)
    const physical = declarations.filter(
      ([property, value]) =>
        /^(margin|padding|border|inset|scroll-margin|scroll-padding)-(left|right|top|bottom)/.test(property) ||
        /^border-(top|bottom)-(left|right)-radius$/.test(property) ||
        /^(left|right|top|bottom|width|height|min-width|max-width|min-height|max-height)$/.test(property) ||
        (/^(float|clear|text-align)$/.test(property) && /\b(left|right)\b/.test(value)) ||
        // Four-value shorthands name left and right separately.
        (/^(margin|padding|inset|border-width|border-radius)$/.test(property) && value.split(/\s+/).length === 4),
    )
    expect(physical).toEqual([])
  })

  it('draws the one-time code left to right over one transparent input, with room for a password manager badge', () => {
    const rule = (part: string) => code.match(new RegExp(`:where\\(\\[data-part="${part}"\\]\\)\\s*\\{([^}]*)\\}`))?.[1] ?? ''
    expect(rule('otp-group')).toMatch(/direction:\s*ltr/)
    expect(rule('otp-group')).toMatch(/padding-inline-end:\s*var\(--mfa-otp-badge-space\)/)
    expect(rule('otp-group')).toMatch(/position:\s*relative/)
    const input = rule('otp-input')
    for (const declaration of [/position:\s*absolute/, /inset:\s*0/, /color:\s*transparent/, /caret-color:\s*transparent/, /opacity:\s*1/])
      expect(input).toMatch(declaration)
    // At least 16px, or iOS zooms the page when the input takes focus.
    expect(input).toMatch(/font:\s*16px/)
  })

  it('shows focus, respects reduced motion and forced colours, and keeps everything in one layer', () => {
    expect(code).toMatch(/:focus-visible\s*\{\s*outline:\s*2px solid var\(--mfa-color-focus\)/)
    expect(code).toContain('prefers-reduced-motion: reduce')
    expect(code).toContain('forced-colors: active')
    expect(code.trim().startsWith('@layer mfa {')).toBe(true)
    expect(code.trim().endsWith('}')).toBe(true)
  })
})
