import type { Api, ApiScope } from '../../src/consent/index.js'

export function api(scopes: (string | ApiScope)[], options: Partial<Api> = {}): Api {
  return {
    identifier: 'https://api.example.com/',
    name: 'Example API',
    scopes: scopes.map((scope) =>
      typeof scope === 'string' ? { value: scope, description: '' } : scope,
    ),
    enforcePolicies: false,
    allowOfflineAccess: false,
    skipConsentForVerifiableFirstPartyClients: false,
    tokenDialect: 'access_token',
    ...options,
  }
}
