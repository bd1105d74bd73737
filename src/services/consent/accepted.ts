import { pickDetails, pickScopes, stillDefined } from '../../consent/index.js'
import type { ConsentRequest, ResourceServer, ShownPage } from '../../entities.js'
import { AppError } from '../../errors.js'

/** The entries an accept approves (DESIGN §3.9); a box the page did not show is a 400. */
export function approvedDetails(shown: ShownPage, checked: readonly string[]): number[] {
  const approved = pickDetails(shown.details ?? [], checked)
  if (approved === null)
    throw new AppError(
      400,
      'invalid_body',
      'authorization_details names an entry the page did not offer to choose',
    )
  return approved
}

/**
 * What an accept grants: everything asked, or under granular consent the required lines and
 * the checked lines of the page the user answered, plus what was granted before.
 */
export function accepted(
  request: ConsentRequest,
  api: ResourceServer | null,
  shown: ShownPage,
  checked: readonly string[],
) {
  const effective = stillDefined(request.effectiveScopes, api)
  if (!request.granular) return { scopes: effective, declined: [] }
  const picked = pickScopes({
    asked: stillDefined(request.promptScopes, api),
    lines: shown.lines,
    required: new Set(request.requiredScopes),
    checked,
  })
  const declined = new Set(picked.declined)
  return { scopes: effective.filter((scope) => !declined.has(scope)), declined: picked.declined }
}
