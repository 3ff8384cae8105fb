import type { Kysely } from 'kysely';
import type { Database, OAuthClientRulesTable } from './schema.ts';

/** An administrator's rule for one OAuth client: what tokens issued to it may reach (with the user's own list). */
export interface OAuthClientRuleRecord {
  /** The client ID, or the URL of its client ID metadata document. */
  clientId: string;
  description: string;
  /** Server names, `server__tool`, group names, or `*`. */
  allow: string[];
  createdAt: string;
  updatedAt: string;
}

function toRecord(row: OAuthClientRulesTable): OAuthClientRuleRecord {
  return {
    clientId: row.client_id,
    description: row.description,
    allow: JSON.parse(row.allow_list) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class OAuthClientRuleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<OAuthClientRuleRecord[]> {
    return (await this.db.selectFrom('oauth_client_rules').selectAll().orderBy('client_id').execute()).map(toRecord);
  }

  async get(clientId: string): Promise<OAuthClientRuleRecord | undefined> {
    const row = await this.db.selectFrom('oauth_client_rules').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async insert(rule: { clientId: string; description: string; allow: string[] }): Promise<OAuthClientRuleRecord> {
    const now = new Date().toISOString();
    const row: OAuthClientRulesTable = {
      client_id: rule.clientId,
      description: rule.description,
      allow_list: JSON.stringify(rule.allow),
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('oauth_client_rules').values(row).execute();
    return toRecord(row);
  }

  /** Returns false when no rule names that client. */
  async update(clientId: string, changes: { allow?: string[]; description?: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('oauth_client_rules')
      .set({
        ...(changes.allow ? { allow_list: JSON.stringify(changes.allow) } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        updated_at: new Date().toISOString(),
      })
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(clientId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('oauth_client_rules').where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
