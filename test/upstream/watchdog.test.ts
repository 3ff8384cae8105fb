// No orphans even when Canopy itself is SIGKILLed: the orphan watchdog kills the process groups.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from './helpers.ts';
import { processAlive } from '../../main/core/upstream/process-group.ts';

const runTs = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/orphan-gateway.ts', import.meta.url));

describe.skipIf(process.platform === 'win32')('orphan watchdog', () => {
  it('kills a stdio server when the process that started it is SIGKILLed', async () => {
    const gateway = spawn(process.execPath, [runTs, fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    gateway.stdout.on('data', (chunk) => (output += chunk));
    gateway.stderr.on('data', (chunk) => (output += chunk));
    try {
      const match = await waitFor(() => output.match(/upstream-pid (\d+) grandchild-pid (\d+)/), 'the fixture to start its upstream', 20_000);
      const [upstreamPid, grandchildPid] = [Number(match[1]), Number(match[2])];
      expect(processAlive(upstreamPid) && processAlive(grandchildPid)).toBe(true);
      gateway.kill('SIGKILL');
      await waitFor(() => !processAlive(upstreamPid) && !processAlive(grandchildPid), 'server-everything and its grandchild to be killed by the watchdog', 8_000);
    } finally {
      if (gateway.exitCode === null && gateway.signalCode === null) gateway.kill('SIGKILL');
    }
  });
});
