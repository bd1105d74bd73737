/**
 * Runs the example authorization server (http://localhost:4000) and a client app
 * (http://localhost:4001) against a running Assent, and registers what they need in it.
 *
 *   ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK=1 npm start   # Assent with its demo data, in one terminal
 *   npx tsx examples/oidc-provider/server.ts         # then open http://localhost:4001
 *
 * Without ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK=1 Assent sends webhooks to https: URLs only, and
 * this authorization server does not hear when a user removes the app in Assent.
 *
 * A device can sign in too (RFC 8628): the TV below is registered as `example-tv`; the commands
 * printed at start show how to start a device sign-in and poll for its token. Apps may register
 * themselves at http://localhost:4000/reg (RFC 7591) and are registered in Assent as
 * self-registered.
 *
 * The authorization server keeps its Grants, sessions and refresh tokens in
 * data/oidc-provider-example.sqlite (AS_DATABASE to change it), so stopping and starting it
 * signs nobody out and forgets no consent.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { DEMO } from '../../src/services/demo.js'
import { startAuthorizationServer } from './authorization-server.js'
import { startRelyingParty } from './relying-party.js'

const assentUrl = process.env.ASSENT_URL ?? 'http://localhost:3000'
const token =
  process.env.ASSENT_TOKEN ??
  (existsSync('data/admin-token') ? readFileSync('data/admin-token', 'utf8').trim() : undefined)
if (!token)
  throw new Error(
    'Set ASSENT_TOKEN to a management token (npm start keeps the admin token in data/admin-token)',
  )

const AS_PORT = Number(process.env.AS_PORT ?? 4000)
const databasePath = process.env.AS_DATABASE ?? 'data/oidc-provider-example.sqlite'
mkdirSync(dirname(databasePath), { recursive: true })
const RP_PORT = Number(process.env.RP_PORT ?? 4001)
const client = { client_id: 'example-app', client_secret: 'example-app-secret' }
const redirectUri = `http://localhost:${RP_PORT}/callback`

async function assent(method: string, path: string, body?: unknown) {
  const res = await fetch(`${assentUrl}/api/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  })
  return { status: res.status, body: (await res.text()) || '' }
}

// Assent must know the client, and let consent answers return to this authorization server.
const created = await assent('POST', '/clients', {
  ...{ client_id: client.client_id },
  name: 'Example App',
  callbacks: [redirectUri],
})
if (created.status === 409)
  await assent('PATCH', `/clients/${client.client_id}`, { callbacks: [redirectUri] })
else if (created.status !== 201)
  throw new Error(`Could not register the client in Assent: ${created.status} ${created.body}`)
// A device signs in with no redirect URI: Assent knows it by id and name (DESIGN §3.10).
const tv = await assent('POST', '/clients', { client_id: 'example-tv', name: 'Example TV' })
if (tv.status !== 201 && tv.status !== 409)
  throw new Error(`Could not register the TV in Assent: ${tv.status} ${tv.body}`)
const settings = JSON.parse((await assent('GET', '/tenants/settings')).body) as {
  allowed_return_urls?: string[]
}
// Consent answers return to the AS; the connected-apps page links back to the client app.
const returnUrls = [`http://localhost:${AS_PORT}/interaction/`, `http://localhost:${RP_PORT}/`]
const allowed = settings.allowed_return_urls ?? [new URL(assentUrl).origin]
const missing = returnUrls.filter((url) => !allowed.includes(url))
if (missing.length > 0)
  await assent('PATCH', '/tenants/settings', { allowed_return_urls: [...allowed, ...missing] })

// Assent tells the AS when a user removes the app. A secret is shown only when an endpoint is
// registered, so it is kept beside the AS's database: a restart keeps the endpoint, and with it
// the events Assent could not deliver while the AS was down. An endpoint without a kept secret
// is replaced.
const hookUrl = `http://localhost:${AS_PORT}/assent/webhooks`
const secretFile = `${databasePath}.webhook-secret.json`
const kept = existsSync(secretFile)
  ? (JSON.parse(readFileSync(secretFile, 'utf8')) as { id: string; secret: string })
  : undefined
const hooks = JSON.parse((await assent('GET', '/webhooks')).body || '[]') as {
  id: string
  url: string
}[]
const ours = hooks.filter((hook) => hook.url === hookUrl)
let webhookSecret = ours.some((hook) => hook.id === kept?.id) ? kept?.secret : undefined
if (!webhookSecret) {
  for (const old of ours) await assent('DELETE', `/webhooks/${old.id}`)
  const hook = await assent('POST', '/webhooks', {
    url: hookUrl,
    events: ['grant.revoked', 'grant.deleted'],
  })
  const registered =
    hook.status === 201 ? (JSON.parse(hook.body) as { id: string; secret: string }) : undefined
  webhookSecret = registered?.secret
  if (registered)
    writeFileSync(secretFile, JSON.stringify({ id: registered.id, secret: registered.secret }), {
      mode: 0o600,
    })
  else
    console.warn(
      `No webhook registered (${hook.status}): start Assent with ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK=1`,
    )
}

const as = await startAuthorizationServer({
  host: 'localhost',
  port: AS_PORT,
  assent: { url: assentUrl, token, ...(webhookSecret ? { webhookSecret } : {}) },
  defaultAudience: DEMO.audience,
  portalReturnTo: `http://localhost:${RP_PORT}/`,
  databasePath,
  clients: [
    {
      ...client,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    {
      client_id: 'example-tv',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      response_types: [],
      redirect_uris: [],
    },
  ],
})
const rp = await startRelyingParty({
  host: 'localhost',
  port: RP_PORT,
  issuer: as.issuer,
  clientId: client.client_id,
  clientSecret: client.client_secret,
  scope: 'openid profile read:messages write:messages read:contacts',
})
console.log(
  `Authorization server: ${as.issuer}\nClient app:           ${rp.url}  ← open this, sign in with any name`,
)
console.log(`
A device sign-in, as a TV would start it (then enter its code at ${as.issuer}/device):
  curl -d client_id=example-tv -d scope='openid read:messages' ${as.issuer}/device/auth
and poll for its token with the device_code it answered:
  curl -d grant_type=urn:ietf:params:oauth:grant-type:device_code -d client_id=example-tv \\
       -d device_code=… ${as.issuer}/token`)
