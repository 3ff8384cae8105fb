// Resource subscriptions, shared across sessions: one upstream subscription per (server, URI) however
// many downstream sessions watch it; `notifications/resources/updated` goes to each watcher under the
// URI it subscribed with.
import type { ItemRef } from './catalog.ts';

interface Watcher {
  session: SubscribingSession;
  exposedUri: string;
}

export interface SubscribingSession {
  readonly id: string;
  sendResourceUpdated(exposedUri: string): Promise<void>;
}

type SendUpstream = (request: { method: 'resources/subscribe' | 'resources/unsubscribe'; params: { uri: string } }) => Promise<unknown>;

const key = (ref: ItemRef) => `${ref.server}\u0000${ref.name}`;
const refOf = (k: string): ItemRef => {
  const at = k.indexOf('\u0000');
  return { server: k.slice(0, at), name: k.slice(at + 1) };
};

export class Subscriptions {
  private readonly watchers = new Map<string, Watcher[]>();

  async subscribe(session: SubscribingSession, ref: ItemRef, exposedUri: string, send: SendUpstream): Promise<void> {
    const k = key(ref);
    const list = this.watchers.get(k) ?? [];
    if (list.some((w) => w.session === session)) return;
    if (list.length === 0) await send({ method: 'resources/subscribe', params: { uri: ref.name } });
    list.push({ session, exposedUri });
    this.watchers.set(k, list);
  }

  async unsubscribe(session: SubscribingSession, ref: ItemRef, send: SendUpstream): Promise<void> {
    const k = key(ref);
    const list = (this.watchers.get(k) ?? []).filter((w) => w.session !== session);
    if (list.length > 0) {
      this.watchers.set(k, list);
      return;
    }
    if (this.watchers.delete(k)) await send({ method: 'resources/unsubscribe', params: { uri: ref.name } });
  }

  /**
   * Forgets a closed session. Returns the upstream subscriptions nobody watches any more, for the
   * caller to cancel (an open one keeps an idle stdio server from sleeping).
   */
  dropSession(session: SubscribingSession): ItemRef[] {
    const unwatched: ItemRef[] = [];
    for (const [k, list] of this.watchers) {
      const rest = list.filter((w) => w.session !== session);
      if (rest.length === list.length) continue;
      if (rest.length > 0) {
        this.watchers.set(k, rest);
        continue;
      }
      this.watchers.delete(k);
      unwatched.push(refOf(k));
    }
    return unwatched;
  }

  /** Upstream URIs of `server` that someone watches (to subscribe again after the upstream restarts). */
  watchedUris(server: string): string[] {
    const prefix = `${server}\u0000`;
    return [...this.watchers.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }

  async updated(server: string, uri: string): Promise<void> {
    const list = this.watchers.get(key({ server, name: uri })) ?? [];
    await Promise.allSettled(list.map((w) => w.session.sendResourceUpdated(w.exposedUri)));
  }
}
