import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from './schema.ts';
import type { AuditEntryView } from '../api/contract.ts';

export type ActorKind = 'client' | 'user' | 'anonymous';

/** One audited action. */
export interface AuditEntry {
  at: string;
  actorKind: ActorKind;
  actor: string;
  /** e.g. `tool.call`, `prompt.get`, `resource.read`, `POST /servers`. */
  action: string;
  server?: string;
  target?: string;
  /** `ok`, `error`, `tool_error`, `denied`, or an HTTP status class for admin changes. */
  outcome: string;
  durationMs: number;
  detail?: string;
}

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

export class AuditLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('audit_log')
      .values(
        entries.map((e) => ({
          at: e.at,
          actor_kind: e.actorKind,
          actor: e.actor,
          action: e.action,
          server: e.server ?? null,
          target: e.target ?? null,
          outcome: e.outcome,
          duration_ms: Math.round(e.durationMs),
          detail: e.detail ?? null,
        })),
      )
      .execute();
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
