import type { LookupAddress } from 'node:dns'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { postWebhook } from '../../src/services/webhooks/http.js'
import {
  classifyAddress,
  pinnedLookup,
  refusedAddress,
  resolveTarget,
} from '../../src/services/webhooks/targets.js'
import { refusedWebhookUrl } from '../../src/services/webhooks/webhooks.js'

/** Every spelling of a non-public host that must be refused when it is registered. */
const REFUSED_HOSTS = [
  ['127.0.0.1', 'loopback'],
  ['2130706433', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['0x7f.1', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['127.1', 'loopback'],
  ['127.0.0.1.', 'loopback'],
  ['[::1]', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback'],
  ['[::ffff:7f00:1]', 'loopback'],
  ['[::7f00:1]', 'loopback'],
  ['[0:0:0:0:0:ffff:169.254.169.254]', 'linkLocal'],
  ['169.254.169.254', 'linkLocal'],
  ['[fe80::1]', 'linkLocal'],
  ['10.0.0.1', 'private'],
  ['172.16.5.4', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['[fd00::1]', 'uniqueLocal'],
  ['0.0.0.0', 'unspecified'],
  ['0', 'unspecified'],
  ['[::]', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['224.0.0.1', 'multicast'],
  ['[ff02::1]', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['[64:ff9b::a00:1]', 'private'],
  ['[2002:a9fe:a9fe::1]', 'linkLocal'],
] as const

describe('webhook URLs at registration (DESIGN §3.8)', () => {
  it.each(REFUSED_HOSTS)('refuses https://%s/ (%s)', (host, range) => {
    const refused = refusedWebhookUrl(`https://${host}/hooks`, false)
    expect(refused).toMatch(/^must point at a public address: /)
    expect(refused).toContain(range)
  })

  it.each(['https://localhost/hooks', 'https://LOCALHOST./hooks', 'https://hooks.localhost/x'])(
    'refuses the name of this machine: %s',
    (url) => {
      expect(refusedWebhookUrl(url, false)).toMatch(/this machine/)
    },
  )

  it.each([
    'https://hooks.example/x',
    'https://93.184.215.14/x',
    'https://[2606:4700:4700::1111]/x',
    'https://[::ffff:93.184.215.14]/x',
    'https://[64:ff9b::5db8:d70e]/x',
  ])('accepts a public host: %s', (url) => {
    expect(refusedWebhookUrl(url, false)).toBeNull()
  })

  it('refuses http:, credentials and what is not a URL', () => {
    expect(refusedWebhookUrl('http://hooks.example/x', false)).toBe('must be an https: URL')
    expect(refusedWebhookUrl('ftp://hooks.example/x', false)).toBe('must be an https: URL')
    expect(refusedWebhookUrl('https://u:p@hooks.example/x', false)).toMatch(/password/)
    expect(refusedWebhookUrl('not a url', false)).toBe('must be an https: URL')
  })

  it('with the loopback flag, allows loopback (http: too) and nothing else that is not public', () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://0x7f.1:9/x',
      'http://[::1]:9/x',
      'http://localhost:9/x',
      'https://127.0.0.1/x',
    ])
      expect(refusedWebhookUrl(url, true)).toBeNull()
    expect(refusedWebhookUrl('http://hooks.example/x', true)).toBe('must be an https: URL')
    expect(refusedWebhookUrl('http://10.0.0.1/x', true)).toMatch(/private/)
    expect(refusedWebhookUrl('https://169.254.169.254/x', true)).toMatch(/linkLocal/)
  })
})

describe('addresses at delivery', () => {
  it('classifies through the IPv6 forms that carry IPv4', () => {
    expect(classifyAddress('::ffff:7f00:1')).toEqual({
      range: 'loopback',
      embedded: { address: '127.0.0.1', form: 'IPv4-mapped' },
    })
    // IPv4-compatible is deprecated: refused even when what it carries is public.
    expect(classifyAddress('::5db8:d70e')?.range).toBe('ipv4Compatible')
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:a247:28f1')?.range).toBe('unicast')
    // Teredo whose client (bits inverted) is 10.0.0.1.
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:f5ff:fffe')?.range).toBe('private')
    expect(classifyAddress('64:ff9b:1::a00:1')?.range).toBe('rfc6052')
    expect(classifyAddress('hooks.example')).toBeUndefined()
  })

  it('allows public unicast only; loopback too with the flag', () => {
    expect(refusedAddress('93.184.215.14', false)).toBeNull()
    expect(refusedAddress('2606:4700:4700::1111', false)).toBeNull()
    expect(refusedAddress('127.0.0.1', false)).toBe('127.0.0.1 is loopback, not a public address')
    expect(refusedAddress('::ffff:a00:1', true)).toBe(
      '::ffff:a00:1 is private (IPv4-mapped 10.0.0.1), not a public address',
    )
    expect(refusedAddress('127.0.0.1', true)).toBeNull()
    expect(refusedAddress('::1', true)).toBeNull()
    expect(refusedAddress('fe80::1', true)).toMatch(/linkLocal/)
  })

  const resolver =
    (table: Record<string, string[]>) =>
    async (host: string): Promise<LookupAddress[]> =>
      (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))

  it('refuses a name when any of its addresses is not public', async () => {
    const resolve = resolver({
      'rebind.example': ['93.184.215.14', '127.0.0.1'],
      'public.example': ['93.184.215.14', '2606:4700:4700::1111'],
      'metadata.example': ['::ffff:169.254.169.254'],
    })
    const check = (url: string) => resolveTarget(new URL(url), { resolve, allowLoopback: false })
    expect(await check('https://rebind.example/x')).toEqual({
      ok: false,
      reason: 'refused: 127.0.0.1 is loopback, not a public address',
    })
    expect(await check('https://metadata.example/x')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('linkLocal (IPv4-mapped 169.254.169.254)'),
    })
    expect(await check('https://nowhere.example/x')).toEqual({
      ok: false,
      reason: 'nowhere.example has no address',
    })
    expect(await check('https://public.example/x')).toMatchObject({ ok: true })
  })

  it('refuses localhost as the system resolves it', async () => {
    const target = await resolveTarget(new URL('https://localhost/x'), {
      resolve: (host) => import('node:dns/promises').then((dns) => dns.lookup(host, { all: true })),
      allowLoopback: false,
    })
    expect(target).toMatchObject({ ok: false, reason: expect.stringMatching(/is loopback/) })
  })

  it('sends http: to loopback only, even with the flag', async () => {
    const resolve = resolver({ localhost: ['127.0.0.1', '93.184.215.14'] })
    expect(
      await resolveTarget(new URL('http://localhost:9/x'), { resolve, allowLoopback: true }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/loopback only/) })
  })

  it('connects to the checked address, whatever the name would resolve to, keeping the name as Host', async () => {
    const hosts: (string | undefined)[] = []
    const server = createServer((req, res) => {
      hosts.push(req.headers.host)
      res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end('moved')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      // `.invalid` never resolves (RFC 6761): only the pinned address can be reached.
      const status = await postWebhook(
        new URL(`http://hooks.invalid:${port}/hooks`),
        [{ address: '127.0.0.1', family: 4 }],
        { 'content-type': 'application/json' },
        '{}',
        AbortSignal.timeout(5_000),
      )
      // A redirect is an answer, not followed.
      expect(status).toBe(302)
      expect(hosts).toEqual([`hooks.invalid:${port}`])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('answers the lookup of one address or of all', () => {
    const lookup = pinnedLookup([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ])
    const one: unknown[] = []
    lookup('anything.example', {}, (...args) => one.push(...args))
    expect(one).toEqual([null, '93.184.215.14', 4])
    const all: unknown[] = []
    lookup('anything.example', { all: true }, (...args) => all.push(...args))
    expect(all).toEqual([
      null,
      [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700:4700::1111', family: 6 },
      ],
    ])
  })
})
