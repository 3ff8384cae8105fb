// A fresh, empty database per test on the shared PostgreSQL (or a fresh SQLite file), so tests of
// the store never see each other's rows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, inject } from 'vitest';
import { openStore, type Store, type StoreLocation } from '../../main/core/store/open.ts';

export interface TestLocation {
  location: StoreLocation;
  drop(): Promise<void>;
}

export async function freshPostgres(): Promise<TestLocation> {
  const adminUrl = inject('postgresUrl');
  const name = `canopy_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    location: { kind: 'postgres', url: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function freshSqlite(): Promise<TestLocation> {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-sqlite-'));
  return {
    location: { kind: 'sqlite', path: join(dir, 'canopy.db') },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Both store kinds, for `describe.each`. */
export const storeKinds = [
  { kind: 'sqlite', fresh: freshSqlite },
  { kind: 'postgres', fresh: freshPostgres },
] as const;

/**
 * A fresh store for each test of the enclosing `describe`: opened before it, closed and dropped after
 * it. Read `store` and `where` inside tests (a test may close `store` and assign a reopened one).
 */
export function freshStoreEachTest(fresh: () => Promise<TestLocation>): { store: Store; where: TestLocation } {
  const current = {} as { store: Store; where: TestLocation };
  beforeEach(async () => {
    current.where = await fresh();
    current.store = await openStore(current.where.location);
  });
  afterEach(async () => {
    await current.store.close();
    await current.where.drop();
  });
  return current;
}
