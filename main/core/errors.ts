// Errors a user sees. Each carries an admin-API error code; the message says what was wrong and
// what to do. Anything else reaching the API edge is an internal error (logged, not shown).
import type { ErrorCode } from './model/errors.ts';

export class CanopyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CanopyError';
  }
}

export const notFound = (message: string) => new CanopyError('not_found', message);
export const badRequest = (message: string) => new CanopyError('bad_request', message);
export const conflict = (message: string) => new CanopyError('conflict', message);
export const upstreamError = (message: string) => new CanopyError('upstream_error', message);

export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  not_initialized: 503,
  upstream_error: 502,
  unavailable: 503,
  internal: 500,
};
