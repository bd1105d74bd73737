import type { Handler } from 'hono'
import { z } from 'zod'
import { landingPageModel } from '../presenters/landing-page.js'
import type { AppEnv } from '../web/context.js'
import { parseQuery } from '../web/edge/validate.js'
import { useLocale } from '../web/render/locale.js'
import { renderPage } from '../web/render/render.js'
import type { AppDeps } from './deps.js'

const landingQuery = z.object({ ui_locales: z.string().max(200).optional() })

/** `GET /`: the URL the server prints, a small page saying what this service is. */
export function landingPage(deps: AppDeps): Handler<AppEnv> {
  return function landing(c) {
    const tr = useLocale(c, deps, parseQuery(c, landingQuery).ui_locales ?? null)
    const model = landingPageModel(c.get('tenant'), tr)
    c.header('Cache-Control', 'no-store')
    return renderPage(c, deps, 'landing', model, { title: model.text.title, tr })
  }
}
