import type { Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'

/**
 * The landing page at `/` (DESIGN §3.2.1): the tenant's name and what this service does for its
 * users. Anyone may open it, so it holds nothing about a client, a user or a request.
 */
export function landingPageModel(tenant: Tenant, tr: Translator) {
  const values = { tenant: tenant.settings.friendly_name }
  return {
    text: {
      title: tr.rich('landing.title', values),
      what: tr.rich('landing.what', values),
      nothing: tr.t('landing.nothing'),
    },
  }
}
