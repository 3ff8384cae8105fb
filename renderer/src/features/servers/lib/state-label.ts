// How a server's state reads in the list: a short label, a tone for its badge, and a hint.
import type { ServerView } from '@core/api/contract.ts';
import { serverStateLabel } from '@core/api/server-state-label.ts';

export type StateTone = 'ok' | 'busy' | 'warn' | 'error' | 'off';

export interface StateLabel {
  label: string;
  tone: StateTone;
  /** What is going on / what to do, when there is more to say. */
  hint?: string;
}

function retryHint(nextRetryAt: string | undefined, now: Date): string | undefined {
  if (!nextRetryAt) return undefined;
  const seconds = Math.max(0, Math.round((Date.parse(nextRetryAt) - now.getTime()) / 1000));
  return seconds > 0 ? `retrying in ${seconds} s` : 'retrying now';
}

export function describeState(server: Pick<ServerView, 'enabled' | 'state'>, now = new Date()): StateLabel {
  const { state } = server;
  const label = serverStateLabel(server);
  if (!server.enabled) return { label, tone: 'off' };
  switch (state.status) {
    case 'running':
      return { label, tone: 'ok' };
    case 'starting':
      return { label, tone: 'busy' };
    case 'crashed':
      return { label, tone: 'warn', hint: retryHint(state.nextRetryAt, now) };
    case 'error':
      return { label, tone: 'error', hint: state.lastError };
    case 'needs_authorization':
      return { label, tone: 'warn', hint: 'Click "Authorize" and sign in to the server in your browser.' };
    case 'stopped':
      return { label, tone: 'off', hint: 'starts on first use' };
    case 'sleeping':
      return { label, tone: 'off', hint: 'idle: stopped until the next call, which starts it; its tools stay listed' };
  }
}
