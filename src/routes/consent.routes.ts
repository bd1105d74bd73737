import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { abandonedReturnUrl } from '../consent/index.js'
import type { ConsentRequest, Tenant } from '../entities.js'
import { AppError } from '../errors.js'
import type { Translator } from '../i18n/i18n.js'
import { copyWith } from '../objects.js'
import {
  type ConsentPageInput,
  consentPageKey,
  consentPageModel,
  type LanguageChoice,
  languageChoices,
} from '../presenters/consent-page.js'
import type { PromptData } from '../services/consent/flow.js'
import type { AppEnv } from '../web/context.js'
import { type BrowserCookie, CONSENT_CSRF_COOKIE, CSRF_FIELD } from '../web/edge/csrf.js'
import { readForm } from '../web/edge/forms.js'
import { parseQuery } from '../web/edge/validate.js'
import { limitBody } from '../web/middleware/body-limit.js'
import { respondWithError } from '../web/middleware/error-handler.js'
import { byAddress, rateLimit } from '../web/middleware/rate-limit.js'
import { languagePick, tenantLocales, useLocale, withPick } from '../web/render/locale.js'
import { compilePage, createPageCache, personalise, SENTINEL } from '../web/render/page-cache.js'
import { pageHtml, pagePolicy } from '../web/render/render.js'
import { completeResponse } from '../web/render/response.js'
import type { AppDeps } from './deps.js'

