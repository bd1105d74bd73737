import { parseScope, type ResourceLabel } from '../../consent/index.js'
import type {
  Actor,
  ApiScope,
  NewResourceServer,
  ResourceServer,
  ResourceServerChanges,
} from '../../entities.js'
import { AppError, FieldError } from '../../errors.js'
import { sortableId } from '../../ids.js'
import type { Page, Paged, Store } from '../../store/port.js'
import type { Audit } from './audit.js'
import { detailTypeEdits } from './detail-types.js'
import {
  checkDescription,
  checkDisplayName,
  checkScopes,
  checkScopeValue,
  checkTokenDialect,
} from './validation.js'

export type ResourceServerSettings = Omit<ResourceServerChanges, 'scopes'>

/** A change as a caller sends it: the token dialect is checked here, with every other rule. */
export type ResourceServerUpdate = Omit<ResourceServerChanges, 'tokenDialect'> & {
  readonly tokenDialect?: string | undefined
}

export interface NewResourceServerInput extends ResourceServerSettings {
  /** Auth0's id, kept so that an export's references still hold (DESIGN §4.2.1). */
  readonly id?: string | undefined
  readonly identifier: string
  readonly scopes?: readonly ApiScope[]
}

const notFound = () =>
  new AppError(404, 'inexistent_resource_server', 'The resource server does not exist')

function checkIdentifier(identifier: string): string {
  if (identifier.length < 1 || identifier.length > 600)
    throw new FieldError('identifier', 'must be 1–600 characters')
  if (/[\s\p{Cc}]/u.test(identifier))
    throw new FieldError('identifier', 'must not contain spaces or control characters')
  return identifier
}

function checkSettings({ tokenDialect, ...settings }: ResourceServerUpdate): ResourceServerChanges {
  return {
    ...settings,
    ...(settings.name !== undefined ? { name: checkDisplayName('name', settings.name, 200) } : {}),
    ...(tokenDialect !== undefined
      ? { tokenDialect: checkTokenDialect('token_dialect', tokenDialect) }
      : {}),
  }
}

/**
 * APIs and their permissions (DESIGN §1.5, §4): the one place their rules are checked, used by
 * the Management API and the admin console alike, so both refuse the same things the same way.
 */
/** What the audit trail keeps of an API. */
const auditView = ({ createdAt: _c, updatedAt: _u, ...rest }: ResourceServer) => rest

