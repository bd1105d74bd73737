import type { Client, ConsentRequest, ResourceServer, Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import { plainText } from '../i18n/rich-text.js'
import { promptLineViews, promptMode } from './consent-page.js'

/** What the demo page reads of the decision its stand-in AS redeemed (DESIGN §3.4). */
interface DemoDecision {
  readonly status: 'accepted' | 'denied'
  readonly granted_scopes: readonly string[]
  readonly scope: string
}

/** The view-model of `views/demo-done.eta`: what the demo's stand-in AS received. */
export function demoDoneModel(
  input: {
    tenant: Tenant
    request: ConsentRequest
    decision: DemoDecision
    client: Client | undefined
    api: ResourceServer | null
  },
  tr: Translator,
) {
  const { decision } = input
  const accepted = decision.status === 'accepted'
  const outcome = tr.rich(`demo.${decision.status}`, {
    client: input.client?.name ?? input.request.clientId,
  })
  return {
    lines: accepted
      ? promptLineViews(promptMode(input.tenant), decision.granted_scopes, input.api, tr)
      : [],
    scope: accepted ? decision.scope : null,
    // The granted lines' accessible name: an attribute, so plain text.
    linesLabel: plainText(outcome),
    text: {
      title: tr.t('demo.title'),
      outcome,
      scopeClaim: tr.t('demo.scopeClaim'),
      again: tr.t('demo.again'),
    },
  }
}
