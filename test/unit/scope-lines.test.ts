import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { paths } from '../../src/config/paths.js'
import {
  ambiguousResources,
  descriptionLines,
  effectiveScopes,
  groupedLines,
  type PromptLine,
  pickScopes,
  promptLines,
  STANDARD_SCOPES,
  standaloneScopes,
} from '../../src/consent/index.js'
import type { Translator } from '../../src/i18n/i18n.js'
import { createI18n, loadLocaleResources } from '../../src/i18n/i18n.js'
import { linesText } from '../../src/i18n/lines.js'
import { api } from '../support/domain.js'

const i18n = createI18n(loadLocaleResources(paths.locales))
const en = i18n.translator('en')
const fr = i18n.translator('fr')

/** The words of each line, whoever wrote them. */
const texts = (lines: readonly PromptLine[], tr: Translator) =>
  linesText(lines, tr).map((line) => line.map((segment) => segment.text).join(''))

describe('grouped mode (DESIGN §1.3)', () => {
  it.each([
    ['read:messages write:messages', 'Messages: read and write your messages'],
    ['read:messages', 'Messages: read your messages'],
    ['read:posts write:posts delete:posts', 'Posts: read, write, and delete your posts'],
    ['read:calendar_events', 'Calendar events: read your calendar events'],
    ['read:users:admin', 'Users admin: read your users admin'],
    ['admin', 'admin'],
    ['read:user-settings', 'User settings: read your user settings'],
    ['approve:invoices', 'Invoices: approve your invoices'],
  ])('%s → %s', (scopes, line) => {
    expect(texts(groupedLines(scopes.split(' ')), en)).toEqual([line])
  })

  it('returns keys and values, never text', () => {
    expect(groupedLines(['read:calendar_events', 'frobnicate:calendar_events'])).toEqual([
      {
        kind: 'resource',
        key: 'line.resource',
        scopes: ['read:calendar_events', 'frobnicate:calendar_events'],
        heading: 'Calendar events',
        resource: 'calendar events',
        actions: [
          { kind: 'known', key: 'actions.read' },
          { kind: 'raw', text: 'frobnicate' },
        ],
      },
    ])
  })

  it('reads naturally in French', () => {
    expect(texts(groupedLines(['read:messages', 'write:messages']), fr)).toEqual([
      'Messages\u202F: lire et écrire vos messages',
    ])
  })

  describe('with resource labels (DESIGN §4.2)', () => {
    const labels = {
      messages: {
        de: { heading: 'Nachrichten', noun: 'Ihre Nachrichten' },
        fr: { heading: 'Messages', noun: 'vos messages' },
        ja: { heading: 'メッセージ', noun: 'メッセージ' },
        tr: { heading: 'Mesajlar', noun: 'mesajlarınızı' },
        'zh-CN': { heading: '消息', noun: '您的消息' },
        'pt-PT': { heading: 'Mensagens', noun: 'as suas mensagens' },
      },
    }
    const lines = (locale: string, scopes = ['read:messages', 'write:messages']) =>
      texts(groupedLines(scopes, [], labels, locale), i18n.translator(locale))

    it.each([
      ['de', 'Nachrichten: Ihre Nachrichten lesen und schreiben'],
      ['fr', 'Messages\u202F: lire et écrire vos messages'],
      ['ja', 'メッセージ：メッセージの読み取り、書き込み'],
      ['tr', 'Mesajlar: mesajlarınızı okuma ve yazma'],
      ['zh-CN', '消息：读取和写入您的消息'],
      // The same language, another country: Portuguese words rather than the admin's English.
      ['pt-BR', 'Mensagens: ler e escrever as suas mensagens'],
    ])('%s reads entirely in its language', (locale, line) => {
      expect(lines(locale)).toEqual([line])
    })

    it('falls back to the admin words in a sentence where no label fits', () => {
      expect(lines('it')).toEqual(['Messages: leggere e scrivere messages nel Suo account'])
      // Simplified characters are never shown on a Traditional page.
      expect(lines('zh-TW')).toEqual(['Messages：讀取和寫入您的 messages'])
      expect(lines('de', ['read:contacts'])).toEqual(['Contacts: Ihre contacts lesen'])
    })

    it('returns the label as values of line.labelled', () => {
      expect(groupedLines(['read:messages'], [], labels, 'de')[0]).toMatchObject({
        key: 'line.labelled',
        label: { heading: 'Nachrichten', noun: 'Ihre Nachrichten' },
      })
    })

    it('keeps the API words isolated, like every word an admin wrote', () => {
      const [line] = linesText(
        groupedLines(['read:messages'], [], labels, 'de'),
        i18n.translator('de'),
      )
      expect(line).toEqual([
        { text: 'Nachrichten', isolate: true },
        { text: ': ', isolate: false },
        { text: 'Ihre Nachrichten', isolate: true },
        { text: ' lesen', isolate: false },
      ])
    })
  })

  it('keeps the words an admin wrote apart, to be isolated, in every locale', () => {
    const lines = groupedLines(['read:calendar_events', 'frobnicate:calendar_events', 'profile'])
    const mine = (text: string) => ({ text, isolate: false })
    const theirs = (text: string) => ({ text, isolate: true })
    expect(linesText(lines, en)).toEqual([
      [
        theirs('Calendar events'),
        mine(': read and '),
        theirs('frobnicate'),
        mine(' your '),
        theirs('calendar events'),
      ],
      [mine('Profile: access your name and picture')],
    ])
    const ar = i18n.translator('ar')
    const [line] = linesText(lines, ar)
    expect(line?.filter((segment) => segment.isolate).map((segment) => segment.text)).toEqual([
      'Calendar events',
      'frobnicate',
      'calendar events',
    ])
    // No Unicode isolates inside the text: the view's <bdi> does that.
    expect(line?.some((segment) => /[\u2066-\u2069]/.test(segment.text))).toBe(false)
    const described = descriptionLines(
      ['read:messages'],
      api([{ value: 'read:messages', description: 'Lire' }]),
      'en',
    )
    expect(linesText(described, en)).toEqual([[theirs('Lire')]])
  })

  it('gives standard scopes their fixed lines, and openid none', () => {
    expect(texts(groupedLines([...STANDARD_SCOPES]), en)).toEqual([
      'Profile: access your name and picture',
      'Email: access your email address',
      'Address: access your postal address',
      'Phone: access your phone number',
      'Offline access: keep access when you are not using the app',
    ])
  })

  it('orders lines by the first scope of each resource, actions in API order', () => {
    const messages = api(['write:messages', 'read:contacts', 'read:messages', 'admin'])
    const { effective } = effectiveScopes({
      requested: ['admin', 'read:messages', 'read:contacts', 'write:messages', 'openid'],
      api: messages,
      permissions: new Set(),
      granted: [],
    })
    expect(texts(groupedLines(effective), en)).toEqual([
      'Messages: write and read your messages',
      'Contacts: read your contacts',
      'admin',
    ])
  })
})

