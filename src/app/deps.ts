import type { Assets } from '../assets.js'
import type { Config } from '../config.js'
import { createCsrf } from '../http/csrf.js'
import type { I18n } from '../i18n/i18n.js'
import type { Logger } from '../logger.js'
import { createMetrics } from '../metrics.js'
import { createRateLimiter } from '../middleware/rate-limit.js'
import { createConsentFlow } from '../services/consent-flow.js'
import type { Store } from '../store/port.js'
import type { Views } from '../views.js'
import type { AppDeps } from './types.js'

/** The dependencies of `createApp` built from their parts; the clock drives the rate limits too. */
export function appDeps(parts: {
  config: Config
  store: Store
  i18n: I18n
  views: Views
  assets: Assets
  log: Logger
  now: () => Date
  adminToken: string
}): AppDeps {
  const clock = () => parts.now().getTime()
  const { answersPerIp, createsPerClient } = parts.config.rateLimits
  const metrics = createMetrics()
  return {
    ...parts,
    metrics,
    consentFlow: createConsentFlow({
      store: parts.store,
      now: parts.now,
      ttlSeconds: parts.config.requestTtlSeconds,
      defaultReturnUrls: parts.config.allowedReturnUrls,
      publicUrl: parts.config.publicUrl,
      metrics,
    }),
    csrf: createCsrf(parts.store, { secure: parts.config.publicUrl.protocol === 'https:' }),
    limits: {
      answersPerIp: createRateLimiter({
        perMinute: answersPerIp,
        burst: Math.max(1, Math.ceil(answersPerIp / 4)),
        now: clock,
      }),
      createsPerClient: createRateLimiter({
        perMinute: createsPerClient,
        burst: Math.max(1, Math.ceil(createsPerClient / 6)),
        now: clock,
      }),
      createsPerIp: createRateLimiter({
        perMinute: createsPerClient * 5,
        burst: Math.max(1, Math.ceil((createsPerClient * 5) / 6)),
        now: clock,
      }),
    },
  }
}
