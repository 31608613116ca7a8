/**
 * Every error a caller can act on is a value with a code. The table below is
 * the one place that says which HTTP status each code maps to.
 */
export const errorStatus = {
  invalid_input: 400,
  malformed_request: 400,
  invalid_amount: 400,
  invalid_targeting: 400,
  unknown_package: 400,
  unknown_location: 400,
  invalid_credentials: 401,
  invalid_signature: 401,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  unknown_user: 404,
  unknown_session: 404,
  unknown_payment: 404,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  idempotency_conflict: 409,
  session_ended: 409,
  too_many_sessions: 409,
  email_taken: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  expectation_failed: 417,
  rate_limited: 429,
  too_many_open_checkouts: 429,
  headers_too_large: 431,
  internal_error: 500,
  provider_unavailable: 502,
  service_unavailable: 503,
  payment_not_refundable: 409,
  payment_mismatch: 409,
  payment_failed: 409,
  no_saved_card: 409,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** JSON-safe extra facts about an error, e.g. how many credits were needed. */
export type ErrorDetails = Record<string, string | number | boolean | null>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
