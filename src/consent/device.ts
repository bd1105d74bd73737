/**
 * A device sign-in (OAuth 2.0 Device Authorization Grant, RFC 8628): the user answers on their
 * phone or computer for a TV or a command-line tool, which shows them a code. Device-code phishing
 * sends a victim a code the attacker started; the page's defence is to show the code so the user
 * can compare it with their own device, and to say plainly that nobody asks for it (DESIGN §3.10).
 */
export interface DeviceSignIn {
  /** The `user_code` the AS issued, exactly as it sent it. */
  readonly userCode: string
  /** What the AS calls the device (`device.name`); `null` when it sent none. */
  readonly name: string | null
}

/**
 * RFC 8628 §6.1 recommends a short code of letters or digits, often with a dash to read it in
 * two halves; nothing else is needed, and nothing else can hide another code or markup.
 */
export const USER_CODE_PATTERN = /^[A-Za-z0-9-]{1,32}$/

export const isUserCode = (value: string): boolean => USER_CODE_PATTERN.test(value)
