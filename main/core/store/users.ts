import type { Kysely } from 'kysely';
import { assertTokenHashFree, replaceTokenHash } from './token-hashes.ts';
import type { Database, UsersTable } from './schema.ts';
import { isPostgres } from './dialect.ts';
import type { UserRole } from '../model/identities.ts';

/**
 * A human identity. `tokenHash` is the SHA-256 of its static token (the token itself is never
 * stored); absent for a user who signs in only through the company IdP (`ssoSubject`).
 */
export interface UserRecord {
  name: string;
  role: UserRole;
  tokenHash?: string;
  tokenExpiresAt?: string;
  /** `issuer|sub` of the linked company-IdP identity. */
  ssoSubject?: string;
  email?: string;
  /** Refused everywhere while set. */
  disabled: boolean;
  /** What the user's OAuth access tokens may reach (their client's rule narrows it further): `*`, servers, `server__tool`, groups. */
  allow: string[];
  createdAt: string;
  updatedAt: string;
}

function toRecord(row: UsersTable): UserRecord {
  return {
    name: row.name,
    role: row.role as UserRole,
    ...(row.token_hash ? { tokenHash: row.token_hash } : {}),
    ...(row.token_expires_at ? { tokenExpiresAt: row.token_expires_at } : {}),
    ...(row.sso_subject ? { ssoSubject: row.sso_subject } : {}),
    ...(row.email ? { email: row.email } : {}),
    disabled: row.disabled === 1,
    allow: JSON.parse(row.allow_list) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('name').execute()).map(toRecord);
  }

  async get(name: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async getBySsoSubject(ssoSubject: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('sso_subject', '=', ssoSubject).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** `allow` defaults to everything (`*`). */
  async insert(user: { name: string; role: UserRole; tokenHash?: string; tokenExpiresAt?: string; allow?: string[]; ssoSubject?: string; email?: string }): Promise<UserRecord> {
    if (user.tokenHash) await assertTokenHashFree(this.db, user.tokenHash);
    const now = new Date().toISOString();
    const row: UsersTable = {
      name: user.name,
      role: user.role,
      token_hash: user.tokenHash ?? null,
      token_expires_at: user.tokenExpiresAt ?? null,
      allow_list: JSON.stringify(user.allow ?? ['*']),
      created_at: now,
      updated_at: now,
      sso_subject: user.ssoSubject ?? null,
      email: user.email ?? null,
      disabled: 0,
    };
    await this.db.insertInto('users').values(row).execute();
    return toRecord(row);
  }

  /** Returns false when no user has that name. `ssoSubject` links a company-IdP identity (with the email it gave). */
  async update(name: string, changes: { allow?: string[]; role?: UserRole; disabled?: boolean; ssoSubject?: string; email?: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({
        ...(changes.allow ? { allow_list: JSON.stringify(changes.allow) } : {}),
        ...(changes.role ? { role: changes.role } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled ? 1 : 0 } : {}),
        ...(changes.ssoSubject !== undefined ? { sso_subject: changes.ssoSubject, email: changes.email ?? null } : {}),
        updated_at: new Date().toISOString(),
      })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Returns false when no row has that name. */
  replaceToken(name: string, tokenHash: string, tokenExpiresAt: string | undefined): Promise<boolean> {
    return replaceTokenHash(this.db, 'users', name, tokenHash, tokenExpiresAt);
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * The admins' names, row-locked on PostgreSQL so two concurrent deletes cannot both pass the
   * last-admin check (SQLite runs one write transaction at a time anyway).
   */
  async lockAdmins(): Promise<string[]> {
    const query = this.db.selectFrom('users').select('name').where('role', '=', 'admin').orderBy('name');
    const rows = await (isPostgres(this.db) ? query.forUpdate() : query).execute();
    return rows.map((row) => row.name);
  }
}
