import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * Enterprise sign-in. `sign_in_records` holds what the OAuth authorization server keeps (clients,
 * grants, codes, refresh tokens, interactions, sessions) and the web UI's sessions: one row per
 * record, keyed by the SHA-256 of its id (ids of tokens are bearer secrets), the payload as JSON
 * without the id. Users gain the company-IdP identity they signed in with (`issuer|sub`), an email,
 * and a switch that disables them; a user created at an SSO login has no static token.
 */
export const m0009_sign_in: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sign_in_records')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('uid', 'text')
      .addColumn('user_code', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('consumed_at', 'text')
      .addPrimaryKeyConstraint('sign_in_records_pk', ['model', 'key_hash'])
      .execute();
    await db.schema.createIndex('sign_in_records_grant').on('sign_in_records').column('grant_id').execute();
    await db.schema.createIndex('sign_in_records_uid').on('sign_in_records').columns(['model', 'uid']).execute();
    await db.schema.createIndex('sign_in_records_user_code').on('sign_in_records').columns(['model', 'user_code']).execute();
    await db.schema.createIndex('sign_in_records_expiry').on('sign_in_records').column('expires_at').execute();

    if (isPostgres(db)) {
      await db.schema.alterTable('users').addColumn('sso_subject', 'text').execute();
      await db.schema.alterTable('users').addColumn('email', 'text').execute();
      await db.schema.alterTable('users').addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('users_sso_subject').unique().on('users').column('sso_subject').execute();
      await sql`ALTER TABLE users ALTER COLUMN token_hash DROP NOT NULL`.execute(db);
      return;
    }
    // SQLite cannot drop a NOT NULL: the table is rebuilt with the new columns (UNIQUE kept; NULLs do not clash).
    await db.schema
      .createTable('users_rebuilt')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.unique())
      .addColumn('token_expires_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sso_subject', 'text')
      .addColumn('email', 'text')
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`INSERT INTO users_rebuilt (name, role, token_hash, token_expires_at, created_at, updated_at, sso_subject, email, disabled)
      SELECT name, role, token_hash, token_expires_at, created_at, updated_at, NULL, NULL, 0 FROM users`.execute(db);
    await db.schema.dropTable('users').execute();
    await db.schema.alterTable('users_rebuilt').renameTo('users').execute();
    await db.schema.createIndex('users_sso_subject').unique().on('users').column('sso_subject').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('sign_in_records').execute();
    await db.schema.dropIndex('users_sso_subject').execute();
    await db.schema.alterTable('users').dropColumn('disabled').execute();
    await db.schema.alterTable('users').dropColumn('email').execute();
    await db.schema.alterTable('users').dropColumn('sso_subject').execute();
  },
};
