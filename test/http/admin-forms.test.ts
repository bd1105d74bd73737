import { describe, expect, it } from 'vitest'
import { TOKEN_DIALECTS } from '../../src/consent/index.js'
import { DEMO } from '../../src/services/demo.js'
import { consoleSession } from '../support/console.js'
import { type HtmlForm, htmlForm } from '../support/html-form.js'
import type { Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

// Saving a console form changes only what the form shows (DESIGN §5): each form is read from the
// page as served and posted back as a browser would, and the resource compared before and after.

let t: TestApp
let api: Management
let s: Awaited<ReturnType<typeof consoleSession>>

eachTestApp(async (suite) => {
  ;({ t, api } = suite)
  s = await consoleSession(t)
})

const API_ID = 'rs_demo_messages'
const API_PATH = `/resource-servers/${API_ID}`
const SETTINGS_TAB = `/admin/apis/${API_ID}/settings`
const PERMISSIONS_TAB = `/admin/apis/${API_ID}/permissions`

const html = async (path: string) => {
  const res = await s.get(path)
  expect(res.status).toBe(200)
  return res.text()
}
const formOf = async (path: string, pick: (form: HtmlForm) => boolean) =>
  htmlForm(await html(path), pick)
const get = async (path: string) => {
  const answer = await api('GET', path)
  expect(answer.status).toBe(200)
  return answer.body
}
const patch = async (path: string, body: unknown) => {
  const answer = await api('PATCH', path, body)
  expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  return answer.body
}
const auditTotal = async () => (await get('/logs?include_totals=true')).total as number
const storedApi = () => t.store.resourceServers.find(t.tenant.id, API_ID)

/** The API with every field off its default, those the Settings tab does not show included. */
async function apiOffDefaults(dialect: string, on: boolean) {
  return patch(API_PATH, {
    token_dialect: dialect,
    enforce_policies: on,
    allow_offline_access: !on,
    skip_consent_for_verifiable_first_party_clients: on,
    token_lifetime: 3600,
    signing_alg: 'PS256',
    consent_resources: {
      messages: { fr: { heading: 'Messages', noun: 'vos messages' } },
    },
    scopes: [
      {
        value: 'read:messages',
        description: 'Read your messages',
        descriptions: { fr: 'Lire vos messages' },
      },
      { value: 'write:messages', description: 'Send messages' },
      { value: 'read:contacts', description: 'Read your contacts' },
    ],
  })
}

describe('console forms: the API Settings tab', () => {
  it('shows the stored dialect and switches, and posted back as served changes nothing', async () => {
    for (const [index, dialect] of TOKEN_DIALECTS.entries()) {
      const on = index % 2 === 0
      const before = await apiOffDefaults(dialect, on)
      const stored = await storedApi()
      const logs = await auditTotal()
      const form = await formOf(SETTINGS_TAB, (f) => f.action === SETTINGS_TAB)
      const entries = form.entries()
      expect(entries.filter(([name]) => name === 'token_dialect')).toEqual([
        ['token_dialect', dialect],
      ])
      const ticked = (name: string) => entries.some(([n, v]) => n === name && v === 'on')
      expect(ticked('enforce_policies')).toBe(on)
      expect(ticked('allow_offline_access')).toBe(!on)
      expect(ticked('skip_consent')).toBe(on)

      t.clock.advance(1000)
      const res = await s.submit(form)
      expect(res.status).toBe(303)
      expect(await get(API_PATH)).toEqual(before)
      // Nothing was changed, so nothing was written: not even the update time, nor the audit.
      expect(await storedApi()).toEqual(stored)
      expect(await auditTotal()).toBe(logs)
    }
  })

  it('sets each of the four dialects through its one control, and only the dialect', async () => {
    await apiOffDefaults('rfc9068_profile_authz', true)
    for (const dialect of TOKEN_DIALECTS) {
      const before = await get(API_PATH)
      const form = await formOf(SETTINGS_TAB, (f) => f.action === SETTINGS_TAB)
      expect((await s.submit(form, { token_dialect: dialect })).status).toBe(303)
      expect(await get(API_PATH)).toEqual({ ...before, token_dialect: dialect })
      const shown = await formOf(SETTINGS_TAB, (f) => f.action === SETTINGS_TAB)
      expect(shown.entries()).toContainEqual(['token_dialect', dialect])
    }
    const page = await html(SETTINGS_TAB)
    // Labelled in words, each value once.
    for (const label of [
      '>Access token (Auth0)<',
      '>Access token (Auth0), with a permissions claim<',
      '>RFC 9068 JWT profile<',
      '>RFC 9068 JWT profile, with a permissions claim<',
    ])
      expect(page).toContain(label)
    expect(page.match(/<option value="(access_token|rfc9068_profile)(_authz)?"/g)).toHaveLength(4)
  })

  it('refuses a dialect that is not one, in the Management API’s words, and changes nothing', async () => {
    const before = await apiOffDefaults('rfc9068_profile_authz', true)
    const form = await formOf(SETTINGS_TAB, (f) => f.action === SETTINGS_TAB)
    const res = await s.submit(form, { token_dialect: 'jwt', enforce_policies: false })
    expect(res.status).toBe(400)
    const page = await res.text()
    const reason = /id="token_dialect-error">([^<]*)</.exec(page)?.[1]
    expect(reason).toBe(
      'must be one of access_token, access_token_authz, rfc9068_profile, rfc9068_profile_authz',
    )
    const refused = await api('PATCH', API_PATH, { token_dialect: 'jwt' })
    expect(refused.status).toBe(400)
    expect(refused.body.message).toBe(
      `Payload validation error: '${reason}' on property token_dialect.`,
    )
    expect(await get(API_PATH)).toEqual(before)
    // The form comes back with the admin's other input, and a real dialect in the control.
    const again = htmlForm(page, (f) => f.action === SETTINGS_TAB).entries()
    expect(again).toContainEqual(['token_dialect', 'rfc9068_profile_authz'])
    expect(again).not.toContainEqual(['enforce_policies', 'on'])
  })

  it('unticks a switch, and a post that carries one field changes only that field', async () => {
    const before = await apiOffDefaults('access_token_authz', true)
    const form = await formOf(SETTINGS_TAB, (f) => f.action === SETTINGS_TAB)
    expect((await s.submit(form, { enforce_policies: false })).status).toBe(303)
    expect(await get(API_PATH)).toEqual({ ...before, enforce_policies: false })
    // Without a field (an old page, another tool), the field is not on the form: kept.
    expect((await s.post(SETTINGS_TAB, { name: 'Mail' })).status).toBe(303)
    expect(await get(API_PATH)).toEqual({ ...before, enforce_policies: false, name: 'Mail' })
    // A hidden `off` with no box ticked is "shown, unticked".
    expect((await s.post(SETTINGS_TAB, { skip_consent: 'off' })).status).toBe(303)
    expect(await get(API_PATH)).toMatchObject({
      skip_consent_for_verifiable_first_party_clients: false,
      token_dialect: 'access_token_authz',
    })
  })
})

describe('console forms: the API Permissions tab', () => {
  const withButton = (name: string, value: string) => (f: HtmlForm) =>
    f.action.startsWith(PERMISSIONS_TAB) && f.entries({ name, value }).some(([n]) => n === name)

  it('the add form posted as served adds nothing; move and delete change only their permission', async () => {
    const before = await apiOffDefaults('rfc9068_profile', true)
    const add = await formOf(
      PERMISSIONS_TAB,
      (f) => f.attrs.get('aria-label') === 'Add a permission',
    )
    expect((await s.submit(add)).status).toBe(400)
    expect(await get(API_PATH)).toEqual(before)

    const page = await html(PERMISSIONS_TAB)
    const move = htmlForm(
      page,
      (f) => withButton('move', 'up')(f) && f.entries().some(([, v]) => v === 'write:messages'),
    )
    expect((await s.submit(move, {}, { name: 'move', value: 'up' })).status).toBe(303)
    const [read, write, contacts] = before.scopes
    expect(await get(API_PATH)).toEqual({ ...before, scopes: [write, read, contacts] })

    const remove = htmlForm(await html(PERMISSIONS_TAB), withButton('delete', 'read:contacts'))
    expect((await s.submit(remove, {}, { name: 'delete', value: 'read:contacts' })).status).toBe(
      303,
    )
    expect(await get(API_PATH)).toEqual({ ...before, scopes: [write, read] })
  })

  it('the edit form posted as served rewrites nothing; a new description changes only that', async () => {
    const before = await apiOffDefaults('access_token', false)
    const stored = await storedApi()
    const edit = `${PERMISSIONS_TAB}/edit`
    const page = `${edit}?value=read%3Amessages`
    const form = await formOf(page, (f) => f.action === edit)
    t.clock.advance(1000)
    expect((await s.submit(form)).status).toBe(303)
    expect(await get(API_PATH)).toEqual(before)
    expect(await storedApi()).toEqual(stored)

    expect((await s.submit(form, { description: 'Read all your messages' })).status).toBe(303)
    const [read, ...rest] = before.scopes
    expect(await get(API_PATH)).toEqual({
      ...before,
      scopes: [{ ...read, description: 'Read all your messages' }, ...rest],
    })
  })
})

describe('console forms: a client', () => {
  const CLIENT_PATH = `/clients/${DEMO.clientId}`
  const PAGE = `/admin/clients/${DEMO.clientId}`
  const SAVE = { name: 'intent', value: 'save' }
  const isSettings = (f: HtmlForm) => f.attrs.get('aria-label') === 'Client settings'

  async function clientOffDefaults(firstParty: boolean) {
    return patch(CLIENT_PATH, {
      description: 'Reads your mail',
      logo_uri: 'https://mail-helper.example/logo.png',
      callbacks: ['https://mail-helper.example/callback', 'https://mail-helper.example/cb2'],
      is_first_party: firstParty,
      app_type: 'spa',
      is_verified: false,
      consent_lifetime: 3600,
    })
  }

  it('posted back as served (saved or previewed) changes nothing, whichever the first-party state', async () => {
    for (const firstParty of [true, false]) {
      const before = await clientOffDefaults(firstParty)
      const stored = await t.store.clients.get(t.tenant.id, DEMO.clientId)
      const form = await formOf(PAGE, isSettings)
      expect(form.entries(SAVE).some(([n, v]) => n === 'is_first_party' && v === 'on')).toBe(
        firstParty,
      )
      t.clock.advance(1000)
      expect((await s.submit(form, {}, SAVE)).status).toBe(303)
      expect(await get(CLIENT_PATH)).toEqual(before)
      expect(await t.store.clients.get(t.tenant.id, DEMO.clientId)).toEqual(stored)
      const previewed = await s.submit(
        form,
        { name: 'Other' },
        { name: 'intent', value: 'preview' },
      )
      expect(previewed.status).toBe(200)
      expect(await get(CLIENT_PATH)).toEqual(before)
    }
  })

  it('changes only the field edited', async () => {
    const before = await clientOffDefaults(true)
    const form = await formOf(PAGE, isSettings)
    expect((await s.submit(form, { is_first_party: false }, SAVE)).status).toBe(303)
    expect(await get(CLIENT_PATH)).toEqual({ ...before, is_first_party: false })
    const next = await formOf(PAGE, isSettings)
    expect(
      (await s.submit(next, { callbacks: 'https://mail-helper.example/only' }, SAVE)).status,
    ).toBe(303)
    expect(await get(CLIENT_PATH)).toEqual({
      ...before,
      is_first_party: false,
      callbacks: ['https://mail-helper.example/only'],
    })
  })
})

describe('console forms: tenant settings', () => {
  const PAGE = '/admin/settings'
  const isSettings = (f: HtmlForm) => f.action === PAGE

  it('posted back as served changes nothing: unset values the page shows are not stored', async () => {
    const before = await get('/tenants/settings')
    const stored = (await t.store.tenants.get(t.tenant.id))?.settings
    expect(stored?.branding?.primary_color).toBeUndefined()
    expect(stored?.enabled_locales).toBeUndefined()
    expect((await s.submit(await formOf(PAGE, isSettings))).status).toBe(303)
    expect(await get('/tenants/settings')).toEqual(before)
    expect((await t.store.tenants.get(t.tenant.id))?.settings).toEqual(stored)
  })

  it('posted back as served keeps every value set through the API, and a change touches only itself', async () => {
    const before = await patch('/tenants/settings', {
      friendly_name: 'Acme Corp',
      picture_url: 'https://acme.example/p.png',
      enabled_locales: ['fr', 'en', 'de'],
      default_locale: 'fr',
      branding: { logo_url: 'https://acme.example/logo.svg', primary_color: '#0E7490' },
      allowed_return_urls: ['https://as.example/resume'],
      consent_lifetime: 86_400,
      flags: { use_scope_descriptions_for_consent: true, some_other_flag: true },
    })
    const form = await formOf(PAGE, isSettings)
    expect(form.entries()).toContainEqual(['use_scope_descriptions_for_consent', 'on'])
    expect(form.entries()).not.toContainEqual(['enable_granular_consent', 'on'])
    expect((await s.submit(form)).status).toBe(303)
    expect(await get('/tenants/settings')).toEqual(before)

    expect((await s.submit(form, { enable_granular_consent: true })).status).toBe(303)
    const flags = { ...before.flags, enable_granular_consent: true }
    expect(await get('/tenants/settings')).toEqual({ ...before, flags })

    const next = await formOf(PAGE, isSettings)
    expect((await s.submit(next, { locale_de: false })).status).toBe(303)
    expect(await get('/tenants/settings')).toEqual({
      ...before,
      flags,
      // In the order the page lists the languages.
      enabled_locales: t.deps.i18n.locales.filter((l) => l === 'en' || l === 'fr'),
    })
  })

  it('the preview’s flag button changes that flag only', async () => {
    const before = await patch('/tenants/settings', {
      flags: { enable_granular_consent: true },
      consent_lifetime: 3600,
    })
    const form = await formOf('/admin/preview', (f) => f.action === '/admin/preview/flag')
    expect((await s.submit(form)).status).toBe(303)
    expect(await get('/tenants/settings')).toEqual({
      ...before,
      flags: { ...before.flags, use_scope_descriptions_for_consent: true },
    })
  })
})

describe('console forms: roles and users', () => {
  const permission = (name: string) => ({
    resource_server_identifier: DEMO.audience,
    permission_name: name,
  })

  it('a role: its form posted as served changes nothing; each remove button removes only its own', async () => {
    const role = (await api('POST', '/roles', { name: 'Reader', description: 'Reads mail' })).body
    const rolePath = `/roles/${role.id}`
    const page = `/admin/roles/${role.id}`
    await api('POST', `${rolePath}/permissions`, {
      permissions: [permission('read:messages'), permission('write:messages')],
    })
    await api('POST', `${rolePath}/users`, { users: ['auth0|a', 'auth0|b'] })
    const state = async () => ({
      role: await get(rolePath),
      permissions: await get(`${rolePath}/permissions`),
      users: await get(`${rolePath}/users`),
    })
    const before = await state()

    const edit = await formOf(page, (f) => f.attrs.get('aria-label') === 'Name and description')
    expect((await s.submit(edit)).status).toBe(303)
    expect(await state()).toEqual(before)

    const add = await formOf(
      page,
      // The picker's API rides along in the address (`?api=`): the only API with permissions.
      (f) => f.action.startsWith(`${page}/permissions?api=`) && f.names.includes('permission'),
    )
    expect((await s.submit(add)).status).toBe(400)
    expect(await state()).toEqual(before)

    const key = `${DEMO.audience} read:messages`
    const removePermission = await formOf(page, (f) =>
      f.entries({ name: 'remove', value: key }).some(([n]) => n === 'remove'),
    )
    expect((await s.submit(removePermission, {}, { name: 'remove', value: key })).status).toBe(303)
    const removeUser = await formOf(page, (f) =>
      f.entries({ name: 'remove', value: 'auth0|a' }).some(([n]) => n === 'remove'),
    )
    expect((await s.submit(removeUser, {}, { name: 'remove', value: 'auth0|a' })).status).toBe(303)
    expect(await state()).toEqual({
      role: before.role,
      permissions: before.permissions.filter(
        (p: { permission_name: string }) => p.permission_name !== 'read:messages',
      ),
      users: before.users.filter((u: { user_id: string }) => u.user_id !== 'auth0|a'),
    })
  })

  it('a user: each remove button removes only its own permission or role', async () => {
    const userPath = `/users/${encodeURIComponent('auth0|bo')}`
    const page = `/admin/users/${encodeURIComponent('auth0|bo')}`
    const [one, two] = await Promise.all(
      ['One', 'Two'].map(async (name) => (await api('POST', '/roles', { name })).body),
    )
    await api('POST', `${userPath}/roles`, { roles: [one.id, two.id] })
    await api('POST', `${userPath}/permissions`, {
      permissions: [permission('read:messages'), permission('read:contacts')],
    })
    const state = async () => ({
      permissions: await get(`${userPath}/permissions`),
      roles: await get(`${userPath}/roles`),
    })
    const before = await state()

    const key = `${DEMO.audience} read:contacts`
    const removePermission = await formOf(page, (f) =>
      f.entries({ name: 'remove', value: key }).some(([n]) => n === 'remove'),
    )
    expect((await s.submit(removePermission, {}, { name: 'remove', value: key })).status).toBe(303)
    const removeRole = await formOf(page, (f) =>
      f.entries({ name: 'remove', value: one.id }).some(([n]) => n === 'remove'),
    )
    expect((await s.submit(removeRole, {}, { name: 'remove', value: one.id })).status).toBe(303)
    expect(await state()).toEqual({
      permissions: before.permissions.filter(
        (p: { permission_name: string }) => p.permission_name !== 'read:contacts',
      ),
      roles: before.roles.filter((r: { id: string }) => r.id !== one.id),
    })
  })
})