export function createResourceServers(store: Store, audit: Audit) {
  async function get(tenantId: string, idOrIdentifier: string): Promise<ResourceServer> {
    const found = await store.resourceServers.find(tenantId, idOrIdentifier)
    if (!found) throw notFound()
    return found
  }

  async function update(
    actor: Actor,
    tenantId: string,
    idOrIdentifier: string,
    changes: ResourceServerUpdate,
  ): Promise<ResourceServer> {
    const current = await get(tenantId, idOrIdentifier)
    if (current.isSystem)
      throw new AppError(400, 'invalid_body', 'A system resource server cannot be changed.')
    const checked: ResourceServerChanges = {
      ...checkSettings(changes),
      ...(changes.scopes ? { scopes: checkScopes(changes.scopes) } : {}),
    }
    const updated = await store.resourceServers.update(tenantId, current.id, checked)
    if (!updated) throw notFound()
    await audit.record(actor, tenantId, 'resource_server.update', updated.identifier, {
      before: auditView(current),
      after: auditView(updated),
    })
    return updated
  }

  /** Applies `edit` to the API's scope list and stores the result. */
  async function editScopes(
    actor: Actor,
    tenantId: string,
    id: string,
    edit: (scopes: ApiScope[]) => ApiScope[],
  ): Promise<ResourceServer> {
    const current = await get(tenantId, id)
    return update(actor, tenantId, current.id, { scopes: edit([...current.scopes]) })
  }

  function scopeIndex(scopes: readonly ApiScope[], value: string): number {
    const index = scopes.findIndex((scope) => scope.value === value)
    if (index < 0) throw new FieldError('value', `${value} is not a permission of this API`)
    return index
  }

  return {
    get,
    update,
    ...detailTypeEdits({ get, update }),

    /** The API, by id or identifier, or `undefined` when the tenant has none. */
    find: (tenantId: string, idOrIdentifier: string): Promise<ResourceServer | undefined> =>
      store.resourceServers.find(tenantId, idOrIdentifier),

    /** The named APIs that exist (by identifier only), in the order named, then paged. */
    async byIdentifiers(
      tenantId: string,
      identifiers: readonly string[],
      page: Page,
    ): Promise<Paged<ResourceServer>> {
      const found: ResourceServer[] = []
      for (const identifier of new Set(identifiers)) {
        const api = await store.resourceServers.find(tenantId, identifier)
        // `find` also matches ids; the filter is on identifiers only.
        if (api?.identifier === identifier) found.push(api)
      }
      const start = page.page * page.perPage
      return { items: found.slice(start, start + page.perPage), total: found.length }
    },

    list(tenantId: string, page: Page): Promise<Paged<ResourceServer>> {
      return store.resourceServers.list(tenantId, page)
    },

    /** Throws `ConflictError` when the identifier is taken in this tenant. */
    async create(
      actor: Actor,
      tenantId: string,
      input: NewResourceServerInput,
    ): Promise<ResourceServer> {
      const identifier = checkIdentifier(input.identifier)
      const server: NewResourceServer = {
        id: input.id ?? sortableId(),
        identifier,
        name: checkDisplayName('name', input.name ?? identifier, 200),
        scopes: checkScopes(input.scopes ?? []),
        enforcePolicies: input.enforcePolicies ?? false,
        allowOfflineAccess: input.allowOfflineAccess ?? false,
        skipConsentForVerifiableFirstPartyClients:
          input.skipConsentForVerifiableFirstPartyClients ?? false,
        tokenDialect: input.tokenDialect ?? 'access_token',
        tokenLifetime: input.tokenLifetime ?? 86_400,
        signingAlg: input.signingAlg ?? 'RS256',
        isSystem: false,
        ...(input.consentResources ? { consentResources: input.consentResources } : {}),
        ...(input.authorizationDetails ? { authorizationDetails: input.authorizationDetails } : {}),
        ...(input.auth0 ? { auth0: input.auth0 } : {}),
      }
      const created = await store.resourceServers.create(tenantId, server)
      await audit.record(actor, tenantId, 'resource_server.create', created.identifier, {
        after: auditView(created),
      })
      return created
    },

    async remove(actor: Actor, tenantId: string, idOrIdentifier: string): Promise<void> {
      const current = await get(tenantId, idOrIdentifier)
      if (current.isSystem)
        throw new AppError(400, 'invalid_body', 'A system resource server cannot be deleted.')
      await store.resourceServers.delete(tenantId, current.id)
      await audit.record(actor, tenantId, 'resource_server.delete', current.identifier, {
        before: auditView(current),
      })
    },

    /** Adds a permission at the end of the list (the prompt shows scopes in API order). */
    addScope(actor: Actor, tenantId: string, id: string, value: string, description: string) {
      const scope = {
        value: checkScopeValue('value', value.trim()),
        description: checkDescription('description', description.trim()),
      }
      return editScopes(actor, tenantId, id, (scopes) => {
        if (scopes.some((s) => s.value === scope.value))
          throw new FieldError('value', 'is already a permission of this API')
        return [...scopes, scope]
      })
    },

    /** Rewrites a permission's description and its per-locale descriptions (DESIGN §4.2). */
    describeScope(
      actor: Actor,
      tenantId: string,
      id: string,
      value: string,
      description: string,
      descriptions: Record<string, string>,
    ) {
      return editScopes(actor, tenantId, id, (scopes) => {
        const index = scopeIndex(scopes, value)
        for (const [locale, text] of Object.entries(descriptions))
          checkDescription('descriptions', text.trim() || locale)
        scopes[index] = {
          value,
          description: checkDescription('description', description.trim()),
          ...(Object.keys(descriptions).length > 0 ? { descriptions } : {}),
        }
        return scopes
      })
    },

    /** Removes a permission; users and roles that held it lose it (the store's rule). */
    removeScope(actor: Actor, tenantId: string, id: string, value: string) {
      return editScopes(actor, tenantId, id, (scopes) => {
        scopes.splice(scopeIndex(scopes, value), 1)
        return scopes
      })
    },

    /**
     * Replaces one resource's labels (DESIGN §4.2), locale → heading and noun: a locale with both
     * blank has none; one with only one of them is refused, as the Management API refuses it.
     */
    async labelResource(
      actor: Actor,
      tenantId: string,
      id: string,
      resource: string,
      labels: Readonly<Record<string, { readonly heading: string; readonly noun: string }>>,
    ) {
      const current = await get(tenantId, id)
      // A label only ever shows on a line of a scope that names its resource.
      const named = current.scopes.some((scope) => {
        const parsed = parseScope(scope.value)
        return parsed.kind === 'action' && parsed.resource === resource
      })
      if (!named)
        throw new FieldError('resource', 'is not a resource any permission of this API names')
      const checked: Record<string, ResourceLabel> = {}
      for (const [locale, label] of Object.entries(labels)) {
        if (label.heading.trim() === '' && label.noun.trim() === '') continue
        checked[locale] = {
          heading: checkDisplayName(`heading_${locale}`, label.heading, 100),
          noun: checkDisplayName(`noun_${locale}`, label.noun, 100),
        }
      }
      const { [resource]: _, ...others } = current.consentResources ?? {}
      const consentResources =
        Object.keys(checked).length > 0 ? { ...others, [resource]: checked } : others
      return update(actor, tenantId, current.id, { consentResources })
    },

    /** Moves a permission one place up or down: the order the prompt lists them in. */
    moveScope(actor: Actor, tenantId: string, id: string, value: string, direction: 'up' | 'down') {
      return editScopes(actor, tenantId, id, (scopes) => {
        const from = scopeIndex(scopes, value)
        const to = direction === 'up' ? from - 1 : from + 1
        const [moving] = scopes.splice(from, 1)
        if (moving) scopes.splice(Math.max(0, Math.min(scopes.length, to)), 0, moving)
        return scopes
      })
    },
  }
}

export type ResourceServers = ReturnType<typeof createResourceServers>
