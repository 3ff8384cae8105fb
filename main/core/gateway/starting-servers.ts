// A call that names an item of a server that is (re)starting waits for it, bounded, instead of
// answering "unknown tool" at once: during a restart the new connection has no catalog yet.
import type { UpstreamConnection } from '../upstream/types.ts';
import { isListed, namedItem, type CatalogSource, type ItemFilter, type ViewSpec } from './catalog.ts';

/** While a restart replaces the connection, the registry may have none for a moment. */
const CONNECTION_APPEARS_MS = 5_000;

/**
 * The server an unresolved tool/prompt name points to, when waiting for it can help: it is
 * registered, enabled, not listed yet and not in a state only the user can fix; and the caller's
 * filter would allow the item (so waiting reveals nothing about items it may not see).
 */
export function startingServer(source: CatalogSource, spec: ViewSpec, kind: 'tool' | 'prompt', exposed: string, filter: ItemFilter | undefined): string | undefined {
  const ref = namedItem(spec, exposed, source);
  if (!ref || !source.server(ref.server)?.enabled) return undefined;
  if (filter && !filter.allows(ref.server, kind, ref.name)) return undefined;
  const connection = source.connection(ref.server);
  if (!connection) return ref.server;
  if (isListed(connection)) return undefined;
  const { status } = connection.state;
  return status === 'starting' || status === 'crashed' || status === 'stopped' ? ref.server : undefined;
}

/**
 * The server's connection, waiting (bounded) for it to exist while the server stays enabled: a
 * server just switched on or restarting gets its connection a moment later (its secrets are read first).
 */
export async function waitForConnection(source: CatalogSource, server: string): Promise<UpstreamConnection | undefined> {
  const settled = () => source.connection(server) !== undefined || !source.server(server)?.enabled;
  if (!settled()) {
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        source.off('changed', check);
        resolve();
      };
      const check = () => {
        if (settled()) finish();
      };
      const timer = setTimeout(finish, CONNECTION_APPEARS_MS);
      source.on('changed', check);
    });
  }
  return source.connection(server);
}

/** Waits until the server runs (bounded by its own ready timeout); a failure is left to the caller's re-check. */
export async function waitForServer(source: CatalogSource, server: string): Promise<void> {
  await (await waitForConnection(source, server))?.ready().catch(() => {});
}
