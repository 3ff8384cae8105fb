import type { Kysely } from 'kysely';
import type { Database, ProtocolErasTable } from './schema.ts';

/** A server's protocol-era verdict as stored, with the destination it was found for. */
export interface StoredEraVerdict {
  era: 'legacy' | 'modern';
  /** The server's `server/discover` result (modern servers). */
  discover?: Record<string, unknown>;
  /** When the probe ran (ISO time). */
  checkedAt: string;
  /** Fingerprint of the URL or command probed: a verdict of another destination is not this server's. */
  destination: string;
}

function toVerdict(row: ProtocolErasTable): StoredEraVerdict {
  return {
    era: row.era,
    ...(row.discover !== null ? { discover: JSON.parse(row.discover) as Record<string, unknown> } : {}),
    checkedAt: row.checked_at,
    destination: row.destination,
  };
}

/** One verdict per server; it goes with its server (ON DELETE CASCADE). */
export class ProtocolEraRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Map<string, StoredEraVerdict>> {
    const rows = await this.db.selectFrom('protocol_eras').selectAll().execute();
    return new Map(rows.map((row) => [row.server_name, toVerdict(row)]));
  }

  async get(server: string): Promise<StoredEraVerdict | undefined> {
    const row = await this.db.selectFrom('protocol_eras').selectAll().where('server_name', '=', server).executeTakeFirst();
    return row && toVerdict(row);
  }

  /** Replaces the server's verdict (one statement: the old one or the new one, never half of each). */
  async save(server: string, verdict: StoredEraVerdict): Promise<void> {
    const values = {
      destination: verdict.destination,
      era: verdict.era,
      discover: verdict.discover !== undefined ? JSON.stringify(verdict.discover) : null,
      checked_at: verdict.checkedAt,
    };
    await this.db
      .insertInto('protocol_eras')
      .values({ server_name: server, ...values })
      .onConflict((oc) => oc.column('server_name').doUpdateSet(values))
      .execute();
  }

  /** Returns false when the server had no verdict. */
  async drop(server: string): Promise<boolean> {
    const result = await this.db.deleteFrom('protocol_eras').where('server_name', '=', server).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
