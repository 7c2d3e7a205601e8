import { describe, expect, it } from 'vitest'
import { countryCodeLabel, phoneCountryCodes } from './country-codes'

describe('phoneCountryCodes', () => {
  it('starts with +86 and has one region per calling code, each a real region with a name', () => {
    expect(phoneCountryCodes[0]).toEqual({ region: 'CN', code: '+86' })
    const codes = phoneCountryCodes.map((c) => c.code)
    expect(new Set(codes).size).toBe(codes.length)
    const names = new Intl.DisplayNames('en', { type: 'region', fallback: 'none' })
    for (const { region, code } of phoneCountryCodes) {
      expect(code).toMatch(/^\+\d{1,3}$/)
      expect(names.of(region), region).toBeTruthy()
    }
  })

  it('names each code in the reader’s language', () => {
    expect(countryCodeLabel({ region: 'JP', code: '+81' }, 'en-US')).toBe('Japan (+81)')
    expect(countryCodeLabel({ region: 'JP', code: '+81' }, 'ja-JP')).toBe('日本 (+81)')
    expect(countryCodeLabel({ region: 'SG', code: '+65' }, 'zh-CN')).toBe('新加坡 (+65)')
  })
})
