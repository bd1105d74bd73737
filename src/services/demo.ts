import type { Tenant } from '../entities.js'
import type { Store } from '../store/port.js'
import type { ConsentFlow } from './consent/flow.js'

/** The demo data of a first start: one API, one third-party client, one user. */
export const DEMO = {
  audience: 'https://messages.demo/',
  clientId: 'mail-helper',
  userId: 'auth0|demo-ana',
  userName: 'ana@example.com',
  redirectUri: 'https://mail-helper.example/callback',
  scope: 'openid profile read:messages write:messages read:contacts offline_access',
} as const

/** Seeds the demo into `tenant` once; later starts find it there and leave it as it is. */
export async function seedDemo(store: Store, tenant: Tenant, publicUrl: URL): Promise<void> {
  if (await store.clients.get(tenant.id, DEMO.clientId)) return
  await store.tenants.updateSettings(tenant.id, {
    ...tenant.settings,
    friendly_name: 'Acme',
    branding: {
      ...tenant.settings.branding,
      logo_url: new URL('/assets/acme.svg', publicUrl).href,
    },
  })
  await store.resourceServers.create(tenant.id, {
    id: 'rs_demo_messages',
    identifier: DEMO.audience,
    name: 'Messages API',
    scopes: [
      { value: 'read:messages', description: 'Read your messages' },
      { value: 'write:messages', description: 'Send messages as you' },
      { value: 'read:contacts', description: 'See your contacts' },
    ],
    enforcePolicies: false,
    allowOfflineAccess: true,
    skipConsentForVerifiableFirstPartyClients: true,
    tokenDialect: 'access_token',
    tokenLifetime: 86_400,
    signingAlg: 'RS256',
    isSystem: false,
    // The API's own words in a few languages (DESIGN §4.2), so the grouped lines read whole.
    consentResources: {
      messages: {
        de: { heading: 'Nachrichten', noun: 'Ihre Nachrichten' },
        fr: { heading: 'Messages', noun: 'vos messages' },
        es: { heading: 'Mensajes', noun: 'sus mensajes' },
        'pt-BR': { heading: 'Mensagens', noun: 'suas mensagens' },
        it: { heading: 'Messaggi', noun: 'i Suoi messaggi' },
        nl: { heading: 'Berichten', noun: 'uw berichten' },
        ja: { heading: 'メッセージ', noun: 'メッセージ' },
        'zh-CN': { heading: '消息', noun: '您的消息' },
        ar: { heading: 'الرسائل', noun: 'رسائلك' },
      },
      contacts: {
        de: { heading: 'Kontakte', noun: 'Ihre Kontakte' },
        fr: { heading: 'Contacts', noun: 'vos contacts' },
        es: { heading: 'Contactos', noun: 'sus contactos' },
        'pt-BR': { heading: 'Contatos', noun: 'seus contatos' },
        it: { heading: 'Contatti', noun: 'i Suoi contatti' },
        nl: { heading: 'Contacten', noun: 'uw contacten' },
        ja: { heading: '連絡先', noun: '連絡先' },
        'zh-CN': { heading: '联系人', noun: '您的联系人' },
        ar: { heading: 'جهات الاتصال', noun: 'جهات اتصالك' },
      },
    },
  })
  await store.clients.create(tenant.id, {
    clientId: DEMO.clientId,
    name: 'Mail Helper',
    description: 'A third-party mail assistant',
    logoUri: new URL('/assets/mail-helper.svg', publicUrl).href,
    isFirstParty: false,
    callbacks: [DEMO.redirectUri],
    appType: 'regular_web',
  })
  await store.users.remember(tenant.id, {
    userId: DEMO.userId,
    name: 'Ana Silva',
    email: DEMO.userName,
  })
}

/** Opens a fresh consent request for the demo client; the demo always shows the page. */
export function openDemoRequest(
  flow: ConsentFlow,
  tenant: Tenant,
  publicUrl: URL,
  uiLocales: string | undefined,
) {
  return flow.open(
    tenant,
    {
      clientId: DEMO.clientId,
      userId: DEMO.userId,
      userName: DEMO.userName,
      audience: DEMO.audience,
      scope: DEMO.scope,
      redirectUri: DEMO.redirectUri,
      returnTo: new URL('/demo/done', publicUrl).href,
      state: 'demo',
      // Even after an earlier Accept.
      prompt: 'consent',
      uiLocales,
    },
    { allowedReturnUrls: [publicUrl.origin] },
  )
}
