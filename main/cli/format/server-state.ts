// A server's state as words: the short label of `canopy list servers` and the advice of
// `canopy doctor` (what is wrong and which command fixes it).
import type { ServerView } from '../../core/api/contract.ts';
import { formatDuration } from './duration.ts';
import { serverStateLabel } from '../../core/api/server-state-label.ts';

type ServerStateView = Pick<ServerView, 'name' | 'enabled' | 'state'>;

function retryIn(state: ServerView['state'], now: number): string | undefined {
  if (!state.nextRetryAt) return undefined;
  return formatDuration(Math.max(0, Date.parse(state.nextRetryAt) - now));
}

/** e.g. "running", "disabled", "crashed 3× (retry in 4s)", "error (crashed 2×)". */
export function stateLabel(server: ServerStateView, now = Date.now()): string {
  const label = serverStateLabel(server);
  if (!server.enabled) return label;
  const { state } = server;
  if (state.status === 'crashed') {
    const retry = retryIn(state, now);
    return retry ? `${label} (retry in ${retry})` : label;
  }
  if (state.status === 'error' && state.crashes > 0) return `${label} (crashed ${state.crashes}×)`;
  return label;
}

export interface ServerHealth {
  /** `problem`: the server cannot serve its tools until the user acts. */
  level: 'ok' | 'info' | 'problem';
  text: string;
}

export function serverHealth(server: ServerStateView, now = Date.now()): ServerHealth {
  const { name, enabled, state } = server;
  const logs = `see \`canopy logs ${name}\``;
  if (!enabled) return { level: 'info', text: `disabled: \`canopy enable server ${name}\` turns it on` };
  switch (state.status) {
    case 'running':
      return { level: 'ok', text: 'running' };
    case 'starting':
      return { level: 'info', text: 'starting' };
    case 'stopped':
      return { level: 'info', text: 'not started yet: it starts on first use' };
    case 'sleeping':
      return { level: 'ok', text: 'sleeping (idle): its tools are listed and the next call starts it' };
    case 'needs_authorization':
      return { level: 'problem', text: `needs authorization: run \`canopy authorize ${name}\`` };
    case 'crashed': {
      const retry = retryIn(state, now);
      const reason = state.lastError ? `: ${state.lastError}` : '';
      return {
        level: 'problem',
        text: `crashed ${state.crashes}×${reason}; ${retry ? `restarting in ${retry}` : 'restarting'}; ${logs}`,
      };
    }
    case 'error':
      return {
        level: 'problem',
        text: `${state.lastError ?? 'cannot start'}; ${logs}, fix its config and register it again with --force, or run \`canopy restart ${name}\``,
      };
  }
}
