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
    // The API's own words (DESIGN §4.2) in every shipped language but English, whose words they
    // are, so the grouped lines read whole: each noun in the case and with the possessive its
    // locale's `line.labelled` sentence wants.
    consentResources: {
      messages: {
        ar: { heading: 'الرسائل', noun: 'رسائلك' },
        cs: { heading: 'Zprávy', noun: 'vašich zpráv' },
        da: { heading: 'Beskeder', noun: 'dine beskeder' },
        de: { heading: 'Nachrichten', noun: 'Ihre Nachrichten' },
        el: { heading: 'Μηνύματα', noun: 'των μηνυμάτων σας' },
        es: { heading: 'Mensajes', noun: 'tus mensajes' },
        fa: { heading: 'پیام‌ها', noun: 'پیام‌های شما' },
        fi: { heading: 'Viestit', noun: 'viestejäsi' },
        fr: { heading: 'Messages', noun: 'vos messages' },
        he: { heading: 'הודעות', noun: 'ההודעות שלך' },
        hi: { heading: 'संदेश', noun: 'आपके संदेश' },
        hu: { heading: 'Üzenetek', noun: 'üzenetei' },
        id: { heading: 'Pesan', noun: 'pesan Anda' },
        it: { heading: 'Messaggi', noun: 'i Suoi messaggi' },
        ja: { heading: 'メッセージ', noun: 'メッセージ' },
        ko: { heading: '메시지', noun: '회원님의 메시지' },
        nb: { heading: 'Meldinger', noun: 'meldingene dine' },
        nl: { heading: 'Berichten', noun: 'uw berichten' },
        pl: { heading: 'Wiadomości', noun: 'Twoich wiadomości' },
        'pt-BR': { heading: 'Mensagens', noun: 'suas mensagens' },
        'pt-PT': { heading: 'Mensagens', noun: 'as suas mensagens' },
        ro: { heading: 'Mesaje', noun: 'mesajele dvs.' },
        ru: { heading: 'Сообщения', noun: 'ваших сообщений' },
        sv: { heading: 'Meddelanden', noun: 'dina meddelanden' },
        th: { heading: 'ข้อความ', noun: 'ข้อความของคุณ' },
        tr: { heading: 'Mesajlar', noun: 'mesajlarınızı' },
        uk: { heading: 'Повідомлення', noun: 'ваших повідомлень' },
        vi: { heading: 'Tin nhắn', noun: 'tin nhắn của bạn' },
        'zh-CN': { heading: '消息', noun: '您的消息' },
        'zh-TW': { heading: '訊息', noun: '您的訊息' },
      },
      contacts: {
        ar: { heading: 'جهات الاتصال', noun: 'جهات اتصالك' },
        cs: { heading: 'Kontakty', noun: 'vašich kontaktů' },
        da: { heading: 'Kontakter', noun: 'dine kontakter' },
        de: { heading: 'Kontakte', noun: 'Ihre Kontakte' },
        el: { heading: 'Επαφές', noun: 'των επαφών σας' },
        es: { heading: 'Contactos', noun: 'tus contactos' },
        fa: { heading: 'مخاطبان', noun: 'مخاطبان شما' },
        fi: { heading: 'Yhteystiedot', noun: 'yhteystietojasi' },
        fr: { heading: 'Contacts', noun: 'vos contacts' },
        he: { heading: 'אנשי קשר', noun: 'אנשי הקשר שלך' },
        hi: { heading: 'संपर्क', noun: 'आपके संपर्क' },
        hu: { heading: 'Névjegyek', noun: 'névjegyei' },
        id: { heading: 'Kontak', noun: 'kontak Anda' },
        it: { heading: 'Contatti', noun: 'i Suoi contatti' },
        ja: { heading: '連絡先', noun: '連絡先' },
        ko: { heading: '연락처', noun: '회원님의 연락처' },
        nb: { heading: 'Kontakter', noun: 'kontaktene dine' },
        nl: { heading: 'Contacten', noun: 'uw contacten' },
        pl: { heading: 'Kontakty', noun: 'Twoich kontaktów' },
        'pt-BR': { heading: 'Contatos', noun: 'seus contatos' },
        'pt-PT': { heading: 'Contactos', noun: 'os seus contactos' },
        ro: { heading: 'Contacte', noun: 'contactele dvs.' },
        ru: { heading: 'Контакты', noun: 'ваших контактов' },
        sv: { heading: 'Kontakter', noun: 'dina kontakter' },
        th: { heading: 'รายชื่อติดต่อ', noun: 'รายชื่อติดต่อของคุณ' },
        tr: { heading: 'Kişiler', noun: 'kişilerinizi' },
        uk: { heading: 'Контакти', noun: 'ваших контактів' },
        vi: { heading: 'Danh bạ', noun: 'danh bạ của bạn' },
        'zh-CN': { heading: '联系人', noun: '您的联系人' },
        'zh-TW': { heading: '聯絡人', noun: '您的聯絡人' },
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