const answerForm = z.object({
  action: z.enum(['accept', 'deny']),
  // A missing or wrong token is a 403 (DESIGN §3.2), checked after the form parses.
  [CSRF_FIELD]: z.string().max(128).optional(),
  // The page the answer was made on (DESIGN §3.2.2); missing, the page is shown again (409).
  rendition: z.string().max(64).optional(),
  // How long to allow (DESIGN §3.5.1): judged by the flow against the durations the page offered.
  duration: z.string().max(32).optional(),
  // Granular consent (DESIGN §3.5): one value per checked line; none checked sends none.
  scopes: z
    .union([z.string().max(20_000), z.array(z.string().max(20_000)).max(1000)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
  // Granular consent's boxes for RFC 9396 entries (DESIGN §3.9): their indexes, as checked.
  authorization_details: z
    .union([z.string().max(8), z.array(z.string().max(8)).max(100)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
})

const HTML = { 'content-type': 'text/html; charset=UTF-8' } as const

/** `GET /consent/{id}` shows the prompt; `POST /consent/{id}` answers it (DESIGN §3.2). */
export function consentRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { consentFlow: flow, csrf } = deps
  const pages = createPageCache()

  app.get('/:id', async (c) => {
    const tenant = c.get('tenant')
    const request = await flow.find(tenant, c.req.param('id'))
    // The user's pick first, then the request's own preferences (a pick the tenant disabled).
    // (The link an AS sends carries no query: nothing to parse on most views.)
    const picked = c.req.url.includes('?') ? parseQuery(c, languagePick).ui_locales : undefined
    const tr = useLocale(c, deps, withPick(picked, request.uiLocales))
    const cookie = csrf.readCookie(c, CONSENT_CSRF_COOKIE)
    try {
      return await promptPage(c, tenant, request, tr, cookie)
    } catch (error) {
      // The first view binds the request to this new cookie: the error page hands it over too,
      // so the browser can come back to its request.
      if (cookie.setCookie) c.header('Set-Cookie', cookie.setCookie, { append: true })
      return deadEnd(c, request, error)
    }
  })

  /**
   * A request that can no longer be answered, shown to the browser it is bound to, gets a way
   * back to the AS (DESIGN §3.2.1). The flow refuses any other browser (403 `bound_elsewhere`)
   * before it says whether a bound request was answered or expired, so a 409 or 410 for a bound
   * request reaches its own browser only; every other error is thrown as it is.
   */
  function deadEnd(c: Context<AppEnv>, request: ConsentRequest, error: unknown): Response {
    const over =
      error instanceof AppError && (error.code === 'already_answered' || error.code === 'expired')
    if (!over || request.bindingHash === null) throw error
    return respondWithError(c, deps, error, abandonedReturnUrl(request.returnTo, request.id))
  }

  async function promptPage(
    c: Context<AppEnv>,
    tenant: Tenant,
    request: ConsentRequest,
    tr: Translator,
    cookie: BrowserCookie,
  ): Promise<Response> {
    const prompt = await flow.prompt(tenant, request, cookie.value, tr.locale)
    return promptResponse(c, tenant, prompt, tr, cookie.value, cookie.setCookie, 200)
  }

  /** The prompt as recorded, personalised for this request and browser. */
  async function promptResponse(
    c: Context<AppEnv>,
    tenant: Tenant,
    prompt: PromptData,
    tr: Translator,
    browser: string,
    setCookie: string | undefined,
    status: 200 | 409,
  ): Promise<Response> {
    const { request } = prompt
    const policy = pagePolicy(tenant, requestUrls(request).formActions)
    // Rendered once for everyone shown the same prompt; the user's own values go in after.
    const input = pageInput(deps, tenant, prompt, tr)
    const render = () => {
      const model = consentPageModel(input)
      return pageHtml(c, deps, 'consent', model, {
        title: model.text.title,
        tr,
        nonce: SENTINEL.nonce,
      })
    }
    // A page with RFC 9396 entries is that request's own: rendered for it, never kept, so
    // requests carrying 16 KiB of entries each cannot push the shared pages out of the cache.
    const page = request.authorizationDetails
      ? compilePage(render())
      : pages.page(consentPageKey(input), render)
    const personal = {
      user: request.userName ?? request.userId,
      csrf: await csrf.token(request.id, browser),
      id: request.id,
      nonce: policy.nonce,
    }
    // Every header here, none through `c.header` (see `completeResponse`).
    const own = setCookie ? copyWith(HTML, { 'set-cookie': setCookie }) : HTML
    return completeResponse(c, status, personalise(page, personal), copyWith(policy.headers, own))
  }

  app.post(
    '/:id',
    rateLimit('answers', deps.limits.answersPerAddress, byAddress, deps.metrics),
    limitBody('form'),
    async (c) => {
      const tenant = c.get('tenant')
      const request = await flow.find(tenant, c.req.param('id'))
      useLocale(c, deps, request.uiLocales)
      const form = await readForm(
        c,
        answerForm,
        'The form must carry action=accept|deny and its token',
      )
      const browser = csrf.sentCookie(c, CONSENT_CSRF_COOKIE)
      await csrf.check(request.id, browser, form[CSRF_FIELD])
      let result: Awaited<ReturnType<typeof flow.answer>>
      try {
        result = await flow.answer(
          tenant,
          request,
          {
            action: form.action,
            checked: form.scopes,
            checkedDetails: form.authorization_details,
            rendition: form.rendition,
            duration: form.duration,
          },
          browser,
          c.get('locale') ?? 'en',
        )
      } catch (error) {
        return deadEnd(c, request, error)
      }
      if (result.kind === 'stale' && browser) {
        // The prompt as it now reads, in the language of the page answered (DESIGN §3.2.2).
        const tr = deps.i18n.translator(result.prompt.rendition.locale)
        c.set('locale', tr.locale)
        c.set('tr', tr)
        return promptResponse(c, tenant, result.prompt, tr, browser, undefined, 409)
      }
      if (result.kind !== 'answered') throw new Error('a stale answer comes from a bound browser')
      c.header('Cache-Control', 'no-store')
      return c.redirect(result.next.href, 303)
    },
  )

  return app
}

/** What a page needs from a request's two URLs, worked out once per request as the store holds it. */
interface RequestUrls {
  /**
   * Where the page's form may lead (CSP `form-action`, DESIGN §6): browsers hold every redirect
   * after a form post to it (CSP3 §6.2.1), and the answer's 303 leads to the AS, which sends the
   * browser on to the client's redirect URI.
   */
  readonly formActions: readonly string[]
}
const urlsOf = new WeakMap<ConsentRequest, RequestUrls>()
function requestUrls(request: ConsentRequest): RequestUrls {
  let urls = urlsOf.get(request)
  if (!urls) {
    urls = {
      // A device sign-in has no redirect URI (DESIGN §3.10): the AS's own page is the end.
      formActions:
        request.redirectUri === ''
          ? [new URL(request.returnTo).origin]
          : [new URL(request.returnTo).origin, new URL(request.redirectUri).origin],
    }
    urlsOf.set(request, urls)
  }
  return urls
}

/**
 * The picker's languages of a tenant, made once per tenant object: the configuration cache hands
 * out the same object until the tenant's settings change.
 */
const switcherOf = new WeakMap<Tenant, readonly LanguageChoice[]>()
function switcher(deps: AppDeps, tenant: Tenant): readonly LanguageChoice[] {
  let languages = switcherOf.get(tenant)
  if (!languages) {
    languages = languageChoices(tenantLocales(tenant, deps.i18n.locales), deps.i18n)
    switcherOf.set(tenant, languages)
  }
  return languages
}

/** The page's input with sentinels where each user's own values go (see `personalise`). */
function pageInput(
  deps: AppDeps,
  tenant: Tenant,
  prompt: PromptData,
  tr: Translator,
): ConsentPageInput {
  const { request } = prompt
  return {
    tenant,
    configEpoch: deps.consentFlow.configEpoch(),
    client: prompt.client,
    api: prompt.api,
    userName: SENTINEL.user,
    redirectUri: request.redirectUri,
    device: request.device,
    switchAccountUrl: request.switchAccountUrl,
    durations: prompt.rendition.durations ?? [],
    authorizationDetails: request.authorizationDetails,
    changedDetails: prompt.changedDetails,
    scopes: prompt.scopes,
    alreadyGranted: prompt.alreadyGranted,
    mode: prompt.rendition.mode,
    formAction: `/consent/${SENTINEL.id}`,
    csrf: SENTINEL.csrf,
    languages: switcher(deps, tenant),
    lineOptions: {
      granular: request.granular,
      required: new Set(request.requiredScopes),
      changed: prompt.changed,
    },
    rendition: prompt.rendition.rendition,
    notice: prompt.notice,
    tr,
  }
}
