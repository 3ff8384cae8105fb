import { PostgresAdapter, type Kysely } from 'kysely';

/** True on PostgreSQL (row locks, LISTEN/NOTIFY, its own column types); false on SQLite. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