describe('descriptions mode (DESIGN §1.4)', () => {
  const messages = api([
    {
      value: 'read:messages',
      description: 'Read your messages',
      descriptions: { fr: 'Lire vos messages', 'pt-BR': 'Ler suas mensagens' },
    },
    { value: 'write:messages', description: 'Send messages as you' },
    { value: 'read:contacts', description: '   ' },
    { value: 'admin', description: 'Administer <everything>' },
  ])

  it('lists one line per scope with the admin’s text, falling back to the value', () => {
    const lines = descriptionLines(
      ['openid', 'email', 'read:messages', 'write:messages', 'read:contacts', 'admin'],
      messages,
      'en',
    )
    expect(texts(lines, en)).toEqual([
      'Email: access your email address',
      'Read your messages',
      'Send messages as you',
      'read:contacts',
      'Administer <everything>',
    ])
  })

  it('picks the per-locale description that best fits the page', () => {
    const described = (locale: string) =>
      descriptionLines(['read:messages'], messages, locale).map(
        (line) => (line as { text: string }).text,
      )
    expect(described('fr')).toEqual(['Lire vos messages'])
    expect(described('fr-CA')).toEqual(['Lire vos messages'])
    expect(described('pt-BR')).toEqual(['Ler suas mensagens'])
    expect(described('pt')).toEqual(['Ler suas mensagens'])
    expect(described('de')).toEqual(['Read your messages'])
  })

  it('translates standard scopes', () => {
    expect(texts(descriptionLines(['profile'], messages, 'fr'), fr)).toEqual([
      'Profil\u202F: accéder à votre nom et à votre photo',
    ])
  })
})

