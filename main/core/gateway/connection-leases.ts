// The bookkeeping both kinds of private upstream connections share (one per session, one per user):
// a bounded set of entries keyed by owner and server, each counting the calls that use it; an
// entry unused for `idleMs` is closed, and a full set makes room by closing the least recently used
// entry no call is using, or refuses.
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

export interface LeaseLimits {
  /** Connections at once, all owners and servers together. */
  maxConnections: number;
  /** A connection unused this long is closed. */
  idleMs: number;
}

/** What the leases keep of an entry; the owner's own fields come beside these. */
export interface Leased {
  /** Its owner (a session id, a user name) and its server. */
  owner: string;
  server: string;
  lastUsed: number;
  /** Calls running on it: it is not closed to make room while it has any. */
  inUse: number;
}

export class ConnectionLeases<E extends Leased> {
  private readonly entries = new Map<string, E>();
  private readonly sweeper: NodeJS.Timeout;

  /** `close` ends an entry's connection; `busy` says what runs out when every entry is in use. */
  constructor(
    private readonly limits: LeaseLimits,
    private readonly close: (entry: E) => Promise<void>,
    private readonly busy: string,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(60_000, limits.idleMs));
    this.sweeper.unref();
  }

  get(owner: string, server: string): E | undefined {
    return this.entries.get(keyOf(owner, server));
  }

  /**
   * Adds an entry for `owner` and `server`, making room first when the set is full (throws when every
   * entry is in use), so `make` opens no connection that would then be refused.
   */
  add(owner: string, server: string, make: () => Omit<E, keyof Leased>): E {
    if (this.entries.size >= this.limits.maxConnections) this.makeRoom(server);
    const entry = { ...make(), owner, server, lastUsed: Date.now(), inUse: 0 } as E;
    this.entries.set(keyOf(owner, server), entry);
    return entry;
  }

  /** Counts a call on `entry`; the returned function ends it (once, however often it is called). */
  lease(entry: E): () => void {
    entry.inUse += 1;
    entry.lastUsed = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.inUse -= 1;
      entry.lastUsed = Date.now();
    };
  }

  /** Forgets `entry` and closes its connection (when it is still the one kept for its key). */
  remove(entry: E): Promise<void> {
    const key = keyOf(entry.owner, entry.server);
    if (this.entries.get(key) === entry) this.entries.delete(key);
    return this.close(entry).catch(() => {});
  }

  /** Removes every entry `doomed` picks. */
  removeWhere(doomed: (entry: E) => boolean): Promise<void> {
    return Promise.all([...this.entries.values()].filter(doomed).map((entry) => this.remove(entry))).then(() => {});
  }

  values(): E[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map((entry) => this.close(entry)));
  }

  private makeRoom(server: string): void {
    const idlest = this.values().filter((entry) => entry.inUse === 0).sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!idlest) {
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `server '${server}' runs ${this.busy} and all ${this.limits.maxConnections} are busy: try again when a call has finished`,
      );
    }
    void this.remove(idlest);
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.limits.idleMs;
    void this.removeWhere((entry) => entry.inUse === 0 && entry.lastUsed < cutoff);
  }
}

function keyOf(owner: string, server: string): string {
  return `${owner}\u0000${server}`;
}
