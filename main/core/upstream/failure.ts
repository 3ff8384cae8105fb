// Turning what went wrong with an upstream into one line a user can act on.
import { SdkHttpError, UnauthorizedError } from '@modelcontextprotocol/client';

/** The SDK's ways of saying "HTTP 401": UnauthorizedError, an SdkHttpError (or SseError) with status 401. */
export function isUnauthorized(error: unknown): boolean {
  if (error instanceof UnauthorizedError) return true;
  if (error instanceof SdkHttpError) return error.status === 401;
  return (error as { code?: unknown } | undefined)?.code === 401;
}

/** The message plus the low-level cause fetch hides (`fetch failed` → `ECONNREFUSED 127.0.0.1:1234`). */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The useful part is often deep down: "probe failed: fetch failed" ← TypeError ← ECONNREFUSED.
  let text = error.message;
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; depth < 5 && cause; depth++) {
    const { code, message } = cause as { code?: string; message?: string };
    const detail = code ?? message;
    if (detail && !text.includes(detail)) text += ` (${detail})`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return text;
}

/** Last stderr lines, quoted on one line. */
export function formatOutputTail(lines: string[]): string {
  return lines.length ? ` Last output: ${lines.map((line) => JSON.stringify(line)).join(' | ')}` : '';
}

/** A per-user server's catalog connection with no account to list with: nobody connected one (or the upstream refused it). */
export function noConnectedAccountMessage(server: string): string {
  return `server '${server}' uses each person's own account, and no connected account works yet: its tools are listed once someone connects theirs (\`canopy connect ${server}\` or the Connections page)`;
}

export function needsAuthorizationMessage(server: string): string {
  return `server '${server}' needs authorization: run \`canopy authorize ${server}\` (or open Canopy and authorize it)`;
}

export function rejectedCredentialsMessage(server: string, error: unknown): string {
  return (
    `server '${server}' rejected Canopy's credentials (${errorText(error)}): check its bearer_token and headers, ` +
    `or, if it uses OAuth, run \`canopy authorize ${server}\``
  );
}
