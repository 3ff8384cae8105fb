// How a failure reaches the user: one line, `error: <reason>`, and a non-zero exit status.
import { ApiError } from '../core/api/client.ts';
import { ConfigError } from '../core/config/config-error.ts';

/** A failure the user caused or can fix; its message is the whole story (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    /** The process exit status (130 after Ctrl-C, by shell convention). */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The one line printed for a failure. Unexpected errors keep their stack behind CANOPY_DEBUG. */
export function errorLine(error: unknown, debug = false): string {
  if (error instanceof CliError || error instanceof ApiError || error instanceof ConfigError) return error.message;
  // The admin client parses every answer as JSON: something else answered at --registry.
  if (error instanceof SyntaxError) return `the registry did not answer like Canopy (${error.message}): check --registry / CANOPY_REGISTRY`;
  if (error instanceof Error) return debug && error.stack ? error.stack : error.message;
  return String(error);
}

export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : 1;
}
