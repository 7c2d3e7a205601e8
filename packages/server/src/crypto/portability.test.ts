import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dir = fileURLToPath(new URL('.', import.meta.url))
const sources = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))

describe('crypto modules portability', () => {
  it('has source files to check', () => {
    expect(sources).toContain('otp.ts')
    expect(sources.length).toBeGreaterThanOrEqual(10)
  })

  it.each(sources)('%s uses only Web-standard APIs (no node: imports, Buffer, process or Math.random)', (name) => {
    const text = readFileSync(`${dir}/${name}`, 'utf8')
    expect(text).not.toMatch(/from\s+['"]node:/)
    expect(text).not.toMatch(/require\(/)
    expect(text).not.toMatch(/\bBuffer\b/)
    expect(text).not.toMatch(/\bprocess\./)
    expect(text).not.toMatch(/Math\.random\s*\(/)
  })
})
