// How every bench section runs Canopy: the compiled `canopy serve` (bin/canopy.mjs; `npm run bench`
// builds it first) as its own process on loopback, with its store and data dir in the section's
// work folder, and how it is stopped and measured.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AdminClient } from '../../main/core/api/client.ts';
import { freePort } from '../support/upstreams.ts';

export const canopyBin = join(resolve(import.meta.dirname, '..', '..'), 'bin', 'canopy.mjs');

export interface BenchGateway {
  base: string;
  api: AdminClient;
  child: ChildProcess;
  /** From spawn to the first /health 200. */
  healthMs: number;
}

/** `canopy serve` on `WORK/NAME.db` (data dir WORK/NAME), polled every 10 ms until /health answers 200 (30 s at most). */
export async function startGateway(work: string, name: string): Promise<BenchGateway> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [canopyBin, 'serve', '--port', String(port), '--db', join(work, `${name}.db`)], {
    env: { ...process.env, CANOPY_SECRETS_BACKEND: 'file', XDG_DATA_HOME: join(work, name), CANOPY_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = spawnedAt + 30_000;
  while (performance.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`${base}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { base, api: new AdminClient({ baseUrl: base }), child, healthMs: performance.now() - spawnedAt };
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  throw new Error(`canopy serve did not answer /health within 30 s (exit code ${child.exitCode})`);
}

/** SIGTERM, then SIGKILL when it has not exited within 15 s. */
export async function stopGateway(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** VmRSS of one process, in MiB. */
export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}
