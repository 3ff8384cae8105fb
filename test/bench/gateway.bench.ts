// `npm run bench`: what the gateway costs. Runs `canopy serve` as its own process on loopback with
// real upstreams and prints a table: direct-to-upstream vs `/servers/{name}/mcp` vs `/mcp`, for a
// trivial tool call on an HTTP and on a stdio upstream (p50/p99 at concurrency 1, calls/s at
// concurrency 32), cached `tools/list` of 50 upstreams × 20 tools on `/mcp`, and the gateway's RSS
// with 20 stdio upstreams running; the peer table (test/bench/peers.ts): supergateway, mcp-proxy and
// mcp-hub next to Canopy on one echo server; then the search view's section (test/bench/search-view.ts):
// tokens of /mcp vs /mcp/search as servers are added, and search_tools latency; the memory of 50
// registered stdio servers with 5 in use, all running vs idle ones asleep (test/bench/idle-shutdown.ts);
// start-up and CLI times and idle RSS of the compiled CLI (test/bench/startup.ts);
// then the targets of issue 11 against these figures. Bounded: fixed call counts, every wait has a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { everythingEntry, freePort, startEverythingHttp, stdioConfigs } from '../support/upstreams.ts';
import { CONCURRENCY, echo, httpClient, measureEcho, percentile, stdioClient, timed, waitFor, type Measured } from './measure.ts';
import { benchPeers } from './peers.ts';
import { benchSearchView } from './search-view.ts';
import { benchIdleShutdown } from './idle-shutdown.ts';
import { benchStartup } from './startup.ts';
import { rssMiB, startGateway } from './bench-gateway.ts';

const LIST_CALLS = 300;
const repo = resolve(import.meta.dirname, '..', '..');

interface Row extends Measured {
  upstream: string;
  path: string;
}

async function measure(upstream: string, path: string, open: () => Promise<Client>, tool: string, sessions: number): Promise<Row> {
  return { upstream, path, ...(await measureEcho(open, tool, sessions)) };
}

/**
 * tools/list as raw JSON-RPC over one keep-alive connection (node:http, the body read as bytes): the
 * gateway's cost and the wire, without a client library's validation or fetch's stream machinery.
 */
async function rawToolsList(base: string): Promise<() => Promise<number>> {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = (body: unknown, extra: Record<string, string> = {}) =>
    new Promise<{ headers: IncomingHttpHeaders; bytes: number }>((resolve, reject) => {
      const request = httpRequest(`${base}/mcp`, { method: 'POST', agent, headers: { ...headers, ...extra } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ headers: response.headers, bytes }));
      });
      request.on('error', reject);
      request.end(JSON.stringify(body));
    });
  const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
  const session = { 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-11-25' };
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
  let id = 1;
  return async () => (await post({ jsonrpc: '2.0', id: id++, method: 'tools/list' }, session)).bytes;
}

/**
 * This machine's floor for a list that size: a bare node:http server in its own process (as the
 * gateway is) answering every POST with `bytes` bytes.
 */
