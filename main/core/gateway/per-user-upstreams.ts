// Upstream connections of their own for the users of servers with "credentials": "per_user": one
// connection per (user, server), made at that user's first call with that user's own credentials,
// never shared with anyone else, and never replaced by the server's shared connection (which only
// lists the catalog). Closed when idle, to make room, or at once when the user's credential
// changes or goes; their number is bounded.
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { ServerConfig } from '../config/server-config.ts';
import type { UpstreamConnection } from '../upstream/types.ts';
import { ConnectionLeases, type LeaseLimits, type Leased } from './connection-leases.ts';

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

const DEFAULT_PER_USER_LIMITS: LeaseLimits = { maxConnections: 200, idleMs: 10 * 60_000 };

interface Entry extends Leased {
  config: ServerConfig;
  /** The credential it was made with (see PerUserSource.version). */
  version: string;
  /** Made once for concurrent first calls; undefined inside: the user has not connected the server. */
  opening: Promise<UpstreamConnection | undefined>;
}

export class PerUserUpstreams {
  private readonly leases: ConnectionLeases<Entry>;

  constructor(
    private readonly source: PerUserSource | undefined,
    limits: LeaseLimits = DEFAULT_PER_USER_LIMITS,
  ) {
    this.leases = new ConnectionLeases(limits, async (entry) => (await entry.opening)?.stop(), 'one connection per user');
  }

  /** `user`'s own connection to the server `config` names; undefined when they have not connected it. `release` when the call ends. */
  async acquire(user: string, config: ServerConfig): Promise<{ connection: UpstreamConnection; release: () => void } | undefined> {
    const source = this.source;
    if (!source) throw new ProtocolError(ProtocolErrorCode.InternalError, `server '${config.name}' uses each user's own credentials, which this gateway cannot do`);
    const version = await source.version(config, user);
    let entry = this.leases.get(user, config.name);
    if (entry && (entry.config !== config || entry.version !== version)) {
      // The server's config or the user's credential changed since: start over.
      void this.leases.remove(entry);
      entry = undefined;
    }
    if (version === undefined) return undefined;
    entry ??= this.leases.add(user, config.name, () => ({ config, version, opening: source.connect(config, user) }));
    const release = this.leases.lease(entry);
    const connection = await entry.opening.catch((error: unknown) => {
      release();
      throw error;
    });
    if (!connection) {
      release();
      // Not kept: the next call looks again (the user may connect meanwhile, here or on another replica).
      void this.leases.remove(entry);
      return undefined;
    }
    entry.lastUsed = Date.now();
    return { connection, release };
  }

  /** The user's credential for the server changed or went: their connection goes (the next call makes a new one). */
  close(user: string, server: string): void {
    const entry = this.leases.get(user, server);
    if (entry) void this.leases.remove(entry);
  }

  /** Closes every user's connection to `server` (deregistered, or no longer per-user). */
  closeServer(server: string): void {
    void this.leases.removeWhere((entry) => entry.server === server);
  }

  stop(): Promise<void> {
    return this.leases.stop();
  }

  get size(): number {
    return this.leases.size;
  }
}
