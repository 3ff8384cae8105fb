// "Test connection" in Settings: can Canopy reach and log in to this PostgreSQL? Nothing is
// created or migrated; the answer says what to fix.
import pg from 'pg';
import { describeLocation } from '../../core/store/open.ts';
import type { OperationResult } from '../../../preload/canopy-bridge.ts';

const CONNECT_TIMEOUT_MS = 5_000;

const HINTS: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening there: check the host and port, and that PostgreSQL is running',
  ENOTFOUND: 'the host name does not resolve: check the host',
  '28P01': 'the password was rejected: check the user and password',
  '28000': 'the server refused this user: check the user name and pg_hba.conf',
  '3D000': 'the database does not exist: create it first or fix the name',
};

export async function testPostgresConnection(url: string): Promise<OperationResult> {
  const where = describeLocation({ kind: 'postgres', url });
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: CONNECT_TIMEOUT_MS });
  // A connection that drops is also reported as an 'error' event, which would crash the app unheard;
  // the failed call below already says what happened.
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>('select version() as version');
    const version = /PostgreSQL [\d.]+/.exec(rows[0]?.version ?? '')?.[0] ?? 'PostgreSQL';
    return { ok: true, message: `Connected to ${where} (${version}).` };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const hint = code ? HINTS[code] : undefined;
    return { ok: false, message: `Cannot connect to ${where}: ${hint ?? message}.` };
  } finally {
    await client.end().catch(() => {});
  }
}
