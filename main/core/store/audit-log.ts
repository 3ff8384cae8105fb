import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from './schema.ts';
import type { ActorKind, AuditEntry, AuditEntryView } from '../model/audit.ts';
import { isDatabaseUnreachable } from './dialect.ts';

export interface AuditQuery {
  client?: string;
  server?: string;
  /** ISO time: entries at or after it. */
  since?: string;
  limit: number;
}

function toEntry(row: Omit<AuditLogTable, 'id'> & { id: number }): AuditEntryView {
  return {
    id: Number(row.id),
    at: row.at,
    actorKind: row.actor_kind as ActorKind,
    actor: row.actor,
    action: row.action,
    ...(row.server ? { server: row.server } : {}),
    ...(row.target ? { target: row.target } : {}),
    outcome: row.outcome,
    durationMs: row.duration_ms,
    ...(row.detail ? { detail: row.detail } : {}),
  };
}

/** Longest text kept per field (characters); longer values end in `…`. */
export const MAX_AUDIT_FIELD = 512;
export const MAX_AUDIT_DETAIL = 2000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text every store accepts, whatever a caller sent: PostgreSQL text refuses NUL (kept visible as
 * `\u0000`) and cannot encode a lone surrogate as UTF-8 (U+FFFD instead); length bounded.
 */
function storableText(value: string, max = MAX_AUDIT_FIELD): string {
  const clean = value.replaceAll('\u0000', '\\u0000').replace(LONE_SURROGATE, '\uFFFD');
  if (clean.length <= max) return clean;
  // Cut before a pair's high surrogate rather than between its halves.
  const end = /[\uD800-\uDBFF]/.test(clean[max - 2] ?? '') ? max - 2 : max - 1;
  return `${clean.slice(0, end)}…`;
}

function toRow(e: AuditEntry): Omit<AuditLogTable, 'id'> {
  const optional = (value: string | undefined, max?: number) => (value === undefined ? null : storableText(value, max));
  return {
    at: e.at,
    actor_kind: e.actorKind,
    actor: storableText(e.actor),
    action: storableText(e.action),
    server: optional(e.server),
    target: optional(e.target),
    outcome: storableText(e.outcome),
    duration_ms: Number.isFinite(e.durationMs) ? Math.round(e.durationMs) : 0,
    detail: optional(e.detail, MAX_AUDIT_DETAIL),
  };
}

export class AuditLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes `entries` in one statement; when that fails, one by one, so a row the database refuses
   * cannot sink the others. Returns the entries that could not be written (with the last error).
   */
  async insert(entries: AuditEntry[]): Promise<{ failed: AuditEntry[]; error?: unknown }> {
    if (entries.length === 0) return { failed: [] };
    try {
      await this.db.insertInto('audit_log').values(entries.map(toRow)).execute();
      return { failed: [] };
    } catch (error) {
      if (entries.length === 1) return { failed: entries, error };
    }
    const failed: AuditEntry[] = [];
    let lastError: unknown;
    for (const [index, entry] of entries.entries()) {
      try {
        await this.db.insertInto('audit_log').values(toRow(entry)).execute();
      } catch (error) {
        lastError = error;
        // The database is gone, not this row: the rest would fail the same way.
        if (isDatabaseUnreachable(error)) return { failed: [...failed, ...entries.slice(index)], error };
        failed.push(entry);
      }
    }
    return failed.length > 0 ? { failed, error: lastError } : { failed };
  }

  /** Newest first. */
  async query(query: AuditQuery): Promise<AuditEntryView[]> {
    let select = this.db.selectFrom('audit_log').selectAll();
    if (query.client) select = select.where('actor_kind', '=', 'client').where('actor', '=', query.client);
    if (query.server) select = select.where('server', '=', query.server);
    if (query.since) select = select.where('at', '>=', query.since);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toEntry);
  }

  /** Deletes entries older than `before` (ISO time); returns how many. */
  async deleteBefore(before: string): Promise<number> {
    const result = await this.db.deleteFrom('audit_log').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
