// When a stdio server sleeps. Its process is stopped after `idle_timeout_seconds` (default 600, the
// gateway's CANOPY_IDLE_TIMEOUT_SECONDS) with no request in flight and no resource subscription
// open; its catalog stays listed (and stored, so a restarted gateway lists it without starting the
// server), and the next request starts it again. `always_on` servers, remote servers (no process
// to stop) and the per-session connections of "isolation": "per_session" (a session's own) never sleep.
import { createHash } from 'node:crypto';
import type { ServerConfig } from '../config/server-config.ts';
import type { CachedCatalog } from '../store/catalog-cache.ts';
import type { UpstreamCatalog, UpstreamConnection, UpstreamState } from '../upstream/types.ts';

export const DEFAULT_IDLE_TIMEOUT_SECONDS = 600;

/** How long the server may sit idle before it sleeps; undefined when it never sleeps. */
export function idleTimeoutMs(config: ServerConfig, defaultSeconds: number): number | undefined {
  if (config.transport !== 'stdio' || config.always_on) return undefined;
  return (config.idle_timeout_seconds ?? defaultSeconds) * 1000;
}

/**
 * A fingerprint of how a stdio server is launched (a hash: env may hold secret refs): a stored
 * catalog is listed only for the launch it was learned from.
 */
function launchOf(config: ServerConfig): string {
  const launch = [config.transport, config.command, config.args ?? [], config.env ?? {}, config.cwd ?? null];
  return createHash('sha256').update(JSON.stringify(launch)).digest('hex');
}

/** Whether a server's catalogs are stored: only stdio servers can sleep, so only theirs are needed. */
export function cachesCatalog(config: ServerConfig): boolean {
  return config.transport === 'stdio';
}

export function cachedCatalog(catalog: UpstreamCatalog, config: ServerConfig): CachedCatalog {
  return { launch: launchOf(config), catalog, learnedAt: new Date().toISOString() };
}

/** The stored catalog when it was learned from this config's launch. */
export function catalogFor(cached: CachedCatalog | undefined, config: ServerConfig): UpstreamCatalog | undefined {
  return cached && cached.launch === launchOf(config) ? (cached.catalog as UpstreamCatalog) : undefined;
}

/**
 * Puts a connection to sleep once it has run idle for `timeoutMs` (counted from its last request,
 * or from its start). Returns how to stop watching.
 */
export function watchIdle(connection: UpstreamConnection, timeoutMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(check, ms);
    timer.unref();
  };
  const check = () => {
    timer = undefined;
    const { state } = connection;
    if (state.status !== 'running') return;
    const since = connection.idleSince();
    // Busy (a request in flight, a subscription open): looked at again a whole period later.
    const left = since === undefined ? timeoutMs : Math.max(since, Date.parse(state.since)) + timeoutMs - Date.now();
    if (left > 0) arm(left);
    else void connection.sleep();
  };
  const onState = (state: UpstreamState) => {
    if (state.status === 'running') {
      if (!timer) arm(timeoutMs);
    } else {
      clearTimeout(timer);
      timer = undefined;
    }
  };
  connection.on('state', onState);
  onState(connection.state);
  return () => {
    clearTimeout(timer);
    connection.off('state', onState);
  };
}
