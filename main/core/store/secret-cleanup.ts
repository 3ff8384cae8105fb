import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Secret refs that may be unreferenced. A ref is noted here (committed) before its secret is
 * written, and cleared in the transaction that commits the row referring to it; replaced and removed
 * refs are noted in the transaction that drops them. What a crash leaves here is collected at start.
 */
export class SecretCleanupRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(refs: string[]): Promise<void> {
    if (refs.length === 0) return;
    const since = new Date().toISOString();
    await this.db
      .insertInto('secret_cleanup')
      .values(refs.map((ref) => ({ ref, since })))
      .onConflict((oc) => oc.column('ref').doUpdateSet({ since }))
      .execute();
  }

  async remove(refs: string[]): Promise<void> {
    if (refs.length === 0) return;
    await this.db.deleteFrom('secret_cleanup').where('ref', 'in', refs).execute();
  }

  /** Refs noted at or before `before` (ISO time). */
  async listNotedBefore(before: string): Promise<string[]> {
    const rows = await this.db.selectFrom('secret_cleanup').select('ref').where('since', '<=', before).execute();
    return rows.map((row) => row.ref);
  }
}
