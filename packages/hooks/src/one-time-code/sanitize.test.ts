import { describe, expect, it } from 'vitest'
import { sanitizeCode } from './sanitize'

describe('sanitizeCode', () => {
  it.each([
    ['012 345', 6, '012345'],
    ['012-345', 6, '012345'],
    [' 0 1 2 3 4 5 ', 6, '012345'],
    ['012\u00a0345', 6, '012345'],
    ['012\u2013345', 6, '012345'],
    ['000000', 6, '000000'],
    ['0123456789', 6, '012345'],
    ['', 6, ''],
    ['12', 6, '12'],
    ['1234', 4, '1234'],
    ['12-34-56', 4, '1234'],
  ])('turns %j (length %i) into %j', (input, length, expected) => {
    expect(sanitizeCode(input, length)).toBe(expected)
  })

  it.each(['12a456', 'abcdef', '１２３４５６', '12.456', '+12345', '１'])('refuses %j', (input) => {
    expect(sanitizeCode(input, 6)).toBeNull()
  })
})
