import type { Kysely } from 'kysely';
import type { Database, SignInRecordsTable } from './schema.ts';

/** One record of the sign-in side (see SignInRecordsTable); `keyHash` is the SHA-256 of its id. */
export interface SignInRecord {
  model: string;
  keyHash: string;
  payload: string;
  grantId?: string;
  uid?: string;
  userCode?: string;
  /** ISO time after which the record no longer counts; absent: kept until destroyed. */
  expiresAt?: string;
  consumedAt?: string;
}

function toRecord(row: SignInRecordsTable): SignInRecord {
  return {
    model: row.model,
    keyHash: row.key_hash,
    payload: row.payload,
    ...(row.grant_id ? { grantId: row.grant_id } : {}),
    ...(row.uid ? { uid: row.uid } : {}),
    ...(row.user_code ? { userCode: row.user_code } : {}),
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    ...(row.consumed_at ? { consumedAt: row.consumed_at } : {}),
  };
}

/** Records of the authorization server and web UI sessions. Expired rows are never returned. */
export class SignInRecordRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(record: SignInRecord): Promise<void> {
    const row: SignInRecordsTable = {
      model: record.model,
      key_hash: record.keyHash,
      payload: record.payload,
      grant_id: record.grantId ?? null,
      uid: record.uid ?? null,
      user_code: record.userCode ?? null,
      expires_at: record.expiresAt ?? null,
      consumed_at: record.consumedAt ?? null,
    };
    const { model: _model, key_hash: _key, ...changed } = row;
    await this.db
      .insertInto('sign_in_records')
      .values(row)
      .onConflict((oc) => oc.columns(['model', 'key_hash']).doUpdateSet(changed))
      .execute();
  }

  private live(model: string, now: Date) {
    const at = now.toISOString();
    return this.db
      .selectFrom('sign_in_records')
      .selectAll()
      .where('model', '=', model)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  }

  async find(model: string, keyHash: string, now = new Date()): Promise<SignInRecord | undefined> {
    const row = await this.live(model, now).where('key_hash', '=', keyHash).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async findBy(model: string, column: 'uid' | 'user_code', value: string, now = new Date()): Promise<SignInRecord | undefined> {
    const row = await this.live(model, now).where(column, '=', value).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Marks a record consumed; true when this call did it (a second consumer of a one-time record gets false). */
  async consume(model: string, keyHash: string, now = new Date()): Promise<boolean> {
    const result = await this.db
      .updateTable('sign_in_records')
      .set({ consumed_at: now.toISOString() })
      .where('model', '=', model)
      .where('key_hash', '=', keyHash)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async destroy(model: string, keyHash: string): Promise<void> {
    await this.db.deleteFrom('sign_in_records').where('model', '=', model).where('key_hash', '=', keyHash).execute();
  }

  /** Deletes every record of a grant (its codes and tokens, the grant itself). */
  async destroyGrant(grantId: string): Promise<void> {
    await this.db.deleteFrom('sign_in_records').where('grant_id', '=', grantId).execute();
  }

  /** Deletes expired records; returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.db.deleteFrom('sign_in_records').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
