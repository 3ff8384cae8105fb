// oidc-provider's storage adapter on our store (SQLite or PostgreSQL). Every record is keyed by the
// SHA-256 of its id: ids of codes, tokens, sessions and interactions are bearer secrets, so a
// database dump must not hand them out. The payload keeps no plaintext secret either: the id (`jti`)
// is dropped and restored from the id a look-up brings, or, for the look-ups by uid or user code that
// bring none, kept sealed; a client's `client_secret` (dynamic registration) and an interaction's
// `returnTo` (it ends in the interaction's id) are sealed too.
import type { SignInRecordRepository } from '../store/sign-in-records.ts';
import { openSecret, sealSecret, type SealedSecret } from '../secrets/secret-cipher.ts';
import { hashToken } from '../access/tokens.ts';

/** What oidc-provider hands an adapter and expects back; see its docs (Adapter interface). */
export type AdapterPayload = Record<string, unknown> & {
  jti?: string;
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
  client_secret?: string;
};

/** The id; a client's secret; an interaction's return URL, which holds its id; a company login's PKCE verifier. */
const SEALED_FIELDS = ['jti', 'client_secret', 'returnTo', 'codeVerifier'] as const;

export class RecordAdapter {
  constructor(
    private readonly model: string,
    private readonly records: SignInRecordRepository,
    private readonly sealingKey: Buffer,
  ) {}

  /** The AAD binds a sealed value to its record and field, so it cannot be moved to another. */
  private aad(keyHash: string, field: string): string {
    return `sign-in/${this.model}/${keyHash}/${field}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const keyHash = hashToken(id);
    const stored: Record<string, unknown> = { ...payload };
    const sealed: Record<string, SealedSecret> = {};
    for (const field of SEALED_FIELDS) {
      const value = stored[field];
      delete stored[field];
      if (typeof value === 'string') sealed[field] = sealSecret(this.sealingKey, this.aad(keyHash, field), value);
    }
    delete stored.consumed;
    await this.records.upsert({
      model: this.model,
      keyHash,
      payload: JSON.stringify({ ...stored, sealed }),
      ...(payload.grantId ? { grantId: payload.grantId } : {}),
      ...(payload.uid ? { uid: payload.uid } : {}),
      ...(payload.userCode ? { userCode: payload.userCode } : {}),
      ...(expiresIn !== undefined ? { expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() } : {}),
    });
  }

  private restore(record: { keyHash: string; payload: string; consumedAt?: string } | undefined): AdapterPayload | undefined {
    if (!record) return undefined;
    const { sealed, ...payload } = JSON.parse(record.payload) as AdapterPayload & { sealed: Record<string, SealedSecret> };
    for (const [field, value] of Object.entries(sealed)) {
      payload[field] = openSecret(this.sealingKey, this.aad(record.keyHash, field), value, 'the sign-in records');
    }
    if (record.consumedAt) payload.consumed = Math.floor(Date.parse(record.consumedAt) / 1000);
    return payload;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.restore(await this.records.find(this.model, hashToken(id)));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.restore(await this.records.findBy(this.model, 'uid', uid));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.restore(await this.records.findBy(this.model, 'user_code', userCode));
  }

  async consume(id: string): Promise<void> {
    await this.records.consume(this.model, hashToken(id));
  }

  /** Marks a record used; true only for the first caller (a replay gets false). */
  consumeOnce(id: string): Promise<boolean> {
    return this.records.consume(this.model, hashToken(id));
  }

  async destroy(id: string): Promise<void> {
    await this.records.destroy(this.model, hashToken(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.records.destroyGrant(grantId);
  }
}
