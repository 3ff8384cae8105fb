// Bench section: how fast Canopy starts and how little it holds idle. Runs the compiled `canopy`
// (bin/canopy.mjs; `npm run bench` builds it first): the idle RSS of a gateway with no servers 1 s
// after /health answers; the time from spawning `canopy serve` to the first /health 200 on a
// database with 50 registered stdio servers (their default settings: each starts on first use); and
// the wall time of `canopy --help` and of `canopy list servers` against that gateway (medians of 5).
// Bounded: fixed counts, every wait has a deadline.
// Run alone: npm run build:cli && node bin/run-ts.mjs test/bench/startup.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './measure.ts';
import { canopyBin, rssMiB, startGateway, stopGateway } from './bench-gateway.ts';

const SERVERS = 50;
const REGISTER_AT_ONCE = 5;
const CLI_RUNS = 5;
const repo = resolve(import.meta.dirname, '..', '..');
const echoServer = join(repo, 'test', 'bench', 'echo-server.mjs');

/** Median wall time in ms of `node ARGS` (spawn to exit), over CLI_RUNS runs; each must succeed. */
async function wallMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    const startedAt = performance.now();
    const code = await new Promise<number | null>((resolvePromise, reject) => {
      const child = spawn(process.execPath, args, { stdio: 'ignore', env });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('error', reject);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolvePromise(exitCode);
      });
    });
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}`);
    samples.push(performance.now() - startedAt);
  }
  return percentile(samples.sort((a, b) => a - b), 50);
}

/** Prints idle RSS, /health time with 50 registered servers, and CLI wall times. */
export async function benchStartup(work: string): Promise<void> {
  const first = await startGateway(work, 'startup');
  let idle: number;
  try {
    await new Promise((r) => setTimeout(r, 1_000));
    idle = rssMiB(first.child.pid!);
    const { api } = first;
    for (let i = 0; i < SERVERS; i += REGISTER_AT_ONCE) {
      const batch = Array.from({ length: Math.min(REGISTER_AT_ONCE, SERVERS - i) }, (_, j) => i + j);
      await Promise.all(
        batch.map((n) => api.registerServer({ config: { name: `echo${n}`, transport: 'stdio', command: process.execPath, args: [echoServer] } })),
      );
    }
  } finally {
    await stopGateway(first.child);
  }

  const second = await startGateway(work, 'startup');
  try {
    // Node's own start on this machine at this moment, for scale (a busy machine slows every figure).
    // No saved CLI settings: the CLI's own start, as a newcomer's.
    const env = { ...process.env, XDG_CONFIG_HOME: join(work, 'config') };
    const bare = await wallMs(['-e', '0'], env);
    const help = await wallMs([canopyBin, '--help'], env);
    const list = await wallMs([canopyBin, 'list', 'servers', '--registry', second.base], env);
    console.log(`\nStart-up (compiled CLI, ${process.version})`);
    console.log(`  canopy serve → /health 200, ${SERVERS} stdio servers registered: ${second.healthMs.toFixed(0)} ms (target <= 1000 ms)`);
    console.log(`  node -e 0 (for scale):                  ${bare.toFixed(0)} ms median of ${CLI_RUNS}`);
    console.log(`  canopy --help:                          ${help.toFixed(0)} ms median of ${CLI_RUNS} (target <= 300 ms)`);
    console.log(`  canopy list servers (running gateway):  ${list.toFixed(0)} ms median of ${CLI_RUNS} (target <= 300 ms)`);
    console.log(`  gateway RSS idle (no servers, 1 s after /health): ${idle.toFixed(1)} MiB (target <= 90 MiB)`);
  } finally {
    await stopGateway(second.child);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const work = mkdtempSync(join(tmpdir(), 'canopy-bench-startup-'));
  try {
    await benchStartup(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
