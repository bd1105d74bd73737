import { displayableLink } from '../../consent/index.js'
import type { Actor, Client, ClientChanges, ClientFilter, DurationChoice } from '../../entities.js'
import { AppError, FieldError } from '../../errors.js'
import { newClientId } from '../../ids.js'
import type { Page, Store } from '../../store/port.js'
import type { Audit } from './audit.js'
import {
  checkDisplayName,
  checkDurationChoices,
  checkLifetime,
  checkText,
  checkUrl,
} from './validation.js'

export interface ClientInput {
  readonly name?: string | undefined
  readonly description?: string | undefined
  /** `''` or `null` removes the logo. */
  readonly logoUri?: string | null | undefined
  readonly isFirstParty?: boolean | undefined
  readonly callbacks?: readonly string[] | undefined
  readonly appType?: string | null | undefined
  /** `false`: the prompt warns that the tenant has not verified the app (DESIGN §3.5.2). */
  readonly isVerified?: boolean | undefined
  /** Seconds a grant counts (DESIGN §3.5.1); `null` follows the tenant. */
  readonly consentLifetime?: number | null | undefined
  /** The durations its prompt offers (DESIGN §3.5.1); `null` follows the tenant. */
  readonly consentDurationChoices?: readonly DurationChoice[] | null | undefined
  /** The app's home page, privacy policy and terms; `''` or `null` removes one. */
  readonly clientUri?: string | null | undefined
  readonly policyUri?: string | null | undefined
  readonly tosUri?: string | null | undefined
  /** Auth0's fields kept as sent (DESIGN §4.2.1); on an update they replace the same-named ones. */
  readonly auth0?: Readonly<Record<string, unknown>> | undefined
}

/** Set once, when the client is created: whether it registered itself (DESIGN §3.10). */
export interface NewClientInput extends ClientInput {
  readonly clientId?: string | undefined
  readonly isDynamic?: boolean | undefined
}

/**
 * A link shown to users on the prompt (DESIGN §3.10): `https:`, or `http:` on this machine during
 * development; a `javascript:` or `data:` URL would run in the consent page's origin when clicked.
 */
function checkLink(field: string, value: string | null): string | null {
  const url = value === null ? null : checkUrl(field, value)
  // The rule the page shows a link by: one rule, so a link accepted here is a link shown.
  if (url !== null && displayableLink(url) === null)
    throw new FieldError(
      field,
      'must be an https URL (or http on localhost) without a user name or password',
    )
  return url
}

const firstPartyDynamic = () =>
  new FieldError('is_first_party', 'a self-registered client (is_dynamic) is never first-party')

/** A redirect URI: any absolute URL (native apps use their own schemes, RFC 8252 §7.1). */
function checkCallback(url: string): string {
  let ok = url.length <= 2000
  try {
    new URL(url)
  } catch {
    ok = false
  }
  if (!ok) throw new FieldError('callbacks', `cannot use ${url.slice(0, 60)}: not an absolute URL`)
  return url
}

const notFound = () => new AppError(404, 'inexistent_client', 'The client does not exist')

function checkChanges(input: ClientInput): ClientChanges {
  if (input.callbacks && input.callbacks.length > 100)
    throw new FieldError('callbacks', 'must hold at most 100 URLs')
  return {
    ...(input.name !== undefined ? { name: checkDisplayName('name', input.name, 200) } : {}),
    ...(input.description !== undefined
      ? { description: checkText('description', input.description, 140) }
      : {}),
    ...(input.logoUri !== undefined ? { logoUri: checkUrl('logo_uri', input.logoUri ?? '') } : {}),
    ...(input.isFirstParty !== undefined ? { isFirstParty: input.isFirstParty } : {}),
    ...(input.callbacks !== undefined
      ? {
          callbacks: input.callbacks.map(checkCallback),
        }
      : {}),
    ...(input.appType !== undefined ? { appType: input.appType } : {}),
    ...(input.isVerified !== undefined ? { isVerified: input.isVerified } : {}),
    ...(input.consentLifetime !== undefined
      ? { consentLifetime: checkLifetime('consent_lifetime', input.consentLifetime) }
      : {}),
    ...(input.consentDurationChoices !== undefined
      ? {
          consentDurationChoices: checkDurationChoices(
            'consent_duration_choices',
            input.consentDurationChoices,
          ),
        }
      : {}),
    ...(input.clientUri !== undefined
      ? { clientUri: checkLink('client_uri', input.clientUri) }
      : {}),
    ...(input.policyUri !== undefined
      ? { policyUri: checkLink('policy_uri', input.policyUri) }
      : {}),
    ...(input.tosUri !== undefined ? { tosUri: checkLink('tos_uri', input.tosUri) } : {}),
  }
}

