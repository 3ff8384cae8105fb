// Fault: a second gateway on the same data dir. It must not start (it would spawn every stdio server
// a second time): `canopy serve` exits non-zero with one line naming the running one's URL, the
// desktop host connects to the running one instead, and a lock left by kill -9 does not block the
// next start.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, DataDirInUseError } from '../../main/core/index.ts';
import { LOCK_FILE_NAME, lockDataDir } from '../../main/core/data-dir-lock.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { silentLogger } from '../../main/core/telemetry/logger.ts';
import { GatewayHost } from '../../main/desktop/gateway/gateway-host.ts';
import { errorOf, runCli, spawnCli, waitForOutput } from '../cli/run-cli.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
const dataDir = () => join(dir, 'data', 'canopy');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-second-'));
  const { CANOPY_REGISTRY: _r, CANOPY_PORT: _p, CANOPY_DB_PATH: _d, DATABASE_URL: _u, CANOPY_MODE: _m, ...base } = process.env;
  env = { ...base, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'), CANOPY_SECRETS_BACKEND: 'file' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exited(child: ReturnType<typeof spawnCli>, timeoutMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A pid that certainly belongs to no running process: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('a second gateway on the same data dir', () => {
  it('canopy serve refuses with one line naming the running one; a lock left by kill -9 does not block', async () => {
    const first = spawnCli(['serve', '--port', '0'], env);
    try {
      const [, url] = await waitForOutput(first, /MCP endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)\/mcp/);
      const second = await runCli(['serve', '--port', '0'], env);
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n'), second.stderr).toHaveLength(1);
      expect(errorOf(second)).toContain(`already runs on ${dataDir()} at ${url}`);
      expect(second.stdout).not.toContain('Canopy is running');
      expect((await fetch(`${url}/health`)).status).toBe(200);

      // kill -9 leaves the lock behind; the next start takes it over.
      first.kill('SIGKILL');
      await exited(first);
      expect(existsSync(join(dataDir(), LOCK_FILE_NAME))).toBe(true);
      const third = spawnCli(['serve', '--port', '0'], env);
      try {
        const [, thirdUrl] = await waitForOutput(third, /MCP endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)\/mcp/);
        expect(JSON.parse(readFileSync(join(dataDir(), LOCK_FILE_NAME), 'utf8'))).toMatchObject({ pid: third.pid, url: thirdUrl });
        third.kill('SIGTERM');
        expect(await exited(third)).toBe(0);
        expect(existsSync(join(dataDir(), LOCK_FILE_NAME))).toBe(false);
      } finally {
        if (third.exitCode === null) third.kill('SIGKILL');
      }
    } finally {
      if (first.exitCode === null) first.kill('SIGKILL');
    }
  }, 90_000);

  it('in one process: createGateway refuses, the desktop host connects to the running gateway', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'canopy-second-inproc-'));
    const options = () => ({
      port: 0,
      dataDir: shared,
      store: { kind: 'sqlite' as const, path: join(shared, 'canopy.db') },
      logger: silentLogger(),
      secretStore: new FileSecretStore(shared),
    });
    const running = await createGateway(options());
    try {
      await running.start();
      await expect(createGateway(options())).rejects.toBeInstanceOf(DataDirInUseError);

      const host = new GatewayHost(createGateway);
      await host.start(options());
      expect(host.phase).toEqual({ phase: 'running', mcpUrl: `${running.url}/mcp` });
      expect(host.url).toBe(running.url);
      expect(host.gateway).toBeUndefined();
      await host.stop();
      expect(host.phase).toEqual({ phase: 'stopped' });
    } finally {
      await running.stop();
      rmSync(shared, { recursive: true, force: true });
    }
    // Released on stop: the next one starts.
    const again = await createGateway(options());
    await again.stop();
  });

  it('takes over a lock whose process is gone or that a crash left unfinished, not one being written', async () => {
    const lockDir = mkdtempSync(join(tmpdir(), 'canopy-lock-'));
    const path = join(lockDir, LOCK_FILE_NAME);
    try {
      writeFileSync(path, JSON.stringify({ pid: await deadPid(), host: (await import('node:os')).hostname(), nonce: 'old', url: 'http://127.0.0.1:1' }));
      const lock = await lockDataDir(lockDir);
      expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
      await lock.release();

      writeFileSync(path, '');
      await expect(lockDataDir(lockDir)).rejects.toThrow(/still starting/);
      const longAgo = new Date(Date.now() - 60_000);
      utimesSync(path, longAgo, longAgo);
      await (await lockDataDir(lockDir)).release();
      expect(existsSync(path)).toBe(false);
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  });
});
