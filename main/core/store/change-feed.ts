// Tells the gateway replicas sharing one PostgreSQL that something changed, so each reloads what it
// keeps in memory (registry, identities, groups) within milliseconds: LISTEN/NOTIFY, no polling.
// A replica ignores its own notifications. After a lost connection it listens again and treats
// everything as changed, since notifications sent meanwhile are gone. SQLite has one process:
// nothing to tell.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';
import type { StoreLocation } from './open.ts';

export type ChangeTopic = 'registry' | 'access';
const TOPICS: ChangeTopic[] = ['registry', 'access'];
const CHANNEL = 'canopy_changes';
const MAX_RECONNECT_DELAY_MS = 5_000;

export interface ChangeFeed {
  /** Tells the other replicas (call after the change committed). */
  publish(topic: ChangeTopic): Promise<void>;
  /** `listener` runs for each change another replica made. */
  onChange(listener: (topic: ChangeTopic) => void): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

interface Logger {
  warn(details: object, message: string): void;
}

class PostgresChangeFeed implements ChangeFeed {
  private readonly origin = randomUUID();
  private readonly listeners: ((topic: ChangeTopic) => void)[] = [];
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
  ) {}

  onChange(listener: (topic: ChangeTopic) => void): void {
    this.listeners.push(listener);
  }

  async publish(topic: ChangeTopic): Promise<void> {
    await sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ origin: this.origin, topic })})`.execute(this.db);
  }

  async start(): Promise<void> {
    await this.listen();
  }

  private async listen(): Promise<void> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => {
      const change = parse(message.payload);
      if (change && change.origin !== this.origin) this.emit(change.topic);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      discard(client);
      throw error;
    }
    // Closed while connecting: nobody would end this connection, and it would keep the process alive.
    if (this.closed) {
      discard(client);
      return;
    }
    this.client = client;
  }

  private emit(topic: ChangeTopic): void {
    for (const listener of this.listeners) listener(topic);
  }

  private lost(client: pg.Client, error: Error, attempt = 1): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    discard(client);
    this.logger.warn({ reason: error.message }, 'lost the change feed connection: listening again');
    this.reconnect(attempt);
  }

  private reconnect(attempt: number): void {
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** (attempt - 1));
    this.retry = setTimeout(() => {
      this.listen().then(
        () => TOPICS.forEach((topic) => this.emit(topic)),
        (error: Error) => {
          this.logger.warn({ reason: error.message, attempt }, 'change feed: cannot listen yet');
          if (!this.closed) this.reconnect(attempt + 1);
        },
      );
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

/** Ends a connection no longer used; whatever it still reports (a late socket error) is ignored, not thrown. */
function discard(client: pg.Client): void {
  client.removeAllListeners();
  client.on('error', () => {});
  void client.end().catch(() => {});
}

function parse(payload: string | undefined): { origin: string; topic: ChangeTopic } | undefined {
  try {
    const value = JSON.parse(payload ?? '') as { origin?: unknown; topic?: unknown };
    if (typeof value.origin === 'string' && TOPICS.includes(value.topic as ChangeTopic)) return value as { origin: string; topic: ChangeTopic };
  } catch {
    // Not ours: ignore.
  }
  return undefined;
}

const singleProcess: ChangeFeed = {
  publish: async () => {},
  onChange: () => {},
  start: async () => {},
  close: async () => {},
};

export function createChangeFeed(location: StoreLocation, db: Kysely<Database>, logger: Logger): ChangeFeed {
  return location.kind === 'postgres' ? new PostgresChangeFeed(location.url, db, logger) : singleProcess;
}
