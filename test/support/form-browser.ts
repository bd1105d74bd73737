/**
 * A browser without a renderer: a cookie jar, redirects followed one at a time, and forms posted
 * as a browser posts them (urlencoded, with Origin and Sec-Fetch-Site).
 */
export class FormBrowser {
  private readonly jar = new Map<string, Map<string, string>>()

  /** The Cookie header this browser sends to `url`. */
  cookieHeader(url: URL): string {
    return [...(this.jar.get(url.host) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ')
  }

  private remember(url: URL, res: Response): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>()
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attributes.some((a) => {
        const [key = '', val = ''] = a.trim().split('=')
        return (
          (key.toLowerCase() === 'max-age' && Number(val) <= 0) ||
          (key.toLowerCase() === 'expires' && new Date(val).getTime() < Date.now())
        )
      })
      if (expired || value === '') cookies.delete(name)
      else cookies.set(name, value)
    }
    this.jar.set(url.host, cookies)
  }

  async request(url: URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    const cookie = this.cookieHeader(url)
    if (cookie) headers.set('cookie', cookie)
    const res = await fetch(url, { ...init, headers, redirect: 'manual' })
    this.remember(url, res)
    return res
  }

  async postForm(url: URL, fields: Record<string, string>, from: URL): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: from.origin,
        'sec-fetch-site': from.origin === url.origin ? 'same-origin' : 'cross-site',
      },
      body: new URLSearchParams(fields).toString(),
    })
  }
}

export interface FlowResult {
  /** The URL the authorization server sent the browser back to the client with. */
  callback: URL
  /** The Assent consent page, when one was shown. */
  consentPage: string | undefined
}

/**
 * Walks an authorization request to the client's redirect URI: signs in on the authorization
 * server's form as `username`, and answers Assent's page with `consent` if one is shown.
 */
export async function walkAuthorization(
  browser: FormBrowser,
  start: URL,
  redirectUri: string,
  options: { username: string; consent: 'accept' | 'deny' },
): Promise<FlowResult> {
  let url = start
  let consentPage: string | undefined
  for (let step = 0; step < 25; step++) {
    if (url.href.startsWith(redirectUri)) return { callback: url, consentPage }
    const res = await browser.request(url)
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url)
      continue
    }
    const html = await res.text()
    if (res.status !== 200)
      throw new Error(`${url.href} answered ${res.status}: ${html.slice(0, 300)}`)
    const form = /<form method="post" action="([^"]+)"/.exec(html)
    if (!form?.[1]) throw new Error(`no form at ${url.href}: ${html.slice(0, 300)}`)
    const action = new URL(form[1].replace(/&amp;/g, '&'), url)
    let answer: Response
    if (html.includes('name="username"')) {
      answer = await browser.postForm(action, { username: options.username }, url)
    } else if (html.includes('data-testid="scope-lines"')) {
      consentPage = html
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
      const rendition = /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? ''
      answer = await browser.postForm(action, { action: options.consent, csrf, rendition }, url)
    } else {
      throw new Error(`unexpected page at ${url.href}`)
    }
    if (answer.status < 300 || answer.status >= 400) {
      throw new Error(
        `${action.href} answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`,
      )
    }
    url = new URL(answer.headers.get('location') ?? '', action)
  }
  throw new Error('too many steps')
}

/** The text of the `<li>` lines of Assent's prompt, without the `<bdi>` around what admins wrote. */
export function promptLines(html: string | undefined): string[] {
  const list = /data-testid="scope-lines"[^>]*>([\s\S]*?)<\/ul>/.exec(html ?? '')?.[1] ?? ''
  return [
    ...list.matchAll(/<span(?: id="[^"]*")?>((?:[^<]|<\/?bdi>)*)<\/span>(?:<\/summary>|<\/li>)/g),
  ].map((m) => (m[1] ?? '').replace(/<\/?bdi>/g, ''))
}
