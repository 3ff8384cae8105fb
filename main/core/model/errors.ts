// How the gateway names what went wrong: the code every user-facing error carries, and the JSON body
// the admin API answers errors with (`{"error": {"code", "message"}}`).

export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'not_initialized'
  | 'upstream_error'
  | 'payload_too_large'
  | 'unavailable'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
