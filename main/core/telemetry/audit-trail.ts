// The audit log: who (MCP client or user) did what (tool call, prompt get, resource read, admin
// change), with what outcome and how long it took. Entries are queued and written in batches off
// the request path; reads flush first, so what was done is what is read. Entries older than the
// retention period are deleted hourly.
import type { AuditLogRepository, AuditEntry, ActorKind } from '../store/audit-log.ts';
import type { AuditEntryView } from '../api/contract.ts';
import { badRequest } from '../errors.ts';
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
export function parseSince(since: string, now = Date.now()): string {
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
}

export class AuditTrail {
  private queue: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private pruner: NodeJS.Timeout | undefined;

  constructor(private readonly options: AuditTrailOptions) {}

  start(): void {
    void this.prune();
    this.pruner = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
  }

  async stop(): Promise<void> {
    if (this.pruner) clearInterval(this.pruner);
    await this.flush();
  }

  record(entry: Omit<AuditEntry, 'at'> & { at?: string }): void {
    this.queue.push({ ...entry, at: entry.at ?? new Date().toISOString() });
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), BATCH_DELAY_MS);
  }

  /** Writes everything recorded so far. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    // Batches are written in order, one at a time.
    this.writing = this.writing.then(() =>
      this.options.repository.insert(batch).catch((error: unknown) => {
        this.options.logger.error({ err: error, entries: batch.length }, 'could not write audit entries');
      }),
    );
    await this.writing;
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
