import { detailOf, scopeVersion } from '../../consent/index.js'
import type { ResourceServer } from '../../entities.js'
import type { Store } from '../../store/port.js'

/** How many grants the preview looks at; past it, the counts say "at least". */
const SCAN_LIMIT = 10_000

/**
 * For the admin preview (DESIGN §5, §3.5.1): per scope of the API, how many users' grants hold
 * an older version of it — the users who will be asked again for that scope.
 */
export async function askedAgain(
  store: Store,
  tenantId: string,
  api: ResourceServer,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  const perPage = 500
  for (let page = 0; page * perPage < SCAN_LIMIT; page++) {
    const { items } = await store.grants.list(
      tenantId,
      { audience: api.identifier },
      { page, perPage },
    )
    for (const grant of items) {
      for (const scope of grant.scope) {
        const shown = detailOf(grant.details, scope)?.version ?? 1
        if (shown < scopeVersion(api, scope)) counts.set(scope, (counts.get(scope) ?? 0) + 1)
      }
    }
    if (items.length < perPage) break
  }
  return counts
}
