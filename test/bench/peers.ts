// `npm run bench`, peer section: Canopy next to the gateways people compare it with — supergateway,
// mcp-proxy and mcp-hub (devDependencies) — each exposing the same tools-only stdio echo server
// (echo-server.mjs), measured by the same SDK client in interleaved rounds (every endpoint once per
// round, the order rotating), so a slow moment of this shared machine does not land on one program.
// Reported: medians over the rounds of p50 (concurrency 1) and calls/s with 32 sessions. One more row,
// measured by the same loop: an MCP 2026-07-28 client (SDK v2, stateless) on Canopy's /mcp; no peer
// speaks 2026-07-28, so it has no target.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdminClient } from '../../main/core/api/client.ts';
import { freePort } from '../support/upstreams.ts';
import { CONCURRENCY, httpClient, measureEcho, modernClient, sseClient, stdioClient, waitFor, type EchoClient, type Measured } from './measure.ts';

const ROUNDS = 3;
const repo = resolve(import.meta.dirname, '..', '..');
const echoServer = join(repo, 'test', 'bench', 'echo-server.mjs');
const bin = (path: string) => join(repo, 'node_modules', path);

/** What a row's client is used for: the loop's calls, and finding the echo tool among those listed. */
type ListingClient = EchoClient & { listTools(): Promise<{ tools: { name: string }[] }> };

interface Endpoint {
  name: string;
  /** Which Canopy target this row is compared on: streamable HTTP peers, or the legacy SSE one; 'canopy-modern' has none. */
  kind: 'canopy-http' | 'canopy-sse' | 'canopy-modern' | 'peer-http' | 'peer-sse' | 'direct';
  open: () => Promise<ListingClient>;
  tool: string;
  sessions: number;
}

/** Starts a peer in its own process group, so the stdio children it spawns per session go with it. */
function startPeer(args: string[], children: ChildProcess[]): void {
  children.push(spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'], detached: true }));
}

/** The listed tool that is the echo server's `echo` (each aggregator prefixes it its own way). */
async function echoTool(open: Endpoint['open']): Promise<string> {
  const client = await open();
  try {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === 'echo' || /echo$/.test(candidate.name));
    if (!tool) throw new Error(`no echo tool among ${tools.map((t) => t.name).join(', ')}`);
    return tool.name;
  } finally {
    await client.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchPeers({ base, api, work }: { base: string; api: AdminClient; work: string }): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    await api.registerServer({ config: { name: 'echo', transport: 'stdio', command: process.execPath, args: [echoServer] } });
    const [superPort, proxyPort, hubPort] = [await freePort(), await freePort(), await freePort()];
    startPeer(
      [bin('supergateway/dist/index.js'), '--stdio', `${process.execPath} ${echoServer}`, '--outputTransport', 'streamableHttp', '--stateful', '--port', String(superPort), '--streamableHttpPath', '/mcp', '--logLevel', 'none'],
      children,
    );
    startPeer([bin('mcp-proxy/dist/bin/mcp-proxy.mjs'), '--port', String(proxyPort), '--host', '127.0.0.1', '--server', 'stream', '--endpoint', '/mcp', '--', process.execPath, echoServer], children);
    const hubConfig = join(work, 'mcp-hub.json');
    writeFileSync(hubConfig, JSON.stringify({ mcpServers: { echo: { command: process.execPath, args: [echoServer] } } }));
    startPeer([bin('mcp-hub/dist/cli.js'), '--port', String(hubPort), '--config', hubConfig], children);

    const candidates: Omit<Endpoint, 'tool'>[] = [
      { name: 'direct (stdio, 1 client)', kind: 'direct', open: () => stdioClient(process.execPath, [echoServer]), sessions: 1 },
      { name: 'supergateway (streamable HTTP)', kind: 'peer-http', open: () => httpClient(`http://127.0.0.1:${superPort}/mcp`), sessions: CONCURRENCY },
      { name: 'mcp-proxy (streamable HTTP)', kind: 'peer-http', open: () => httpClient(`http://127.0.0.1:${proxyPort}/mcp`), sessions: CONCURRENCY },
      { name: 'mcp-hub (aggregated, legacy SSE)', kind: 'peer-sse', open: () => sseClient(`http://127.0.0.1:${hubPort}/mcp`), sessions: CONCURRENCY },
      { name: 'Canopy /servers/echo/mcp', kind: 'canopy-http', open: () => httpClient(`${base}/servers/echo/mcp`), sessions: CONCURRENCY },
      { name: 'Canopy /mcp', kind: 'canopy-http', open: () => httpClient(`${base}/mcp`), sessions: CONCURRENCY },
      { name: 'Canopy /sse (legacy SSE)', kind: 'canopy-sse', open: () => sseClient(`${base}/sse`), sessions: CONCURRENCY },
      { name: 'Canopy /mcp (2026-07-28 client)', kind: 'canopy-modern', open: () => modernClient(`${base}/mcp`), sessions: CONCURRENCY },
    ];
    const endpoints: Endpoint[] = [];
    for (const candidate of candidates) {
      // Each program starts its echo server its own way (mcp-hub only once connected): wait until the tool is listed.
      let tool = '';
      await waitFor(async () => Boolean((tool = await echoTool(candidate.open))), 60_000, `the echo tool through ${candidate.name}`);
      endpoints.push({ ...candidate, tool });
    }

    const results = new Map<string, Measured[]>(endpoints.map((endpoint) => [endpoint.name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = endpoints.map((_, i) => endpoints[(i + round) % endpoints.length]);
      for (const endpoint of order) results.get(endpoint.name)!.push(await measureEcho(endpoint.open, endpoint.tool, endpoint.sessions));
    }
    const summary = endpoints.map((endpoint) => {
      const runs = results.get(endpoint.name)!;
      return { ...endpoint, p50: median(runs.map((r) => r.p50)), rps: median(runs.map((r) => r.rps)) };
    });

    console.log(`\nPeers: one tools-only stdio echo server behind each program; medians of ${ROUNDS} interleaved rounds`);
    console.log('endpoint                           p50 ms   calls/s @32');
    for (const row of summary) console.log(`${row.name.padEnd(34)} ${row.p50.toFixed(3).padStart(6)}   ${row.rps.toFixed(0).padStart(11)}`);
    const best = (kind: Endpoint['kind'] | Endpoint['kind'][]) => summary.filter((row) => ([] as string[]).concat(kind).includes(row.kind));
    const peers = best(['peer-http', 'peer-sse']);
    const bestRps = Math.max(...peers.map((row) => row.rps));
    const bestP50 = Math.min(...peers.map((row) => row.p50));
    const hub = summary.find((row) => row.kind === 'peer-sse')!;
    console.log('Targets (ratios within this run)');
    for (const row of best('canopy-http')) {
      console.log(`  ${row.name}: throughput ${(row.rps / bestRps).toFixed(2)}× the best peer's, p50 ${(row.p50 / bestP50).toFixed(2)}× the best peer's (target ≥ 1, ≤ 1)`);
    }
    for (const row of best('canopy-sse')) {
      console.log(`  ${row.name}: throughput ${(row.rps / hub.rps).toFixed(2)}× mcp-hub's, p50 ${(row.p50 / hub.p50).toFixed(2)}× mcp-hub's (target ≥ 1, ≤ 1)`);
    }
  } finally {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}
