// How a server's state reads in the list: a short label, a tone for its badge, and a hint.
import type { ServerView } from '../../../../../main/core/api/contract.ts';

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
  switch (state.status) {
    case 'running':
      return { label: 'running', tone: 'ok' };
    case 'starting':
      return { label: 'starting', tone: 'busy' };
    case 'crashed':
      return { label: `crashed ${state.crashes}×`, tone: 'warn', hint: retryHint(state.nextRetryAt, now) };
    case 'error':
      return { label: 'error', tone: 'error', hint: state.lastError };
    case 'needs_authorization':
      return { label: 'needs authorization', tone: 'warn', hint: 'Click "Authorize" and sign in to the server in your browser.' };
    case 'stopped':
      return server.enabled ? { label: 'stopped', tone: 'off', hint: 'starts on first use' } : { label: 'disabled', tone: 'off' };
  }
}