describe('every effective scope appears in exactly one line, in both modes (property)', () => {
  const action = fc.constantFrom('read', 'write', 'delete', 'approve', 'manage', 'x')
  const resource = fc.constantFrom('messages', 'contacts', 'calendar_events', 'users:admin', 'a-b')
  const apiScope = fc.oneof(
    fc.tuple(action, resource).map(([a, r]) => `${a}:${r}`),
    fc.constantFrom('admin', 'root', ':odd', 'odd:'),
  )

  it('holds for any API and request', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(apiScope, { maxLength: 20 }),
        fc.array(fc.oneof(apiScope, fc.constantFrom(...STANDARD_SCOPES)), { maxLength: 30 }),
        fc.boolean(),
        (defined, requested, offline) => {
          const theApi = api(defined, { allowOfflineAccess: offline })
          const { effective } = effectiveScopes({
            requested: [...new Set(requested)],
            api: theApi,
            permissions: new Set(),
            granted: [],
          })
          const shown = effective.filter((scope) => scope !== 'openid')
          for (const lines of [
            groupedLines(effective),
            descriptionLines(effective, theApi, 'en'),
          ] as PromptLine[][]) {
            const covered = lines.flatMap((line) => line.scopes)
            expect(covered.sort()).toEqual([...shown].sort())
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('granular split (DESIGN §3.5)', () => {
  const asked = ['openid', 'profile', 'read:messages', 'write:messages', 'delete:messages']

  it('gives each optional scope a line of its own, worded as one action; required ones stay grouped', () => {
    const required = new Set(['openid', 'read:messages', 'delete:messages'])
    const alone = standaloneScopes(true, asked, required)
    expect([...alone]).toEqual(['profile', 'write:messages'])
    const lines = groupedLines(asked, [], undefined, 'en', alone)
    expect(lines.map((line) => line.scopes)).toEqual([
      ['profile'],
      ['read:messages', 'delete:messages'],
      ['write:messages'],
    ])
    expect(texts(lines, en)).toEqual([
      'Profile: access your name and picture',
      'Messages: read and delete your messages',
      'Messages: write your messages',
    ])
  })

  it('lets a user grant read without write', () => {
    const required = new Set(['openid'])
    const lines = groupedLines(asked, [], undefined, 'en', standaloneScopes(true, asked, required))
    expect(texts(lines, en)).toEqual([
      'Profile: access your name and picture',
      'Messages: read your messages',
      'Messages: write your messages',
      'Messages: delete your messages',
    ])
    expect(pickScopes({ asked, lines, required, checked: ['read:messages'] })).toEqual({
      granted: ['openid', 'read:messages'],
      declined: ['profile', 'write:messages', 'delete:messages'],
    })
  })

  it('splits nothing when the user cannot pick', () => {
    expect(standaloneScopes(false, asked, new Set()).size).toBe(0)
    expect(promptLines('grouped', asked, null, 'en', new Set()).map((l) => l.scopes)).toEqual([
      ['profile'],
      ['read:messages', 'write:messages', 'delete:messages'],
    ])
  })

  it('never ties an optional scope to another scope, for any request (property)', () => {
    const scope = fc.tuple(
      fc.constantFrom('read', 'write', 'delete'),
      fc.constantFrom('messages', 'contacts'),
    )
    fc.assert(
      fc.property(
        fc.uniqueArray(scope.map(([a, r]) => `${a}:${r}`)),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (scopes, flags) => {
          const required = new Set(scopes.filter((_, i) => flags[i]))
          const lines = groupedLines(
            scopes,
            [],
            undefined,
            'en',
            standaloneScopes(true, scopes, required),
          )
          expect(lines.flatMap((line) => line.scopes).sort()).toEqual([...scopes].sort())
          for (const line of lines)
            if (line.scopes.some((s) => !required.has(s))) expect(line.scopes).toHaveLength(1)
        },
      ),
    )
  })
})

describe('two resources that would read the same (issue: two scopes, two lines)', () => {
  it('keeps read:calendar_events and read:calendar-events on two lines with different text', () => {
    const text = texts(groupedLines(['read:calendar_events', 'read:calendar-events']), en)
    expect(text).toEqual([
      'calendar_events: read your calendar_events',
      'calendar-events: read your calendar-events',
    ])
    expect(new Set(text).size).toBe(2)
  })

  it('names the raw resource on every prompt of an API that defines both, asked one at a time', () => {
    const known = ['read:calendar_events', 'read:calendar-events', 'read:messages']
    const first = texts(groupedLines(['read:calendar_events'], known), en)
    const second = texts(groupedLines(['read:calendar-events'], known), en)
    expect(first).toEqual(['calendar_events: read your calendar_events'])
    expect(second).toEqual(['calendar-events: read your calendar-events'])
    // Resources that collide with nothing keep their friendly words.
    expect(texts(groupedLines(['read:messages'], known), en)).toEqual([
      'Messages: read your messages',
    ])
  })

  it('treats letter case and any run of _ - : as the same words', () => {
    expect([...ambiguousResources(['read:Calendar_Events', 'write:calendar__events'])]).toEqual([
      'Calendar_Events',
      'calendar__events',
    ])
    expect([...ambiguousResources(['read:users:admin', 'read:users-admin', 'read:users'])]).toEqual(
      ['users:admin', 'users-admin'],
    )
    expect(ambiguousResources(['read:messages', 'write:messages', 'openid', 'admin']).size).toBe(0)
  })

  it('passes the API’s scopes through promptLines in grouped mode', () => {
    const calendar = api(['read:calendar_events', 'read:calendar-events'])
    const lines = promptLines('grouped', ['openid', 'read:calendar-events'], calendar, 'en')
    expect(texts(lines, en)).toEqual(['calendar-events: read your calendar-events'])
  })

  it('never lets two different resources of one prompt read the same (property)', () => {
    const resource = fc.constantFrom(
      'calendar_events',
      'calendar-events',
      'Calendar_Events',
      'calendar:events',
      'messages',
      'Messages',
    )
    const action = fc.constantFrom('read', 'write', 'delete')
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(action, resource), { maxLength: 8 }), (pairs) => {
        const scopes = [...new Set(pairs.map(([a, r]) => `${a}:${r}`))]
        const text = texts(groupedLines(scopes), en)
        const resources = new Set(scopes.map((s) => s.slice(s.indexOf(':') + 1)))
        expect(new Set(text).size).toBe(resources.size)
      }),
    )
  })
})
