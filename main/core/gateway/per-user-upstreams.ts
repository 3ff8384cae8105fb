// Upstream connections of their own for the users of servers with "credentials": "per_user": one
// connection per (user, server), made at that user's first call with that user's own credentials,
// never shared with anyone else, and never replaced by the server's shared connection (which only
// lists the catalog). Closed when idle, to make room, or at once when the user's credential
// changes or goes; their number is bounded.
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { ServerConfig } from '../config/server-config.ts';
import type { UpstreamConnection } from '../upstream/types.ts';

/** Where users' own connections come from. */
export interface PerUserSource {
  /** Makes `user`'s connection to a per-user server, with their own credentials; undefined when they have not connected an account of it. */
  connect(config: ServerConfig, user: string): Promise<UpstreamConnection | undefined>;
  /**
   * Which credential `user` has for the server now (undefined: none). Asked at every call: a
   * connection made with another credential (replaced, removed, on any replica) is not used again.
   */
  version(config: ServerConfig, user: string): Promise<string | undefined>;
}

export interface PerUserLimits {
  /** Per-user connections at once, all users and servers together. */
  maxConnections: number;
  /** A per-user connection unused this long is closed. */
  idleMs: number;
}

const DEFAULT_PER_USER_LIMITS: PerUserLimits = { maxConnections: 200, idleMs: 10 * 60_000 };

interface Entry {
  user: string;
  config: ServerConfig;
  /** The credential it was made with (see PerUserSource.version). */
  version: string;
  /** Made once for concurrent first calls; undefined inside: the user has not connected the server. */
  opening: Promise<UpstreamConnection | undefined>;
  lastUsed: number;
  /** Calls running on it: it is not closed to make room while it has any. */
  inUse: number;
}

export class PerUserUpstreams {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly source: PerUserSource | undefined,
    private readonly limits: PerUserLimits = DEFAULT_PER_USER_LIMITS,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(60_000, limits.idleMs));
    this.sweeper.unref();
  }

  /** `user`'s own connection to the server `config` names; undefined when they have not connected it. `release` when the call ends. */
  async acquire(user: string, config: ServerConfig): Promise<{ connection: UpstreamConnection; release: () => void } | undefined> {
    if (!this.source) throw new ProtocolError(ProtocolErrorCode.InternalError, `server '${config.name}' uses each user's own credentials, which this gateway cannot do`);
    const key = keyOf(user, config.name);
    const version = await this.source.version(config, user);
    let entry = this.entries.get(key);
    if (entry && (entry.config !== config || entry.version !== version)) {
      // The server's config or the user's credential changed since: start over.
      this.close(user, config.name);
      entry = undefined;
    }
    if (version === undefined) return undefined;
    if (!entry) entry = this.open(this.source, user, config, version, key);
    entry.inUse += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      entry.inUse -= 1;
      entry.lastUsed = Date.now();
    };
    const connection = await entry.opening.catch((error: unknown) => {
      release();
      throw error;
    });
    if (!connection) {
      release();
      // Not kept: the next call looks again (the user may connect meanwhile, here or on another replica).
      if (this.entries.get(key) === entry) this.entries.delete(key);
      return undefined;
    }
    entry.lastUsed = Date.now();
    return { connection, release };
  }

  /** The user's credential for the server changed or went: their connection goes (the next call makes a new one). */
  close(user: string, server: string): void {
    const key = keyOf(user, server);
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    void entry.opening.then((connection) => connection?.stop()).catch(() => {});
  }

  /** Closes every user's connection to `server` (deregistered, or no longer per-user). */
  closeServer(server: string): void {
    for (const entry of [...this.entries.values()]) if (entry.config.name === server) this.close(entry.user, server);
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map(async (entry) => (await entry.opening)?.stop()));
  }

  get size(): number {
    return this.entries.size;
  }

  private open(source: PerUserSource, user: string, config: ServerConfig, version: string, key: string): Entry {
    if (this.entries.size >= this.limits.maxConnections) this.makeRoom(config.name);
    const entry: Entry = { user, config, version, opening: source.connect(config, user), lastUsed: Date.now(), inUse: 0 };
    this.entries.set(key, entry);
    return entry;
  }

  /** Closes the least recently used connection no call is using, or refuses. */
  private makeRoom(server: string): void {
    const idlest = [...this.entries.values()].filter((entry) => entry.inUse === 0).sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!idlest) {
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `server '${server}' runs one connection per user and all ${this.limits.maxConnections} are busy: try again when a call has finished`,
      );
    }
    this.close(idlest.user, idlest.config.name);
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.limits.idleMs;
    for (const entry of [...this.entries.values()]) {
      if (entry.inUse === 0 && entry.lastUsed < cutoff) this.close(entry.user, entry.config.name);
    }
  }
}

function keyOf(user: string, server: string): string {
  return `${user}\u0000${server}`;
}
