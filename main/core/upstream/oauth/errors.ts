// What a connection sees when OAuth cannot give it a usable token without the user: the server's
// status becomes 'needs_authorization'. It is the SDK's UnauthorizedError (what the SDK transports
// throw when authorization would need a browser), so code that knows the SDK's error knows this one.
import { UnauthorizedError } from '@modelcontextprotocol/client';

export class AuthorizationRequiredError extends UnauthorizedError {
  constructor(
    readonly server: string,
    readonly reason: string,
  ) {
    super(`server '${server}' needs authorization (${reason}): run \`canopy authorize ${server}\` or open Canopy`);
    this.name = 'AuthorizationRequiredError';
  }
}

/** True when `error` (or an error it wraps as `cause`) says the upstream needs the user to authorize again. */
export function isAuthorizationRequired(error: unknown): boolean {
  // The connection layer may wrap the error; a short walk down `cause` finds it without looping forever.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof AuthorizationRequiredError) return true;
    current = current.cause;
  }
  return false;
}
