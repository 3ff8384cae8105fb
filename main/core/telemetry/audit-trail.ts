// The audit log: who (MCP client or user) did what (tool call, prompt get, resource read, admin
// change), with what outcome and how long it took. Entries are queued and written in batches off
// the request path; reads flush first, so what was done is what is read. Entries older than the
// retention period are deleted hourly.
import type { AuditLogRepository } from '../store/audit-log.ts';
import type { ActorKind, AuditEntry, AuditEntryView } from '../model/audit.ts';
import { badRequest } from '../errors.ts';
import { isDatabaseUnreachable } from '../store/dialect.ts';
import type { Logger } from './logger.ts';

const BATCH_DELAY_MS = 100;
const MAX_BATCH = 200;
const PRUNE_EVERY_MS = 60 * 60_000;
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;
const MAX_QUERY_LIMIT = 1000;

/** `client:NAME` / `user:NAME` (identity keys) as actor columns; no identity: anonymous. */
export function actorOf(identity: string | undefined): { actorKind: ActorKind; actor: string } {
  const colon = identity?.indexOf(':') ?? -1;
  if (!identity || colon < 0) return { actorKind: 'anonymous', actor: '-' };
  return { actorKind: identity.slice(0, colon) as ActorKind, actor: identity.slice(colon + 1) };
}

/** An ISO time, or a duration back from `now`: `90s`, `30m`, `24h`, `7d`. */
function parseSince(since: string, now = Date.now()): string {
  const relative = /^(\d+)\s*([smhd])$/.exec(since.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * unit).toISOString();
  }
  const at = Date.parse(since);
  if (Number.isNaN(at)) throw badRequest(`since '${since}' is neither a time (ISO 8601) nor a duration such as 30m, 24h or 7d`);
  return new Date(at).toISOString();
}

export interface AuditTrailOptions {
  repository: AuditLogRepository;
  logger: Logger;
  retentionDays: number;
  /** Entries a write attempt could not store (they are kept and retried). */
  onWriteFailure?: (entries: number) => void;
  /** Entries given up on (queue full, refused again and again, or pending at stop); each is logged. */
  onDropped?: (entries: number) => void;
}

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** Entries kept while the database cannot be written; beyond it the oldest are given up (and logged). */
const MAX_PENDING = 50_000;
/** Write attempts for an entry the database refuses on its own (not an outage) before it is logged instead. */
const MAX_REFUSALS = 5;

export class AuditTrail {
  private queue: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failedWrites = 0;
  private readonly refusals = new WeakMap<AuditEntry, number>();
  private writing: Promise<void> = Promise.resolve();
  private pruner: NodeJS.Timeout | undefined;

  constructor(private readonly options: AuditTrailOptions) {}

  start(): void {
    void this.prune();
    this.pruner = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
  }

  async stop(): Promise<void> {
    if (this.pruner) clearInterval(this.pruner);
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.flush();
    clearTimeout(this.retry);
    this.retry = undefined;
    if (this.queue.length > 0) this.giveUp(this.queue.splice(0), 'the database could not be written before stopping');
  }

  record(entry: Omit<AuditEntry, 'at'> & { at?: string }): void {
    this.queue.push({ ...entry, at: entry.at ?? new Date().toISOString() });
    if (this.queue.length > MAX_PENDING) this.giveUp(this.queue.splice(0, this.queue.length - MAX_PENDING), 'too many entries wait for the database');
    // While a failed write waits for its retry, new entries wait with it.
    if (this.retry) return;
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), BATCH_DELAY_MS);
  }

  /** Writes everything recorded so far (what cannot be written now stays queued for a retry). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Batches are written in order, one at a time.
    this.writing = this.writing.then(() => this.writeQueued());
    await this.writing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const { failed, error } = await this.options.repository.insert(batch).catch((error: unknown) => ({ failed: batch, error }));
      if (failed.length === 0) {
        if (this.failedWrites > 0) this.options.logger.info({ afterFailures: this.failedWrites }, 'audit entries are written again');
        this.failedWrites = 0;
        continue;
      }
      this.options.onWriteFailure?.(failed.length);
      const kept = isDatabaseUnreachable(error) ? failed : this.keepUnlessRefusedTooOften(failed);
      // Back in front, in their order: the audit log stays chronological.
      this.queue.unshift(...kept);
      this.failedWrites += 1;
      const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.failedWrites - 1));
      this.options.logger.error(
        { err: error, entries: failed.length, pending: this.queue.length, retryInMs: delay },
        'could not write audit entries: they are kept and written again later',
      );
      clearTimeout(this.retry);
      this.retry = setTimeout(() => {
        this.retry = undefined;
        void this.flush();
      }, delay);
      this.retry.unref();
      return;
    }
  }

  /** Entries the database refused on their own; one refused again and again is logged in full instead. */
  private keepUnlessRefusedTooOften(failed: AuditEntry[]): AuditEntry[] {
    const kept: AuditEntry[] = [];
    for (const entry of failed) {
      const refusals = (this.refusals.get(entry) ?? 0) + 1;
      this.refusals.set(entry, refusals);
      if (refusals < MAX_REFUSALS) kept.push(entry);
      else this.giveUp([entry], `the database refused it ${refusals} times`);
    }
    return kept;
  }

  /** Never silent: each entry given up is written to the log in full, and counted. */
  private giveUp(entries: AuditEntry[], reason: string): void {
    if (entries.length === 0) return;
    for (const entry of entries) this.options.logger.error({ audit: entry, reason }, 'audit entry not stored in the audit log');
    this.options.onDropped?.(entries.length);
  }

  async query(query: { client?: string; server?: string; since?: string; limit?: number }): Promise<AuditEntryView[]> {
    await this.flush();
    return this.options.repository.query({
      client: query.client,
      server: query.server,
      since: query.since ? parseSince(query.since) : undefined,
      limit: Math.min(Math.max(1, query.limit ?? 100), MAX_QUERY_LIMIT),
    });
  }

  private async prune(): Promise<void> {
    const before = new Date(Date.now() - this.options.retentionDays * 86_400_000).toISOString();
    try {
      const deleted = await this.options.repository.deleteBefore(before);
      if (deleted > 0) this.options.logger.info({ deleted, before }, 'pruned old audit entries');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not prune the audit log');
    }
  }
}
