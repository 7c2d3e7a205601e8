import { describe, expect, it } from 'vitest'
import { maskEmail, maskPhone } from './mask'

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    [' 13812341234 ', '138****1234'],
    ['6591234567', '659****4567'],
    ['12345678', '123****5678'],
    ['1234567', '1234567'],
    ['+8613812341234', '+861****1234'],
  ])('masks %j as %j', (input, expected) => expect(maskPhone(input)).toBe(expected))

  it.each([
    ['+8613812341234', '+86', '+86 138****1234'],
    ['13812341234', '+86', '+86 138****1234'],
    ['6591234567', '+65', '+65 659****4567'],
  ])('masks %j with the country code %j as %j', (input, countryCode, expected) => expect(maskPhone(input, countryCode)).toBe(expected))
})

describe('maskEmail', () => {
  it.each([
    ['alice@example.com', 'a***@example.com'],
    ['a@example.com', 'a***@example.com'],
    [' Bob.Smith@Example.org ', 'B***@Example.org'],
  ])('masks %j as %j', (input, expected) => expect(maskEmail(input)).toBe(expected))
})
