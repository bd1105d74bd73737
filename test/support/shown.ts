import type { NewConsentRequest, ShownPage } from '../../src/entities.js'
import type { Store } from '../../src/store/port.js'

/** A page as a store test shows it: an answer is written only on the latest one recorded. */
export const SHOWN: ShownPage = {
  rendition: 'rendition-one',
  locale: 'en',
  mode: 'grouped',
  lines: [
    {
      text: 'Messages: read your messages',
      scopes: ['read:messages'],
      kind: 'all',
      changed: false,
    },
  ],
  versions: { 'read:messages': 1 },
  at: new Date('2026-11-24T10:00:00.000Z'),
}

/** The same prompt shown again in another language, later. */
export const OTHER_PAGE: ShownPage = {
  rendition: 'rendition-two',
  locale: 'fr',
  mode: 'grouped',
  lines: [
    {
      text: 'Messages : lire vos messages',
      scopes: ['read:messages'],
      kind: 'all',
      changed: false,
    },
  ],
  versions: { 'read:messages': 1 },
  at: new Date('2026-11-24T10:00:05.000Z'),
}

/** The answer's fields a page adds: the page it was made on. */
export const ON_PAGE = { shown: SHOWN } as const

/** Opens a request's page as a browser does (binding it, recording `SHOWN`), before its answer. */
export async function openPage(store: Store, tenantId: string, id: string): Promise<void> {
  await store.consentRequests.bind(tenantId, id, 'browser', SHOWN)
}

/** A pending request for client `c1` and user `u1` of tenant `t1`, asking `openid`, made at `at`. */
export function pendingRequest(id: string, at: Date): NewConsentRequest {
  return {
    id,
    tenantId: 't1',
    clientId: 'c1',
    userId: 'u1',
    userName: null,
    audience: null,
    requestedScopes: ['openid'],
    effectiveScopes: ['openid'],
    droppedScopes: [],
    promptScopes: ['openid'],
    grantedScopes: null,
    prompt: null,
    uiLocales: null,
    returnTo: 'https://as.example/resume',
    state: null,
    redirectUri: 'https://app.example/cb',
    status: 'pending',
    error: null,
    createdAt: at,
    expiresAt: new Date(at.getTime() + 600_000),
  }
}
