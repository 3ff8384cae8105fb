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

export async function waitForAuthorization({
  name,
  getServer,
  signal,
  timeoutMs = AUTHORIZATION_TIMEOUT_MS,
  pollMs = AUTHORIZATION_POLL_MS,
}: AuthorizationWaitOptions): Promise<AuthorizationOutcome> {
  const deadline = Date.now() + timeoutMs;
  const maxPolls = Math.ceil(timeoutMs / pollMs) + 1;
  for (let poll = 0; poll < maxPolls && Date.now() < deadline; poll += 1) {
    if (signal?.aborted) return { result: 'interrupted' };
    const server = await getServer(name);
    // needs_authorization, starting, … mean the user has not finished yet.
    if (server.state.status === 'running') return { result: 'authorized', server };
    if (server.state.status === 'error') return { result: 'failed', server };
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), signal);
  }
  return signal?.aborted ? { result: 'interrupted' } : { result: 'timeout' };
}
