// A crash (kill -9) between writing a server's secret and committing its row leaves a secret nobody
// refers to; the next start deletes it, in every SecretStore backend, and leaves referenced ones alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../main/core/index.ts';
import { openStore, type StoreLocation } from '../../main/core/store/open.ts';
import { chooseSecretStore } from '../../main/core/secrets/choose-secret-store.ts';
import type { SecretBackendKind, SecretStore } from '../../main/core/secrets/secret-store.ts';
import { silentLogger } from '../../main/core/telemetry/logger.ts';
import { freshPostgres, freshSqlite } from '../support/databases.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { noKeychain } from './keychain.ts';

const crashScript = fileURLToPath(new URL('./fixtures/crash-after-secret-write.ts', import.meta.url));
const env = { ...process.env, CANOPY_SECRET_KEY: 'orphan-test-passphrase-orphan-test-passphrase' };

function crashAfterSecretWrite(location: StoreLocation, dataDir: string, backend: SecretBackendKind, ref: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', crashScript, JSON.stringify(location), dataDir, backend, ref], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the crash script exited with ${code}: ${stderr}`));
      else resolve(signal);
    });
  });
}

const backends = [
  { backend: 'file' as const, fresh: freshSqlite, skip: false },
  { backend: 'database' as const, fresh: freshPostgres, skip: false },
  { backend: 'keychain' as const, fresh: freshSqlite, skip: noKeychain },
];

describe.each(backends)('orphaned secrets in the $backend backend', ({ backend, fresh, skip }) => {
  it.skipIf(skip)('are deleted at the next start; referenced ones stay', async () => {
    const where = await fresh();
    const dataDir = mkdtempSync(join(tmpdir(), 'canopy-orphans-'));
    const secretsFor = async (db: Parameters<typeof chooseSecretStore>[0]['db']): Promise<SecretStore> =>
      chooseSecretStore({ storeKind: where.location.kind, dataDir, db, env, override: backend });
    // A gateway whose secret store is this backend (the database one on a store of its own).
    const gatewayWith = async () => {
      const side = await openStore(where.location);
      const gateway = await createGateway({ port: 0, dataDir, store: where.location, logger: silentLogger(), secretStore: await secretsFor(side.db) });
      await gateway.start();
      return {
        registry: gateway.registry,
        views: gateway.views,
        async stop() {
          await gateway.stop();
          await side.close();
        },
      };
    };
    const orphan = `server/ghost/${Date.now().toString(16)}/env/API_KEY`;
    try {
      const first = await gatewayWith();
      await first.registry.registerServer({ config: { ...stdioConfigs.everything('kept'), env: { API_KEY: 'kept-value' } }, enabled: false });
      await first.stop();

      expect(await crashAfterSecretWrite(where.location, dataDir, backend, orphan)).toBe('SIGKILL');
      const store = await openStore(where.location);
      try {
        const secrets = await secretsFor(store.db);
        expect(await secrets.get(orphan)).toBe('orphaned-value');
        // On PostgreSQL only settled notes are collected (another replica may be registering): age it.
        await sql`update secret_cleanup set since = ${new Date(Date.now() - 60 * 60_000).toISOString()}`.execute(store.db);
      } finally {
        await store.close();
      }

      const second = await gatewayWith();
      try {
        expect((await second.views.getServer('kept')).config.env?.API_KEY).toBe('********');
        await second.registry.setServerEnabled('kept', true);
      } finally {
        await second.stop();
      }
      const after = await openStore(where.location);
      try {
        const secrets = await secretsFor(after.db);
        expect(await secrets.get(orphan)).toBeUndefined();
        const kept = (await after.servers.get('kept'))!.config as { secret_refs?: { env?: Record<string, string> } };
        expect(await secrets.get(kept.secret_refs!.env!.API_KEY)).toBe('kept-value');
        expect(await after.db.selectFrom('secret_cleanup').selectAll().execute()).toEqual([]);
        // Tidy the keychain: its service is shared by every test.
        if (backend === 'keychain') await secrets.delete(kept.secret_refs!.env!.API_KEY);
      } finally {
        await after.close();
      }
    } finally {
      await where.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
