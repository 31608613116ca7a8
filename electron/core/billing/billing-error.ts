import type { ErrorCode, ErrorDetails } from '../../../shared/errors.ts';

/** `network`: no answer (offline, refused, timed out); `bad_response`: an answer outside the contract. */
export type BillingErrorCode = ErrorCode | 'network' | 'bad_response';

/** A failed billing call as a value with a code, like the service's own errors. */
export class BillingError extends Error {
  readonly code: BillingErrorCode;
  /** The HTTP status, when the service answered. */
  readonly status: number | undefined;
  readonly details: ErrorDetails | undefined;

  constructor(code: BillingErrorCode, message: string, options: { status?: number; details?: ErrorDetails } = {}) {
    super(message);
    this.name = 'BillingError';
    this.code = code;
    this.status = options.status;
    this.details = options.details;
  }

  /** Worth retrying later with the same request: the service was unreachable or failing. */
  get transient(): boolean {
    return this.code === 'network' || (this.status !== undefined && this.status >= 500);
  }
}

export function isBillingError(error: unknown, code?: BillingErrorCode): error is BillingError {
  return error instanceof BillingError && (code === undefined || error.code === code);
}
