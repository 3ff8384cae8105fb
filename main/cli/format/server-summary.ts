// One-line summaries of a server, shared by register, authorize, restart and import.
import type { ServerView } from '../../core/api/contract.ts';
import { stateLabel } from './server-state.ts';

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** e.g. "13 tools, 3 prompts, 7 resources" (zero counts left out, except tools). */
export function catalogCounts(server: Pick<ServerView, 'toolCount' | 'promptCount' | 'resourceCount'>): string {
  const parts = [plural(server.toolCount, 'tool')];
  if (server.promptCount > 0) parts.push(plural(server.promptCount, 'prompt'));
  if (server.resourceCount > 0) parts.push(plural(server.resourceCount, 'resource'));
  return parts.join(', ');
}

/** e.g. "everything (stdio): running, 13 tools, 3 prompts". */
export function serverSummary(server: ServerView, now = Date.now()): string {
  return `${server.name} (${server.transport}): ${stateLabel(server, now)}, ${catalogCounts(server)}`;
}
