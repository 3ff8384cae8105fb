// Authorizations started but not yet completed, keyed by their `state`. Kept in memory only: a
// restart forgets them and the user starts again. Each is single-use and expires after `ttlMs`.
const MAX_PENDING = 100;

export type PendingLookup<T> =
  | { status: 'found'; value: T }
  | { status: 'expired'; value: T }
  | { status: 'unknown' };

interface Entry<T> {
  value: T;
  expiresAt: number;
}

export class PendingAuthorizations<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(readonly ttlMs: number) {}

  add(state: string, value: T): void {
    this.prune();
    this.entries.set(state, { value, expiresAt: Date.now() + this.ttlMs });
  }

  /** Removes and returns the authorization for `state`: a state works once. */
  take(state: string): PendingLookup<T> {
    const entry = this.entries.get(state);
    if (!entry) return { status: 'unknown' };
    this.entries.delete(state);
    return { status: Date.now() > entry.expiresAt ? 'expired' : 'found', value: entry.value };
  }

  /** A pending value matching `predicate`, without taking it. */
  find(predicate: (value: T) => boolean): T | undefined {
    for (const entry of this.entries.values()) if (predicate(entry.value)) return entry.value;
    return undefined;
  }

  /** Drops every pending authorization matching `predicate`. */
  drop(predicate: (value: T) => boolean): void {
    for (const [state, entry] of this.entries) if (predicate(entry.value)) this.entries.delete(state);
  }

  // Expired entries stay one more TTL so a late callback hears "expired" rather than "unknown";
  // past that, and past MAX_PENDING, the oldest go (a Map iterates in insertion order).
  private prune(): void {
    const now = Date.now();
    for (const [state, entry] of this.entries) if (now > entry.expiresAt + this.ttlMs) this.entries.delete(state);
    for (const state of this.entries.keys()) {
      if (this.entries.size < MAX_PENDING) break;
      this.entries.delete(state);
    }
  }
}
