// Which OS notifications the tray raises: one when a server starts needing the user (it keeps
// crashing, gave up, or needs authorization), not one per retry. The episode ends when the server
// runs again, is disabled or is removed; a later problem notifies again.
import type { ServerView } from '../../core/api/contract.ts';
import { serverRoute } from './menu-model.ts';

export type NoticeServer = Pick<ServerView, 'name' | 'enabled' | 'state'>;

export interface AttentionNotice {
  server: string;
  title: string;
  body: string;
  /** Clicking the notification opens the window here. */
  route: string;
}

/** A crash or two can be a blip the restart fixes; from this many on the user hears about it. */
const CRASHES_WORTH_A_NOTICE = 2;

type Problem = 'failing' | 'needs-authorization';

function problemOf({ enabled, state }: NoticeServer): Problem | undefined {
  if (!enabled) return undefined;
  if (state.status === 'needs_authorization') return 'needs-authorization';
  if (state.status === 'error' || (state.status === 'crashed' && state.crashes >= CRASHES_WORTH_A_NOTICE)) return 'failing';
  return undefined;
}

/** Between retries a crashing server passes through 'starting' and 'crashed': still the same episode. */
function episodeOver({ enabled, state }: NoticeServer): boolean {
  return !enabled || state.status === 'running' || state.status === 'stopped' || state.status === 'sleeping';
}

function notice(server: NoticeServer, problem: Problem): AttentionNotice {
  const route = serverRoute(server.name);
  if (problem === 'needs-authorization') {
    return { server: server.name, title: `${server.name} needs authorization`, body: 'Click to sign in to it from Canopy.', route };
  }
  const title = server.state.status === 'error' ? `${server.name} cannot start` : `${server.name} keeps crashing`;
  return { server: server.name, title, body: server.state.lastError ?? 'Click to see its log in Canopy.', route };
}

export class AttentionNotices {
  private readonly notified = new Map<string, Problem>();

  /** The notices to raise now, given every server's current state. */
  next(servers: readonly NoticeServer[]): AttentionNotice[] {
    const present = new Set(servers.map((server) => server.name));
    for (const name of this.notified.keys()) if (!present.has(name)) this.notified.delete(name);
    const notices: AttentionNotice[] = [];
    for (const server of servers) {
      if (episodeOver(server)) {
        this.notified.delete(server.name);
        continue;
      }
      const problem = problemOf(server);
      if (!problem || this.notified.get(server.name) === problem) continue;
      this.notified.set(server.name, problem);
      notices.push(notice(server, problem));
    }
    return notices;
  }
}
