import { describe, expect, it } from 'vitest'
import { nextTickIn, secondsLeft } from './countdown'

describe('secondsLeft', () => {
  it.each([
    [null, 0, 0],
    [60_000, 0, 60],
    [60_000, 1, 60],
    [60_000, 999, 60],
    [60_000, 1_000, 59],
    [60_000, 59_001, 1],
    [60_000, 60_000, 0],
    [60_000, 90_000, 0],
  ])('until %s at %i is %i s', (until, now, expected) => {
    expect(secondsLeft(until, now)).toBe(expected)
  })
})

describe('nextTickIn', () => {
  it.each([
    [60_000, 0, 1000],
    [60_000, 250, 750],
    [60_000, 59_999, 1],
    [60_000, 60_000, 0],
    [60_000, 61_000, 0],
  ])('until %i at %i waits %i ms', (until, now, expected) => {
    expect(nextTickIn(until, now)).toBe(expected)
  })
})
