import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { conflict } from '../errors.ts';

/**
 * Refuses a token whose hash a user or MCP client already has: with a custom token reused, one
 * identity would silently authenticate as the other.
 */
export async function assertTokenHashFree(db: Kysely<Database>, tokenHash: string): Promise<void> {
  for (const table of ['users', 'mcp_clients'] as const) {
    const holder = await db.selectFrom(table).select('name').where('token_hash', '=', tokenHash).executeTakeFirst();
    if (holder) throw conflict('this token is already in use by another identity: choose another token');
  }
}

/**
 * Replaces the token hash (and expiry) of a user or MCP client, the two tables that hold one.
 * Returns false when no row has that name.
 */
export async function replaceTokenHash(
  db: Kysely<Database>,
  table: 'users' | 'mcp_clients',
  name: string,
  tokenHash: string,
  tokenExpiresAt: string | undefined,
): Promise<boolean> {
  await assertTokenHashFree(db, tokenHash);
  const result = await db
    .updateTable(table)
    .set({ token_hash: tokenHash, token_expires_at: tokenExpiresAt ?? null, updated_at: new Date().toISOString() })
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