/** The applications that ask for consent (DESIGN §2), for the Management API and the console. */
const auditView = ({ createdAt: _c, updatedAt: _u, ...rest }: Client) => rest

export function createClients(store: Store, audit: Audit) {
  async function get(tenantId: string, clientId: string): Promise<Client> {
    const client = await store.clients.get(tenantId, clientId)
    if (!client) throw notFound()
    return client
  }

  return {
    get,
    /** The client, or `undefined` when the tenant has none by that id. */
    find: (tenantId: string, clientId: string): Promise<Client | undefined> =>
      store.clients.get(tenantId, clientId),
    list: (tenantId: string, page: Page, filter?: ClientFilter) =>
      store.clients.list(tenantId, page, filter),

    /** Throws `ConflictError` when the client id is taken in this tenant. */
    async create(actor: Actor, tenantId: string, input: NewClientInput) {
      const clientId = input.clientId?.trim() || newClientId()
      if (!/^[A-Za-z0-9._~-]{1,128}$/.test(clientId))
        throw new FieldError('client_id', 'must be 1–128 letters, digits or . _ ~ -')
      const changes = checkChanges({ ...input, name: input.name ?? '' })
      const isDynamic = input.isDynamic ?? false
      if (isDynamic && changes.isFirstParty) throw firstPartyDynamic()
      const created = await store.clients.create(tenantId, {
        clientId,
        name: changes.name ?? '',
        description: changes.description ?? '',
        logoUri: changes.logoUri ?? null,
        isFirstParty: changes.isFirstParty ?? false,
        callbacks: changes.callbacks ?? [],
        appType: changes.appType ?? null,
        // Nobody vetted an app that registered itself: unverified until an admin says so.
        isVerified: changes.isVerified ?? !isDynamic,
        consentLifetime: changes.consentLifetime ?? null,
        consentDurationChoices: changes.consentDurationChoices ?? null,
        clientUri: changes.clientUri ?? null,
        policyUri: changes.policyUri ?? null,
        tosUri: changes.tosUri ?? null,
        isDynamic,
        auth0: input.auth0 ?? {},
      })
      await audit.record(actor, tenantId, 'client.create', clientId, { after: auditView(created) })
      return created
    },

    async update(
      actor: Actor,
      tenantId: string,
      clientId: string,
      input: ClientInput,
    ): Promise<Client> {
      const changes = checkChanges(input)
      const before = await get(tenantId, clientId)
      if (before.isDynamic && changes.isFirstParty) throw firstPartyDynamic()
      const updated = await store.clients.update(tenantId, clientId, {
        ...changes,
        ...(input.auth0 ? { auth0: { ...before.auth0, ...input.auth0 } } : {}),
      })
      if (!updated) throw notFound()
      await audit.record(actor, tenantId, 'client.update', clientId, {
        before: auditView(before),
        after: auditView(updated),
      })
      return updated
    },

    /** Removes the client with its grants and consent requests. */
    async remove(actor: Actor, tenantId: string, clientId: string): Promise<void> {
      const before = await get(tenantId, clientId)
      if (!(await store.clients.delete(tenantId, clientId))) throw notFound()
      await audit.record(actor, tenantId, 'client.delete', clientId, { before: auditView(before) })
    },
  }
}

export type Clients = ReturnType<typeof createClients>
