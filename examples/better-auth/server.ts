/**
 * Runs the Better Auth example (http://localhost:4100) and a client app (http://localhost:4101)
 * against a running Assent, and registers what they need in both.
 *
 *   npm start                                   # Assent with its demo data, in one terminal
 *   npx tsx examples/better-auth/server.ts      # then open http://localhost:4101
 */
import { existsSync, readFileSync } from 'node:fs'
import { DEMO } from '../../src/services/demo.js'
import { startRelyingParty } from '../oidc-provider/relying-party.js'
import { startBetterAuthServer } from './authorization-server.js'

const assentUrl = process.env.ASSENT_URL ?? 'http://localhost:3000'
const token =
  process.env.ASSENT_TOKEN ??
  (existsSync('data/admin-token') ? readFileSync('data/admin-token', 'utf8').trim() : undefined)
if (!token)
  throw new Error(
    'Set ASSENT_TOKEN to a management token (npm start keeps the admin token in data/admin-token)',
  )

const AS_PORT = Number(process.env.AS_PORT ?? 4100)
const RP_PORT = Number(process.env.RP_PORT ?? 4101)
const redirectUri = `http://localhost:${RP_PORT}/callback`
const returnUrl = `http://localhost:${AS_PORT}/consent/return`

async function assent(method: string, path: string, body?: unknown) {
  const res = await fetch(`${assentUrl}/api/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  })
  return { status: res.status, body: (await res.text()) || '' }
}

// Consent answers must be allowed to come back to this server.
const settings = JSON.parse((await assent('GET', '/tenants/settings')).body) as {
  allowed_return_urls?: string[]
}
const allowed = settings.allowed_return_urls ?? [new URL(assentUrl).origin]
if (!allowed.includes(returnUrl))
  await assent('PATCH', '/tenants/settings', { allowed_return_urls: [...allowed, returnUrl] })

const as = await startBetterAuthServer({
  host: 'localhost',
  port: AS_PORT,
  assent: { url: assentUrl, token },
  audience: DEMO.audience,
  // A fresh database each run: the client below is registered anew.
  databasePath: ':memory:',
})
// Better Auth makes the client id; Assent learns the client under that same id.
const client = await as.createClient({ name: 'Better Example App', redirectUri })
const created = await assent('POST', '/clients', {
  client_id: client.clientId,
  name: 'Better Example App',
  callbacks: [redirectUri],
})
if (created.status !== 201)
  throw new Error(`Could not register the client in Assent: ${created.status} ${created.body}`)

const rp = await startRelyingParty({
  host: 'localhost',
  port: RP_PORT,
  issuer: as.issuer,
  clientId: client.clientId,
  clientSecret: client.clientSecret,
  scope: 'openid profile read:messages write:messages read:contacts',
})
console.log(
  `Better Auth:  ${as.issuer}\nClient app:   ${rp.url}  ← open this, sign in with any name`,
)
