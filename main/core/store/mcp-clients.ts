import type { Kysely } from 'kysely';
import { assertTokenHashFree, replaceTokenHash } from './token-hashes.ts';
import type { Database, McpClientsTable } from './schema.ts';

/** A machine identity. `tokenHash` is the SHA-256 of its token; the token itself is never stored. */
export interface McpClientRecord {
  name: string;
  description: string;
  /** Server names, `server__tool`, group names, or `*`. */
  allow: string[];
  tokenHash: string;
  tokenExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

function toRecord(row: McpClientsTable): McpClientRecord {
  return {
    name: row.name,
    description: row.description,
    allow: JSON.parse(row.allow_list) as string[],
    tokenHash: row.token_hash,
    ...(row.token_expires_at ? { tokenExpiresAt: row.token_expires_at } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class McpClientRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<McpClientRecord[]> {
    return (await this.db.selectFrom('mcp_clients').selectAll().orderBy('name').execute()).map(toRecord);
  }

  async get(name: string): Promise<McpClientRecord | undefined> {
    const row = await this.db.selectFrom('mcp_clients').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async insert(client: { name: string; description: string; allow: string[]; tokenHash: string; tokenExpiresAt?: string }): Promise<McpClientRecord> {
    await assertTokenHashFree(this.db, client.tokenHash);
    const now = new Date().toISOString();
    const row: McpClientsTable = {
      name: client.name,
      description: client.description,
      allow_list: JSON.stringify(client.allow),
      token_hash: client.tokenHash,
      token_expires_at: client.tokenExpiresAt ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('mcp_clients').values(row).execute();
    return toRecord(row);
  }

  /** Returns false when no client has that name. */
  async update(name: string, changes: { allow?: string[]; description?: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('mcp_clients')
      .set({
        ...(changes.allow ? { allow_list: JSON.stringify(changes.allow) } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        updated_at: new Date().toISOString(),
      })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Returns false when no row has that name. */
  replaceToken(name: string, tokenHash: string, tokenExpiresAt: string | undefined): Promise<boolean> {
    return replaceTokenHash(this.db, 'mcp_clients', name, tokenHash, tokenExpiresAt);
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('mcp_clients').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
