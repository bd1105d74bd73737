import { describe, expect, it } from 'vitest'
import { isAllowedReturnTo } from '../../src/consent/index.js'

const allowed = ['https://as.example.com/resume', 'http://localhost:4000']

describe('isAllowedReturnTo (DESIGN §3.1)', () => {
  it.each([
    ['https://as.example.com/resume', true],
    ['https://as.example.com/resume/abc?x=1', true],
    ['https://as.example.com/resume?x=1', true],
    ['http://localhost:4000/anything', true],
    ['https://as.example.com/resumes', false],
    ['https://as.example.com/other', false],
    ['https://as.example.com.evil.com/resume', false],
    ['https://as.example.com@evil.com/resume', false],
    ['https://user:pw@as.example.com/resume', false],
    ['http://as.example.com/resume', false],
    ['http://localhost:4001/', false],
    ['javascript:alert(1)//as.example.com/resume', false],
    ['//as.example.com/resume', false],
    ['', false],
    ['https://as.example.com/resume/..%2f..%2fadmin', false],
    ['https://as.example.com/resume/..%2F..%2Fadmin', false],
    ['https://as.example.com/resume/..%5cadmin', false],
    ['https://as.example.com/resume/%2e%2e/admin', false],
    ['https://as.example.com/resume/abc?next=%2f', true],
  ])('%s → %s', (url, ok) => {
    expect(isAllowedReturnTo(url, allowed)).toBe(ok)
  })
})
