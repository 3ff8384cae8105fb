import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

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
  const result = await db
    .updateTable(table)
    .set({ token_hash: tokenHash, token_expires_at: tokenExpiresAt ?? null, updated_at: new Date().toISOString() })
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
