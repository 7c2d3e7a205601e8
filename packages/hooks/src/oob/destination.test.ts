import { describe, expect, it } from 'vitest'
import { isEmailAddress, isPhoneNumber, maskDestination } from './destination'

describe('isPhoneNumber', () => {
  it.each([
    ['13800001234', true],
    ['138 0000 1234', true],
    ['138-0000-1234', true],
    ['(138) 0000 1234', true],
    ['+86 138 0000 1234', true],
    ['008613800001234', true],
    ['１３８００００１２３４', true],
    ['9123 4567', true],
    ['1234', false],
    ['1234567890123456', false],
    ['138000o1234', false],
    ['', false],
    ['+', false],
    ['a@b.c', false],
  ])('%j is %s', (input, expected) => expect(isPhoneNumber(input)).toBe(expected))
})

describe('isEmailAddress', () => {
  it.each([
    ['a@example.com', true],
    [' a.b+c@mail.example.org ', true],
    ['a@example', false],
    ['a example@x.com', false],
    ['@example.com', false],
    ['', false],
  ])('%j is %s', (input, expected) => expect(isEmailAddress(input)).toBe(expected))
})

describe('maskDestination', () => {
  it.each<['sms' | 'email', string, string | null, string]>([
    ['sms', '13800001234', '+86', '+86 138****1234'],
    ['sms', '+8613800001234', '+86', '+86 138****1234'],
    ['sms', '9123 4567', '+65', '+65 912****4567'],
    ['sms', '+6591234567', '+86', '+659****4567'],
    ['sms', '13800001234', null, '138****1234'],
    ['email', 'alice@example.com', null, 'a***@example.com'],
  ])('%s %j with %j is %j', (type, destination, countryCode, expected) =>
    expect(maskDestination(type, destination, countryCode)).toBe(expected),
  )
})
