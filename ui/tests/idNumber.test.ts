import { describe, expect, it } from 'vitest'
import { checkIdNumber, compactId, idCheckDigit, idIsValid, idIsWrong } from '../src/util/idNumber'

const today = new Date(2026, 5, 1)

describe('ID number check (GB 11643 MOD 11-2)', () => {
  it('computes the check character of the standard’s example, including X', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X')
    expect(idCheckDigit('43112819560715123')).toBe('1')
    expect(idCheckDigit('4311281956071512')).toBeNull()
    expect(idCheckDigit('4311281956071512A')).toBeNull()
  })

  it('accepts a correct 18-digit number, with a lower-case or full-width x and spaces', () => {
    expect(checkIdNumber('110105194912310021'.slice(0, 17) + 'X', { today })).toEqual({
      status: 'valid18',
      normalized: '11010519491231002X',
    })
    expect(checkIdNumber('11010519491231002x', { today }).status).toBe('valid18')
    expect(checkIdNumber('110105 19491231 002Ｘ', { today }).status).toBe('valid18')
    expect(checkIdNumber('４３１１２８１９５６０７１５１２３１', { today }).status).toBe('valid18')
  })

  it('names the check digit expected when the last character is wrong', () => {
    const check = checkIdNumber('431128195607151239', { today })
    expect(check).toEqual({ status: 'bad_check', expected: '1' })
    expect(idIsWrong(check)).toBe(true)
    expect(idIsValid(check)).toBe(false)
  })

  it('refuses a birth date that does not exist or lies in the future, and an unknown province', () => {
    // 1949-02-30; the check digit is right for the digits as written.
    const first17 = '11010519490230002'
    expect(checkIdNumber(first17 + idCheckDigit(first17), { today }).status).toBe('bad_date')
    const future = '43112820300101123'
    expect(checkIdNumber(future + idCheckDigit(future), { today }).status).toBe('bad_date')
    const region = '99112819560715123'
    expect(checkIdNumber(region + idCheckDigit(region), { today }).status).toBe('bad_region')
  })

  it('accepts an old 15-digit number and gives its 18-digit form', () => {
    const check = checkIdNumber('431128560715123', { today })
    expect(check).toEqual({ status: 'valid15', normalized: '431128195607151231' })
    expect(idIsValid(check)).toBe(true)
  })

  it('does not call half-typed digits wrong, but does once the clerk has finished', () => {
    expect(checkIdNumber('', { today })).toEqual({ status: 'empty' })
    const partial = checkIdNumber('4311281956', { today })
    expect(partial).toEqual({ status: 'incomplete', length: 10 })
    expect(idIsWrong(partial)).toBe(false)
    // The first 15 of an 18-digit number: no valid old date (19 + "195607…") while typing.
    expect(checkIdNumber('431128195607151', { today, typing: true })).toEqual({ status: 'incomplete', length: 15 })
    expect(checkIdNumber('431128195607151', { today }).status).toBe('bad_date')
  })

  it('calls letters, a misplaced X and too many digits malformed', () => {
    expect(checkIdNumber('43112819560715X23', { today }).status).toBe('malformed')
    expect(checkIdNumber('4311281956071512311', { today }).status).toBe('malformed')
    expect(checkIdNumber('张三', { today }).status).toBe('malformed')
  })

  it('compacts what clerks type inside a number', () => {
    expect(compactId(' 431128-1956 0715—1231 ')).toBe('431128195607151231')
  })
})