async function bareServer(bytes: number): Promise<{ base: string; close: () => void }> {
  const code = `const body = Buffer.alloc(${bytes}, 32);
    const server = require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => r.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body)); });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', () => reject(new Error('the bare server exited')));
  });
  return { base: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'canopy-bench-'));
  const farmPort = await freePort();
  const children: ChildProcess[] = [];
  const http = await startEverythingHttp();
  try {
    // Memory first, on a fresh gateway: RSS idle, then with 20 stdio upstreams running.
    const fresh = await startGateway(work, 'memory');
    children.push(fresh.child);
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = rssMiB(fresh.child.pid!);
    for (let i = 0; i < 20; i += 1) await fresh.api.registerServer({ config: stdioConfigs.memory(`mem${i}`, join(work, `mem${i}.jsonl`)) });
    await waitFor(async () => (await fresh.api.listServers()).filter((s) => s.state.status === 'running').length === 20, 60_000, '20 stdio upstreams');
    const loaded = rssMiB(fresh.child.pid!);
    fresh.child.kill('SIGTERM');

    const gateway = await startGateway(work, 'calls');
    children.push(gateway.child);
    const { base, api } = gateway;
    await api.registerServer({ config: { name: 'remote', url: http.url } });
    await api.registerServer({ config: stdioConfigs.everything() });

    // Warm the gateway's code paths (JIT) so no row pays for being measured first.
    for (const [path, tool] of [
      ['/servers/remote/mcp', 'echo'],
      ['/mcp', 'remote__echo'],
      ['/servers/everything/mcp', 'echo'],
      ['/mcp', 'everything__echo'],
    ]) {
      const client = await httpClient(`${base}${path}`);
      for (let i = 0; i < 500; i += 1) await echo(client, tool);
      await client.close();
    }

    const rows: Row[] = [];
    rows.push(await measure('HTTP', 'direct', () => httpClient(http.url), 'echo', CONCURRENCY));
    rows.push(await measure('HTTP', '/servers/remote/mcp', () => httpClient(`${base}/servers/remote/mcp`), 'echo', CONCURRENCY));
    rows.push(await measure('HTTP', '/mcp', () => httpClient(`${base}/mcp`), 'remote__echo', CONCURRENCY));
    // A stdio server has one client: direct means one client with 32 requests in flight.
    rows.push(await measure('stdio', 'direct', () => stdioClient(process.execPath, [everythingEntry, 'stdio']), 'echo', 1));
    rows.push(await measure('stdio', '/servers/everything/mcp', () => httpClient(`${base}/servers/everything/mcp`), 'echo', CONCURRENCY));
    rows.push(await measure('stdio', '/mcp', () => httpClient(`${base}/mcp`), 'everything__echo', CONCURRENCY));

    console.log('\nTool call (echo), loopback');
    console.log('upstream  path                      p50 ms   p99 ms   +p50 ms   calls/s @32   vs direct');
    for (const row of rows) {
      const direct = rows.find((r) => r.upstream === row.upstream && r.path === 'direct')!;
      console.log(
        `${row.upstream.padEnd(9)} ${row.path.padEnd(25)} ${row.p50.toFixed(3).padStart(6)}   ${row.p99.toFixed(3).padStart(6)}   ${(row.p50 - direct.p50)
          .toFixed(3)
          .padStart(7)}   ${row.rps.toFixed(0).padStart(11)}   ${((100 * row.rps) / direct.rps).toFixed(0).padStart(6)}%`,
      );
    }

    await benchPeers({ base, api, work });

    // Catalog: 50 upstreams × 20 tools behind one /mcp.
    const farm = spawn(process.execPath, [join(repo, 'bin', 'run-ts.mjs'), join(repo, 'test', 'support', 'tool-farm.ts'), String(farmPort), '50', '20'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(farm);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${farmPort}/s0/mcp`, { method: 'GET' })).status > 0, 30_000, 'the tool farm');
    for (let i = 0; i < 50; i += 1) {
      await api.registerServer({ config: { name: `farm${i}`, url: `http://127.0.0.1:${farmPort}/s${i}/mcp` } });
    }
    const lister = await httpClient(`${base}/mcp`);
    const { tools } = await lister.listTools();
    const farmTools = tools.filter((t) => t.name.startsWith('farm')).length;
    const sdkSamples = await timed(LIST_CALLS, () => lister.listTools());
    await lister.close();
    const raw = await rawToolsList(base);
    const bytes = await raw();
    const rawSamples = await timed(LIST_CALLS, raw);
    console.log(`\ntools/list on /mcp: ${tools.length} tools (${farmTools} from 50 farm upstreams), ${(bytes / 1024).toFixed(0)} KiB`);
    const bare = await bareServer(bytes);
    const bareSamples = await timed(LIST_CALLS, await rawToolsList(bare.base));
    bare.close();
    console.log(`  raw JSON-RPC over one keep-alive connection: p50 ${percentile(rawSamples, 50).toFixed(3)} ms   p99 ${percentile(rawSamples, 99).toFixed(3)} ms`);
    console.log(`  the same bytes from a bare node:http server, same client (this machine's floor): p50 ${percentile(bareSamples, 50).toFixed(3)} ms`);
    console.log(`  SDK client (incl. its schema validation): p50 ${percentile(sdkSamples, 50).toFixed(3)} ms   p99 ${percentile(sdkSamples, 99).toFixed(3)} ms`);

    await benchSearchView({ base, api, connect: httpClient, farmServers: Array.from({ length: 50 }, (_, i) => `farm${i}`) });

    console.log(`\nGateway RSS: ${idle.toFixed(1)} MiB idle; ${loaded.toFixed(1)} MiB with 20 stdio upstreams running (+${(loaded - idle).toFixed(1)} MiB)`);

    await benchIdleShutdown(work);
    await benchStartup(work);

    const group = (upstream: string) => rows.filter((r) => r.upstream === upstream);
    const worst = (g: Row[]) => Math.max(...g.slice(1).map((r) => r.p50 - g[0].p50));
    const ratio = (g: Row[]) => Math.min(...g.slice(1).map((r) => r.rps / g[0].rps));
    const httpRows = group('HTTP');
    console.log('\nTargets (the peer ratios are printed with the peer table)');
    console.log(`  HTTP upstream, added p50 <= 0.5 ms:        ${worst(httpRows).toFixed(3)} ms (stdio upstream: ${worst(group('stdio')).toFixed(3)} ms)`);
    console.log(`  HTTP upstream, throughput >= 0.8 of direct: ${ratio(httpRows).toFixed(2)} (stdio upstream: ${ratio(group('stdio')).toFixed(2)})`);
    console.log(`  cached tools/list of 1,000 tools, p50 <= 1 ms on the wire: ${percentile(rawSamples, 50).toFixed(3)} ms (a bare server's same bytes: ${percentile(bareSamples, 50).toFixed(3)} ms)`);
    console.log(`  gateway RSS idle <= 90 MB: ${((idle * 1024 * 1024) / 1e6).toFixed(0)} MB; with 20 stdio upstreams running <= 120 MB: ${((loaded * 1024 * 1024) / 1e6).toFixed(0)} MB`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await http.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
