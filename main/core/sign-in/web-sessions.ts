// The web UI's sessions after an SSO sign-in: a random id in an HttpOnly, SameSite=Strict cookie,
// kept (hashed, like every sign-in record) for 8 hours. The admin API takes the cookie as that user;
// MCP endpoints never do.
import { randomBytes } from 'node:crypto';
import type { SignInRecordRepository } from '../store/sign-in-records.ts';
import { RecordAdapter } from './record-adapter.ts';

const SESSION_TTL_SECONDS = 8 * 60 * 60;

export class WebSessions {
  private readonly records: RecordAdapter;
  readonly cookieName: string;

  constructor(records: SignInRecordRepository, sealingKey: Buffer, secure: boolean) {
    this.records = new RecordAdapter('WebSession', records, sealingKey);
    this.cookieName = secure ? '__Host-canopy-session' : 'canopy-session';
  }

  async create(user: string): Promise<{ id: string; ttlSeconds: number }> {
    const id = randomBytes(32).toString('base64url');
    await this.records.upsert(id, { user, at: Math.floor(Date.now() / 1000) }, SESSION_TTL_SECONDS);
    return { id, ttlSeconds: SESSION_TTL_SECONDS };
  }

  /** The user a request's session cookie signs in and when (epoch seconds), if any (the caller checks the user may still act). */
  async userOf(cookieHeader: string | null): Promise<{ user: string; at: number } | undefined> {
    const id = cookieHeader?.split(';').map((part) => part.trim().split('=')).find(([name]) => name === this.cookieName)?.[1];
    if (!id) return undefined;
    const record = await this.records.find(id);
    return typeof record?.user === 'string' && typeof record.at === 'number' ? { user: record.user, at: record.at } : undefined;
  }

  async end(id: string): Promise<void> {
    await this.records.destroy(id);
  }
}
