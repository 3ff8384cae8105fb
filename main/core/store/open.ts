// Opens the store: SQLite (better-sqlite3) for the embedded default, PostgreSQL (pg) for shared
// deployments. The same migrations and repositories run on both.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';
import { ServerRepository } from './servers.ts';
import { ItemSettingsRepository } from './item-settings.ts';
import { SettingsRepository } from './settings.ts';
import { UserRepository } from './users.ts';
import { McpClientRepository } from './mcp-clients.ts';
import { OAuthClientRuleRepository } from './oauth-client-rules.ts';
import { ToolGroupRepository } from './tool-groups.ts';
import { AuditLogRepository } from './audit-log.ts';
import { SecretCleanupRepository } from './secret-cleanup.ts';
import { ProtocolEraRepository } from './protocol-eras.ts';
import { CatalogCacheRepository } from './catalog-cache.ts';
import { UserCredentialRepository } from './user-credentials.ts';
import { SignInRecordRepository } from './sign-in-records.ts';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** One repository per entity, bound to the database or to a transaction. */
export interface Repositories {
  readonly servers: ServerRepository;
  readonly itemSettings: ItemSettingsRepository;
  readonly settings: SettingsRepository;
  readonly users: UserRepository;
  readonly mcpClients: McpClientRepository;
  readonly oauthClientRules: OAuthClientRuleRepository;
  readonly toolGroups: ToolGroupRepository;
  readonly auditLog: AuditLogRepository;
  readonly secretCleanup: SecretCleanupRepository;
  readonly protocolEras: ProtocolEraRepository;
  readonly catalogCache: CatalogCacheRepository;
  readonly userCredentials: UserCredentialRepository;
  readonly signInRecords: SignInRecordRepository;
}

export interface Store extends Repositories {
  readonly location: StoreLocation;
  readonly db: Kysely<Database>;
  /** Runs `work` in one transaction: every write inside commits together or not at all. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function repositories(db: Kysely<Database>): Repositories {
  return {
    servers: new ServerRepository(db),
    itemSettings: new ItemSettingsRepository(db),
    settings: new SettingsRepository(db),
    users: new UserRepository(db),
    mcpClients: new McpClientRepository(db),
    oauthClientRules: new OAuthClientRuleRepository(db),
    toolGroups: new ToolGroupRepository(db),
    auditLog: new AuditLogRepository(db),
    secretCleanup: new SecretCleanupRepository(db),
    protocolEras: new ProtocolEraRepository(db),
    catalogCache: new CatalogCacheRepository(db),
    userCredentials: new UserCredentialRepository(db),
    signInRecords: new SignInRecordRepository(db),
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

class StoreError extends Error {
  override name = 'StoreError';
}

function sqliteDialect(path: string): SqliteDialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database });
}

/** How long taking a new PostgreSQL connection may take before the operation fails (instead of hanging). */
const CONNECT_TIMEOUT_MS = 5_000;

/** pg loads only for a PostgreSQL store: a gateway on SQLite does not carry it. */
async function postgresDialect(url: string, onConnectionError: (error: Error) => void): Promise<PostgresDialect> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection that dies (server restart, failover, idle timeout) is reported as an 'error' event;
  // unheard, it crashes the process. The pool hears it for idle connections ('error' on the pool);
  // this hears it for checked-out ones too (a transaction between two statements). The operation
  // using the connection fails, and the pool drops it on release and opens a new one on next use.
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  return new PostgresDialect({ pool });
}

/** Describes a location without credentials (for logs and errors). */
export function describeLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return `SQLite at ${location.path}`;
  try {
    const url = new URL(location.url);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export interface OpenStoreOptions {
  /** A pooled PostgreSQL connection was lost (the pool replaces it). */
  onConnectionError?: (error: Error) => void;
}

export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  let db: Kysely<Database>;
  try {
    db = new Kysely<Database>({ dialect: location.kind === 'sqlite' ? sqliteDialect(location.path) : await postgresDialect(location.url, options.onConnectionError ?? ((error) => console.error(`canopy: database connection lost: ${error.message}`))) });
  } catch (error) {
    throw new StoreError(`cannot open ${describeLocation(location)}: ${(error as Error).message}`);
  }
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrationProvider(),
    migrationTableName: 'canopy_migration',
    migrationLockTableName: 'canopy_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`cannot prepare ${describeLocation(location)}: ${reason}`);
  }
  return {
    location,
    db,
    ...repositories(db),
    transaction: (work) => db.transaction().execute((trx) => work(repositories(trx))),
    close: () => db.destroy(),
  };
}
