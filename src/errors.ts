import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Error codes of the Management API (DESIGN §4.1). */
export type ErrorCode =
  | 'invalid_body'
  | 'invalid_query_string'
  | 'invalid_uri'
  | 'invalid_authorization_details'
  | 'insufficient_scope'
  | 'invalid_token'
  | 'inexistent_resource_server'
  | 'inexistent_client'
  | 'inexistent_role'
  | 'inexistent_grant'
  | 'inexistent_consent_request'
  | 'inexistent_user'
  | 'conflict'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'unsupported_media_type'
  | 'not_found'
  | 'method_not_allowed'
  | 'expired'
  | 'already_answered'
  | 'invalid_csrf'
  | 'bound_elsewhere'
  | 'invalid_verifier'
  | 'not_answered'
  | 'inexistent_webhook'
  | 'inexistent_receipt'
  | 'portal_link_invalid'
  | 'portal_session_required'
  | 'internal_error'

export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/**
 * The one error type: thrown anywhere, turned into a JSON body (API) or a translated page
 * (browser) by the error handler. `expose` is false for 5xx, whose message stays in the log.
 */
export class AppError extends Error {
  readonly expose: boolean

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'AppError'
    this.expose = status < 500
  }
}

/** The JSON body of an error (DESIGN §4.1). */
export function errorBody(error: AppError) {
  return {
    statusCode: error.status,
    error: STATUS_TEXT[error.status] ?? 'Error',
    message: error.expose ? error.message : 'Internal error',
    errorCode: error.code,
  }
}

/** What a `ConflictError` collided on: each names one unique key of the store. */
export type ConflictSubject =
  /** A resource server's identifier, within its tenant. */
  | 'resource_server'
  /** A client's client_id. */
  | 'client'
  /** A role's name, within its tenant. */
  | 'role'

/**
 * A unique value (identifier, name, id) is already taken: a fact the store reports. What to tell
 * the caller about it is the error handler's to say.
 */
export class ConflictError extends Error {
  constructor(
    readonly subject: ConflictSubject,
    options?: ErrorOptions,
  ) {
    super(`unique key of ${subject} already taken`, options)
    this.name = 'ConflictError'
  }
}

/**
 * Bad input in one named field: a 400 like any other for the Management API, and for a console
 * form the message to show beside that field (`reason`), with the user's input kept.
 */
export class FieldError extends AppError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(400, 'invalid_body', `Payload validation error: ${field} ${reason}.`)
    this.name = 'FieldError'
  }
}
