/**
 * Device sign-in (OAuth 2.0 Device Authorization Grant, RFC 8628) with Assent as the consent page.
 *
 * A TV or a command-line tool asks oidc-provider for a device code (`POST /device/auth`) and shows
 * the user a short code and where to enter it (`/device`). The user enters the code on their phone
 * or computer, signs in, and answers Assent's prompt, which shows the same code, tells them to
 * compare it with their device and warns that nobody will ever ask them for it (DESIGN §3.10):
 * device-code phishing works by sending a victim a code the attacker started. Meanwhile the device
 * polls the token endpoint; it gets its tokens once the user accepted, `access_denied` once they
 * declined.
 *
 * oidc-provider's own confirmation step (the code again, "Continue" / "Abort") is left out: the
 * code form posts `confirm=yes` with the code, and Assent's page is where the user compares the
 * code and decides, so they are asked once, with the warning, and never skip it (a device request
 * is always asked, whatever was granted before).
 */
import type { Configuration, DeviceCode, Interaction } from 'oidc-provider'
import type { CreateConsentRequestInput } from '../../src/client/index.js'

/** How codes look: eight letters of oidc-provider's base-20 alphabet, read in two halves. */
const MASK = '****-****'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The code as the device shows it: oidc-provider keeps it without the dash. */
function shown(normalized: string): string {
  const chars = [...normalized]
  return [...MASK].map((c) => (c === '*' ? (chars.shift() ?? '') : c)).join('')
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`
}

type DeviceFlowFeature = NonNullable<NonNullable<Configuration['features']>['deviceFlow']>

/** oidc-provider's `features.deviceFlow`: on, with this server's pages. */
export function deviceFlowFeature(): DeviceFlowFeature {
  return {
    enabled: true,
    charset: 'base-20',
    mask: MASK,
    userCodeInputSource(ctx, form, _out, err) {
      // The code, confirmed as it is sent: Assent's page is the confirmation (see above).
      const confirmed = form.replace(
        '</form>',
        '<input type="hidden" name="confirm" value="yes"/></form>',
      )
      const message = err
        ? err.name === 'AbortedError'
          ? 'The sign-in was declined or interrupted.'
          : 'That code is not valid. Check it and try again.'
        : 'Enter the code shown on your device.'
      ctx.type = 'html'
      ctx.body = page(
        'Sign in on a device',
        `<p role="status">${escapeHtml(message)}</p>${confirmed.replace(
          'name="user_code"',
          'name="user_code" id="user_code" aria-label="Code"',
        )}<button type="submit" form="op.deviceInputForm">Continue</button>`,
      )
    },
    successSource(ctx) {
      ctx.type = 'html'
      ctx.body = page(
        'Your device is signed in',
        '<p data-testid="device-done">You can close this page and go back to your device.</p>',
      )
    },
  }
}

/**
 * What a consent request says of a device sign-in (DESIGN §3.10): `flow: "device"` and the code
 * the device shows, for an interaction that comes from one; nothing for any other. A device has
 * no redirect URI, so the caller sends none.
 */
export async function deviceSignIn(
  provider: { DeviceCode: typeof DeviceCode },
  interaction: Interaction,
): Promise<Pick<CreateConsentRequestInput, 'flow' | 'user_code'> | undefined> {
  if (!interaction.deviceCode) return undefined
  // Found by the id the interaction keeps: oidc-provider tied the interaction to this browser;
  // the code itself was entered in it too, but is looked up here without that check.
  const find = provider.DeviceCode.find as (
    id: string,
    options: { ignoreExpiration: boolean; ignoreSessionBinding: boolean },
  ) => Promise<DeviceCode | undefined>
  const code = await find.call(provider.DeviceCode, interaction.deviceCode, {
    ignoreExpiration: false,
    ignoreSessionBinding: true,
  })
  if (!code) throw new Error('the device code of this sign-in is gone')
  return { flow: 'device', user_code: shown(code.userCode) }
}
