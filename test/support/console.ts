import { adminSignIn } from './admin.js'
import { csrfOf } from './consent.js'
import { filled, type HtmlForm, type Submitter } from './html-form.js'
import { startIssuer } from './jwks.js'
import { createTestApp, type TestApp } from './test-app.js'

/** A signed-in console session over HTTP: GET pages, POST forms with the page's CSRF token. */
export async function consoleSession(t: TestApp, token = t.adminToken) {
  const { cookie } = await adminSignIn(t, token)
  const get = (path: string) => t.app.request(path, { headers: { cookie } })
  const csrf = async () => {
    const html = await (await get('/admin/preview')).text()
    return csrfOf(html)
  }
  const token0 = await csrf()
  const post = (path: string, fields: Record<string, string>, withCsrf = true) =>
    t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(withCsrf ? { csrf: token0, ...fields } : fields).toString(),
    })
  /**
   * Posts a form of a served page as a browser submits it (its own fields and CSRF token), after
   * the user's `changes` (see `filled`), with the `submitter` button pressed.
   */
  const submit = (
    form: HtmlForm,
    changes: Readonly<Record<string, string | boolean>> = {},
    submitter?: Submitter,
  ) =>
    t.app.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(filled(form.entries(submitter), changes)).toString(),
    })
  return { cookie, get, post, submit, csrf: token0 }
}

/** A test app that also accepts JWT management tokens, and a way to sign one with given scopes. */
export async function scopedApp() {
  const issuer = await startIssuer()
  const t = await createTestApp({
    env: { ASSENT_MGMT_JWKS_URL: issuer.jwksUrl, ASSENT_MGMT_ISSUER: issuer.issuer },
  })
  return {
    t,
    token: (scope: string) =>
      issuer.sign({
        aud: 'https://localhost/api/v2/',
        scope,
        sub: 'ops@example.com',
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    async close() {
      await t.close()
      await issuer.close()
    },
  }
}
