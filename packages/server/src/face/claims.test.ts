/**
 * FACE-01: the documentation of the face matcher claims only what it measured. Every sentence of
 * the server README that names liveness, spoofing, presentation attacks or NIST conformance must
 * deny it, and the README must say plainly that there is no liveness detection.
 */

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const sentences = readme.replace(/\s+/g, ' ').split(/(?<=[.!?:])\s+(?=[A-Z`])/)

describe('what the README claims about face verification (FACE-01)', () => {
  it('says plainly that the matcher has no liveness detection and no anti-spoofing', () => {
    expect(readme).toContain('It has no liveness detection and no anti-spoofing')
    expect(readme).toMatch(/not NIST-conformant/)
  })

  it('never claims liveness, anti-spoofing, presentation attack detection or NIST conformance', () => {
    const risky = sentences.filter((sentence) =>
      /liveness|spoof|presentation attack|NIST[- ](conformant|compliant|certified)/i.test(sentence),
    )
    expect(risky.length).toBeGreaterThan(0)
    for (const sentence of risky) expect(sentence, sentence).toMatch(/\b(no|not|never|without|nothing)\b/i)
  })
})
