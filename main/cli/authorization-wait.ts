// Waits for the user to finish an upstream OAuth flow in the browser: polls the server until it
// runs (authorized) or errs, bounded in time and in polls, and stops early on an abort (Ctrl-C).
import type { ServerView } from '../core/api/contract.ts';

export const AUTHORIZATION_TIMEOUT_MS = 10 * 60_000;
const AUTHORIZATION_POLL_MS = 1_000;

export type AuthorizationOutcome =
  | { result: 'authorized'; server: ServerView }
  | { result: 'failed'; server: ServerView }
  | { result: 'timeout' }
  | { result: 'interrupted' };

export interface AuthorizationWaitOptions {
  name: string;
  getServer(name: string): Promise<ServerView>;
  signal?: AbortSignal;
  timeoutMs?: number;
  pollMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function waitForAuthorization({ name, getServer, ...bounds }: AuthorizationWaitOptions): Promise<AuthorizationOutcome> {
  // needs_authorization, starting, … mean the user has not finished yet.
  const verdict = (server: ServerView) => (server.state.status === 'running' ? 'authorized' : server.state.status === 'error' ? 'failed' : undefined);
  const outcome = await pollAuthorization(() => getServer(name), verdict, bounds);
  return 'value' in outcome ? { result: outcome.result, server: outcome.value } : outcome;
}

/**
 * Reads `read()` until `verdict` settles it (authorized or failed), bounded in time and in polls;
 * an abort stops it early. What each OAuth wait of the CLI shares.
 */
export async function pollAuthorization<T>(
  read: () => Promise<T>,
  verdict: (value: T) => 'authorized' | 'failed' | undefined,
  { signal, timeoutMs = AUTHORIZATION_TIMEOUT_MS, pollMs = AUTHORIZATION_POLL_MS }: Pick<AuthorizationWaitOptions, 'signal' | 'timeoutMs' | 'pollMs'> = {},
): Promise<{ result: 'authorized' | 'failed'; value: T } | { result: 'timeout' } | { result: 'interrupted' }> {
  const deadline = Date.now() + timeoutMs;
  const maxPolls = Math.ceil(timeoutMs / pollMs) + 1;
  for (let poll = 0; poll < maxPolls && Date.now() < deadline; poll += 1) {
    if (signal?.aborted) return { result: 'interrupted' };
    const value = await read();
    const settled = verdict(value);
    if (settled) return { result: settled, value };
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), signal);
  }
  return signal?.aborted ? { result: 'interrupted' } : { result: 'timeout' };
}
