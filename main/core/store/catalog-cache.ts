import type { Kysely } from 'kysely';
import type { CatalogCacheTable, Database } from './schema.ts';

/** A server's last catalog as stored, with the launch it was learned from. */
export interface CachedCatalog {
  /** Fingerprint of the command that offered it: a catalog of another command is not this server's. */
  launch: string;
  /** The catalog as the upstream layer keeps it (JSON; the store does not look inside). */
  catalog: unknown;
  /** When it was fetched (ISO time). */
  learnedAt: string;
}

function toCached(row: CatalogCacheTable): CachedCatalog {
  return { launch: row.launch, catalog: JSON.parse(row.catalog) as unknown, learnedAt: row.learned_at };
}

/** One catalog per server; it goes with its server (ON DELETE CASCADE). */
export class CatalogCacheRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Map<string, CachedCatalog>> {
    const rows = await this.db.selectFrom('catalog_cache').selectAll().execute();
    return new Map(rows.map((row) => [row.server_name, toCached(row)]));
  }

  /** Replaces the server's catalog (one statement: the old one or the new one, never half of each). */
  async save(server: string, cached: CachedCatalog): Promise<void> {
    const values = { launch: cached.launch, catalog: JSON.stringify(cached.catalog), learned_at: cached.learnedAt };
    await this.db
      .insertInto('catalog_cache')
      .values({ server_name: server, ...values })
      .onConflict((oc) => oc.column('server_name').doUpdateSet(values))
      .execute();
  }
}
