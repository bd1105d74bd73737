import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/env.js'

describe('loadConfig (DESIGN §8)', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/assent.sqlite',
      dataDir: './data',
      allowedReturnUrls: ['http://localhost:3000'],
      demo: undefined,
      requestTtlSeconds: 600,
      requestRetentionSeconds: 86_400,
    })
    expect(config.publicUrl.href).toBe('http://localhost:3000/')
  })

  it('names every bad variable', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        ASSENT_DEMO: 'maybe',
        ASSENT_PUBLIC_URL: 'ftp://x',
      })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      const problems = (error as ConfigError).problems.join('\n')
      for (const name of ['PORT', 'DATABASE_URL', 'ASSENT_DEMO', 'ASSENT_PUBLIC_URL'])
        expect(problems).toContain(name)
    }
  })

  it('reads the request retention, and refuses one too short to read an answer in', () => {
    expect(loadConfig({ ASSENT_REQUEST_RETENTION_SECONDS: '7200' }).requestRetentionSeconds).toBe(
      7200,
    )
    for (const bad of ['60', 'a day', '1.5', '-1'])
      expect(() => loadConfig({ ASSENT_REQUEST_RETENTION_SECONDS: bad })).toThrow(
        /ASSENT_REQUEST_RETENTION_SECONDS/,
      )
  })

  it('requires the JWKS URL and the issuer together', () => {
    expect(() =>
      loadConfig({ ASSENT_MGMT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json' }),
    ).toThrow(/ASSENT_MGMT_ISSUER/)
  })

  it('reads lists and flags', () => {
    const config = loadConfig({
      PORT: '8080',
      ASSENT_ALLOWED_RETURN_URLS: 'https://a.example/resume, https://b.example/',
      ASSENT_DEMO: '0',
      DATABASE_URL: 'sqlite:/var/lib/assent/db.sqlite',
    })
    expect(config.allowedReturnUrls).toEqual(['https://a.example/resume', 'https://b.example/'])
    expect(config.demo).toBe(false)
    expect(config.dataDir).toBe('/var/lib/assent')
    expect(config.publicUrl.href).toBe('http://localhost:8080/')
  })
})
