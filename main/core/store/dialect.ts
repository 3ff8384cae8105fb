import { PostgresAdapter, type Kysely } from 'kysely';

/** True on PostgreSQL (row locks, LISTEN/NOTIFY, its own column types); false on SQLite. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** True when a write failed on a primary-key or unique constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const UNREACHABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when a database call failed because the server could not be reached or went away (refused,
 * reset, shutting down or starting up, connection terminated), not because of what was asked.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash shutdown, cannot connect now).
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (UNREACHABLE_ERRNO.has(code)) return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnreachable);
  // pg reports a dropped socket as a plain Error with one of these messages.
  return /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/i.test(error.message);
}

/** True when PostgreSQL refused a text value it cannot store (a NUL character, bytes not valid in UTF-8). */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '22021' || code === '22P05';
}
