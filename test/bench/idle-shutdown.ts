// Bench section: what idle stdio servers cost. A gateway (`canopy serve`, its own process) with 50
// registered server-memory servers of which 5 are in use (called every half second): the memory of
// the gateway and every process under it (VmRSS summed over the process tree from /proc) with every
// server `always_on` (before idle shutdown) vs with the 45 unused ones asleep after a 2 s idle timeout.
// Bounded: fixed counts, every wait has a deadline.
// Run alone: node bin/run-ts.mjs test/bench/idle-shutdown.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdioConfigs } from '../support/upstreams.ts';
import { httpClient, waitFor } from './measure.ts';
import { startGateway, stopGateway } from './bench-gateway.ts';

const REGISTERED = 50;
const IN_USE = 5;
const IDLE_TIMEOUT_SECONDS = 2;
const USE_EVERY_MS = 500;
const REGISTER_AT_ONCE = 5;

/** VmRSS in KiB of `pid` and every process below it (children of children included). */
function treeRssKiB(root: number): { kib: number; processes: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (in parentheses) may hold spaces: fields are counted after its ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0);
      rss.set(Number(entry), kib);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while being read.
    }
  }
  let kib = 0;
  let processes = 0;
  const queue = [root];
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    kib += rss.get(queue[i]) ?? 0;
    processes++;
    queue.push(...(children.get(queue[i]) ?? []));
  }
  return { kib, processes };
}

interface Measured {
  kib: number;
  processes: number;
  sleeping: number;
}

/** One gateway: 50 servers registered (`idle` settings laid over each), 5 of them called until the rest settle, then measured. */
async function measureGateway(work: string, name: string, idle: Record<string, unknown>, settled: (sleeping: number) => boolean): Promise<Measured> {
  const { base, api, child } = await startGateway(work, name);
  let using: NodeJS.Timeout | undefined;
  try {
    // Registered a few at a time (each registration starts its server once).
    for (let i = 0; i < REGISTERED; i += REGISTER_AT_ONCE) {
      const batch = Array.from({ length: Math.min(REGISTER_AT_ONCE, REGISTERED - i) }, (_, j) => i + j);
      await Promise.all(batch.map((n) => api.registerServer({ config: { ...stdioConfigs.memory(`mem${n}`, join(work, name, `mem${n}.jsonl`)), ...idle } })));
    }
    const client = await httpClient(`${base}/mcp`);
    const use = () => Promise.all(Array.from({ length: IN_USE }, (_, i) => client.callTool({ name: `mem${i}__read_graph`, arguments: {} })));
    await use();
    using = setInterval(() => void use().catch(() => {}), USE_EVERY_MS);
    const sleeping = async () => (await api.listServers()).filter((server) => server.state.status === 'sleeping').length;
    await waitFor(async () => settled(await sleeping()), 60_000, `${name}: the unused servers to settle`);
    // A moment for the stopped processes' memory to be returned and the used ones to be in use.
    await new Promise((r) => setTimeout(r, 1_000));
    const measured = { ...treeRssKiB(child.pid!), sleeping: await sleeping() };
    clearInterval(using);
    await client.close();
    return measured;
  } finally {
    clearInterval(using);
    await stopGateway(child);
  }
}

/** Prints the memory of 50 registered stdio servers with 5 in use, every server always on vs idle ones asleep. */
export async function benchIdleShutdown(work: string): Promise<void> {
  const before = await measureGateway(work, 'idle-before', { always_on: true }, () => true);
  const after = await measureGateway(work, 'idle-after', { idle_timeout_seconds: IDLE_TIMEOUT_SECONDS }, (sleeping) => sleeping >= REGISTERED - IN_USE);
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  console.log(`\nIdle shutdown: ${REGISTERED} server-memory stdio servers registered, ${IN_USE} in use (VmRSS of the gateway and every child process)`);
  console.log(`  before (all always_on):        ${mib(before.kib).padStart(9)}  ${before.processes} processes, ${before.sleeping} sleeping`);
  console.log(`  after (${IDLE_TIMEOUT_SECONDS} s idle timeout):      ${mib(after.kib).padStart(9)}  ${after.processes} processes, ${after.sleeping} sleeping`);
  console.log(`  saved: ${mib(before.kib - after.kib)} (${((1 - after.kib / before.kib) * 100).toFixed(0)}%)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const work = mkdtempSync(join(tmpdir(), 'canopy-bench-idle-'));
  try {
    await benchIdleShutdown(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
