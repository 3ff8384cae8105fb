// The resources a 2026-07-28 client watches on its `subscriptions/listen` stream
// (`notifications.resourceSubscriptions`). Canopy subscribes upstream (through the shared
// subscriptions, once per resource however many clients watch it) for as long as some stream
// watches it, and publishes the server's updates to the streams under the URI they asked with.
import type { CatalogView, ItemRef } from './catalog.ts';
import type { SubscribingSession, Subscriptions } from './subscriptions.ts';
import type { UpstreamConnection } from '../upstream/types.ts';
import { isPerUser } from '../config/server-config.ts';

interface Watched {
  streams: number;
  ref: ItemRef;
  watcher: SubscribingSession;
}

export class ListenSubscriptions {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly subscriptions: Subscriptions,
    private readonly connection: (server: string) => UpstreamConnection | undefined,
    /** Sends `notifications/resources/updated` for `exposedUri` to the streams watching it. */
    private readonly publish: (exposedUri: string) => void,
  ) {}

  /** A stream watches `exposedUris` (as the caller's view names them); the returned function ends it (once). */
  async watch(view: CatalogView, exposedUris: string[]): Promise<() => void> {
    const keys: string[] = [];
    for (const exposedUri of new Set(exposedUris)) {
      const ref = view.resolveResource(exposedUri);
      if (!ref) continue; // not one the caller may read: never watched for it
      // One upstream subscription serves every stream: it cannot be several users' accounts at once.
      const config = this.connection(ref.server)?.config;
      if (config && isPerUser(config)) continue;
      const key = `${ref.server}\u0000${exposedUri}`;
      let entry = this.watched.get(key);
      if (!entry) {
        entry = { streams: 0, ref, watcher: { id: `listen:${key}`, sendResourceUpdated: async (uri) => this.publish(uri) } };
        this.watched.set(key, entry);
        await this.subscriptions.subscribe(entry.watcher, ref, exposedUri, (request) => this.send(ref.server, request)).catch(() => {});
      }
      entry.streams += 1;
      keys.push(key);
    }
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      for (const key of keys) this.release(key);
    };
  }

  private release(key: string): void {
    const entry = this.watched.get(key);
    if (!entry || --entry.streams > 0) return;
    this.watched.delete(key);
    void this.subscriptions.unsubscribe(entry.watcher, entry.ref, (request) => this.send(entry.ref.server, request)).catch(() => {});
  }

  private async send(server: string, request: { method: 'resources/subscribe' | 'resources/unsubscribe'; params: { uri: string } }): Promise<unknown> {
    const connection = this.connection(server);
    if (!connection) throw new Error(`no server named '${server}'`);
    await connection.ready();
    return connection.request(request);
  }
}
