// The first-run migration over the admin API, against a real gateway on a temporary home: what each
// app holds (duplicates marked, no secret values), importing chosen servers (a real stdio server),
// switching the app to Canopy and undoing it byte for byte, remembering the dismissal, and an
// enterprise gateway refusing to touch its host's files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPath, type HostLocation } from '../../main/core/connect-apps/paths.ts';
import type { AppId } from '../../main/core/connect-apps/apps.ts';
import { ApiError } from '../../main/core/api/client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startEnterprise } from '../enterprise/support.ts';
import { memoryEntry } from '../support/upstreams.ts';

function writeApp(host: HostLocation, app: AppId, text: string): string {
  const path = configPath(app, host);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('first-run migration over the admin API', () => {
  let home: string;
  let host: HostLocation;
  let gateway: TestGateway;
  let cursorText: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'canopy-setup-api-'));
    host = { home, platform: 'linux', env: { MEMORY_DIR: home } };
    const memory = { command: process.execPath, args: [memoryEntry] };
    cursorText = JSON.stringify(
      {
        mcpServers: {
          memory: { ...memory, env: { MEMORY_FILE_PATH: '${MEMORY_DIR}/memory.jsonl', API_KEY: 'sk-very-secret' } },
          broken: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
        },
      },
      null,
      2,
    );
    writeApp(host, 'cursor', cursorText);
    writeApp(host, 'claude-desktop', JSON.stringify({ mcpServers: { notes: memory } }, null, '\t'));
    gateway = await startTestGateway({ appsHost: host, initializeTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("lists each app's servers, marks those several apps hold, and shows no secret value", async () => {
    const scan = await gateway.api.scanApps();
    expect(scan.firstRun).toBe(true);
    const cursor = scan.apps.find((app) => app.app === 'cursor')!;
    expect(cursor).toMatchObject({ found: true, connected: false, canUndo: false, path: configPath('cursor', host) });
    expect(cursor.servers.map((server) => [server.name, server.alsoIn, server.secretNames])).toEqual([
      ['memory', ['Claude Desktop'], ['MEMORY_FILE_PATH', 'API_KEY']],
      ['broken', [], []],
    ]);
    expect(scan.apps.find((app) => app.app === 'claude-desktop')!.servers[0]).toMatchObject({ name: 'notes', alsoIn: ['Cursor'] });
    expect(scan.apps.find((app) => app.app === 'vscode')).toMatchObject({ found: false, servers: [] });
    expect(JSON.stringify(scan)).not.toContain('sk-very-secret');
  });

  it('imports the chosen servers, switches the app to Canopy, and undo restores its file byte for byte', async () => {
    const path = configPath('cursor', host);
    const result = await gateway.api.migrateApp('cursor', { servers: ['memory'] });
    expect(result.imported).toEqual([{ name: 'memory', result: 'registered' }]);
    expect(result.switched).toMatchObject({ path, removed: ['memory'] });
    // The server not chosen stays in the app, where it works today.
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).mcpServers)).toEqual(['broken', 'canopy']);
    const server = await gateway.api.getServer('memory');
    expect(server.state.status).toBe('running');
    expect(JSON.stringify(gateway.gateway.views.exportServers())).not.toContain('sk-very-secret');

    const scan = await gateway.api.scanApps();
    expect(scan.firstRun).toBe(false);
    expect(scan.apps.find((app) => app.app === 'cursor')).toMatchObject({ connected: true, canUndo: true });
    expect(scan.apps.find((app) => app.app === 'claude-desktop')!.servers[0]).toMatchObject({ name: 'notes', registered: false });

    await gateway.api.undoMigration('cursor');
    expect(readFileSync(path, 'utf8')).toBe(cursorText);
    await expect(gateway.api.undoMigration('cursor')).rejects.toThrow(/no migration of Cursor to undo/);
  });

  it('a failed import stays in the app; an unknown server or app is refused', async () => {
    const result = await gateway.api.migrateApp('cursor', { servers: ['broken'], switchApp: false });
    expect(result.imported[0]).toMatchObject({ name: 'broken', result: 'failed' });
    expect(result.switched).toBeUndefined();
    await expect(gateway.api.migrateApp('cursor', { servers: ['nope'] })).rejects.toThrow(/Cursor has no server named nope/);
    await expect(gateway.api.migrateApp('emacs')).rejects.toMatchObject({ status: 404 });
  });

  it('remembers that the first-run view was dismissed', async () => {
    await gateway.api.deregisterServer('memory');
    expect((await gateway.api.scanApps()).firstRun).toBe(true);
    expect(await gateway.api.dismissFirstRun()).toEqual({ firstRun: false });
    expect((await gateway.api.scanApps()).firstRun).toBe(false);
  });
});

it('no first-run view when no app holds a server (an empty home)', async () => {
  const gateway = await startTestGateway();
  try {
    const scan = await gateway.api.scanApps();
    expect(scan.apps.every((app) => !app.found)).toBe(true);
    expect(scan.firstRun).toBe(false);
  } finally {
    await gateway.close();
  }
});

describe('an enterprise gateway', () => {
  it("refuses to read or change its host's app configs, even for an administrator", async () => {
    const gateway = await startEnterprise();
    try {
      const error = await gateway.apiAs(gateway.adminToken).scanApps().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 403, message: expect.stringMatching(/canopy setup --migrate APP` on the machine the app runs on/) });
      await expect(gateway.apiAs(gateway.adminToken).migrateApp('cursor')).rejects.toMatchObject({ status: 403 });
    } finally {
      await gateway.close();
    }
  });
});
