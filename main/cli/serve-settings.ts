// `canopy serve` flags and environment, resolved into gateway options. Flags win over the
// environment; bad values fail with one line naming the flag or variable.
import { resolve } from 'node:path';
import type { GatewayMode } from '../core/api/contract.ts';
import type { StoreLocation } from '../core/store/open.ts';
import { defaultDatabasePath, userDataDir, type PathContext } from '../core/paths.ts';
import { CliError } from './errors.ts';

export interface ServeFlags {
  host?: string;
  port?: string;
  db?: string;
  databaseUrl?: string;
  enterprise?: boolean;
  allowedHosts?: string;
  allowedOrigins?: string;
  publicUrl?: string;
}

/** Host and port stay undefined when not given: the gateway applies its defaults. */
export interface ServeSettings {
  host?: string;
  port?: number;
  store: StoreLocation;
  dataDir: string;
  mode: GatewayMode;
  /** Host names besides loopback names that requests may carry (a gateway reached by name). */
  allowedHosts: string[];
  /** Origins besides loopback that browsers may call from. */
  allowedOrigins: string[];
  /** `--public-url`; the gateway falls back to CANOPY_PUBLIC_URL and checks it. */
  publicUrl?: string;
}

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function origins(value: string | undefined, source: string): string[] {
  return commaList(value).map((origin) => {
    try {
      return new URL(origin).origin;
    } catch {
      throw new CliError(`${source}: "${origin}" is not an origin (e.g. https://canopy.example.com)`);
    }
  });
}

function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535) {
    throw new CliError(`${source}: "${value}" is not a port number (0-65535; 0 picks a free one)`);
  }
  return port;
}

function postgresUrl(value: string, source: string): StoreLocation {
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new CliError(`${source} must be a PostgreSQL URL (postgres://user:password@host:5432/database)`);
  }
  return { kind: 'postgres', url: value };
}

function storeLocation(flags: ServeFlags, env: NodeJS.ProcessEnv, paths?: PathContext): StoreLocation {
  if (flags.db !== undefined && flags.databaseUrl !== undefined) {
    throw new CliError('give --db (SQLite) or --database-url (PostgreSQL), not both');
  }
  if (flags.db !== undefined) return { kind: 'sqlite', path: resolve(flags.db) };
  if (flags.databaseUrl !== undefined) return postgresUrl(flags.databaseUrl, '--database-url');
  if (env.DATABASE_URL) return postgresUrl(env.DATABASE_URL, 'DATABASE_URL');
  if (env.CANOPY_DB_PATH) return { kind: 'sqlite', path: resolve(env.CANOPY_DB_PATH) };
  return { kind: 'sqlite', path: defaultDatabasePath(paths) };
}

function gatewayMode(flags: ServeFlags, env: NodeJS.ProcessEnv): GatewayMode {
  if (flags.enterprise) return 'enterprise';
  const mode = env.CANOPY_MODE?.trim().toLowerCase();
  if (!mode || mode === 'development') return 'development';
  if (mode === 'enterprise') return 'enterprise';
  throw new CliError(`CANOPY_MODE must be "enterprise" or "development", not "${env.CANOPY_MODE}"`);
}

export function resolveServeSettings(flags: ServeFlags, env: NodeJS.ProcessEnv, paths?: PathContext): ServeSettings {
  const port = flags.port ?? env.CANOPY_PORT;
  return {
    host: flags.host ?? (env.CANOPY_HOST || undefined),
    port: port === undefined || port === '' ? undefined : parsePort(port, flags.port !== undefined ? '--port' : 'CANOPY_PORT'),
    store: storeLocation(flags, env, paths),
    dataDir: userDataDir(paths),
    mode: gatewayMode(flags, env),
    allowedHosts: commaList(flags.allowedHosts ?? env.CANOPY_ALLOWED_HOSTS),
    allowedOrigins: origins(flags.allowedOrigins ?? env.CANOPY_ALLOWED_ORIGINS, flags.allowedOrigins !== undefined ? '--allowed-origins' : 'CANOPY_ALLOWED_ORIGINS'),
    ...(flags.publicUrl !== undefined ? { publicUrl: flags.publicUrl } : {}),
  };
}
