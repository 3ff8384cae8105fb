import type { Kysely } from 'kysely';
import type { Database, UserCredentialsTable } from './schema.ts';
import type { CredentialKind } from '../model/connections.ts';

/** That a user connected a per-user server, and how; the credential itself is in the SecretStore. */
export interface UserCredentialRecord {
  user: string;
  server: string;
  kind: CredentialKind;
  /** Fingerprint of the server URL it was given for. */
  destination: string;
  createdAt: string;
  updatedAt: string;
}

function toRecord(row: UserCredentialsTable): UserCredentialRecord {
  return { user: row.user_name, server: row.server_name, kind: row.kind, destination: row.destination, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** One row per (user, server); it goes with its user and with its server (ON DELETE CASCADE). */
export class UserCredentialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(user: string, server: string): Promise<UserCredentialRecord | undefined> {
    const row = await this.db.selectFrom('user_credentials').selectAll().where('user_name', '=', user).where('server_name', '=', server).executeTakeFirst();
    return row && toRecord(row);
  }

  async listByUser(user: string): Promise<UserCredentialRecord[]> {
    return (await this.db.selectFrom('user_credentials').selectAll().where('user_name', '=', user).execute()).map(toRecord);
  }

  /** A server's rows, most recently changed first. */
  async listByServer(server: string): Promise<UserCredentialRecord[]> {
    const rows = await this.db.selectFrom('user_credentials').selectAll().where('server_name', '=', server).orderBy('updated_at', 'desc').execute();
    return rows.map(toRecord);
  }

  /** Records (or replaces) how `user` connected `server`. */
  async save(user: string, server: string, kind: CredentialKind, destination: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db
      .insertInto('user_credentials')
      .values({ user_name: user, server_name: server, kind, destination, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['user_name', 'server_name']).doUpdateSet({ kind, destination, updated_at: now }))
      .execute();
  }

  /** Deletes a server's rows (its URL changed, or it is no longer per-user); returns them, so their secrets can go too. */
  async deleteByServer(server: string): Promise<UserCredentialRecord[]> {
    const rows = await this.listByServer(server);
    await this.db.deleteFrom('user_credentials').where('server_name', '=', server).execute();
    return rows;
  }

  /** Returns false when there was no row. */
  async delete(user: string, server: string): Promise<boolean> {
    const result = await this.db.deleteFrom('user_credentials').where('user_name', '=', user).where('server_name', '=', server).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
